import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { FakeClock } from '../../clock';
import { StatusError } from '../../store/errors';
import type { JsonObject } from '../../store/object';
import { ObjectStore } from '../../store/object-store';
import { RESOURCES, type ResourceDef } from '../registry';
import type { AdmissionContext } from './admission';
import { goStructOf } from './integer-fields';
import { checkSchemaFields } from './schema-fields';

function def(kind: string): ResourceDef {
  const found = RESOURCES.find((d) => d.kind === kind);
  assert.ok(found, kind);
  return found;
}

/** The decoding error's message, or 'accepted'. */
async function decode(kind: string, raw: JsonObject): Promise<string> {
  const store = await ObjectStore.open({ clock: new FakeClock() });
  const context: AdmissionContext = {
    operation: 'CREATE',
    def: def(kind),
    store,
    fieldValidation: 'Strict',
    warnings: [],
  };
  try {
    checkSchemaFields(def(kind), raw, context);
    return 'accepted';
  } catch (error) {
    assert.ok(error instanceof StatusError, String(error));
    assert.equal(error.code, 400);
    return error.message;
  }
}

const deployment = (spec: JsonObject): JsonObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec,
});

describe('integer fields at decoding', () => {
  it('names the Go struct of a definition', () => {
    assert.equal(goStructOf('#/definitions/V1DeploymentSpec'), 'DeploymentSpec');
    assert.equal(goStructOf('#/definitions/V2HorizontalPodAutoscalerSpec'), 'HorizontalPodAutoscalerSpec');
    assert.equal(goStructOf('#/definitions/V1beta1Foo'), 'Foo');
  });

  it('rejects fractions, out-of-range numbers and strings in int32 fields', async () => {
    const prefix = 'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal';
    const field = 'into Go struct field DeploymentSpec.spec.replicas of type int32';
    assert.equal(await decode('Deployment', deployment({ replicas: 1.5 })), `${prefix} number 1.5 ${field}`);
    assert.equal(await decode('Deployment', deployment({ replicas: 2 ** 31 })), `${prefix} number 2147483648 ${field}`);
    assert.equal(await decode('Deployment', deployment({ replicas: 1e12 })), `${prefix} number 1000000000000 ${field}`);
    assert.equal(await decode('Deployment', deployment({ replicas: '3' })), `${prefix} string ${field}`);
    assert.equal(await decode('Deployment', deployment({ replicas: 3 })), 'accepted');
    assert.equal(await decode('Deployment', deployment({ replicas: null })), 'accepted');
    assert.equal(await decode('Deployment', deployment({ replicas: 2 ** 31 - 1 })), 'accepted');
  });

  it('reaches nested and listed fields, int64 fields and int-or-string fields', async () => {
    const pod = (spec: JsonObject): JsonObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec });
    const ports = { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80.5 }] }] };
    assert.match(
      await decode('Pod', pod(ports)),
      /number 80\.5 into Go struct field ContainerPort\.spec\.containers\.ports\.containerPort of type int32$/,
    );
    assert.match(
      await decode('Pod', pod({ containers: [], terminationGracePeriodSeconds: 0.25 })),
      /number 0\.25 into Go struct field PodSpec\.spec\.terminationGracePeriodSeconds of type int64$/,
    );
    assert.equal(await decode('Pod', pod({ containers: [], terminationGracePeriodSeconds: 2 ** 40 })), 'accepted');
    const rolling = (maxSurge: unknown) =>
      deployment({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge } } });
    assert.match(await decode('Deployment', rolling(1.5)), /cannot unmarshal number 1\.5 into Go value of type int32$/);
    assert.equal(await decode('Deployment', rolling('25%')), 'accepted');
    assert.equal(await decode('Deployment', rolling(2)), 'accepted');
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { parallelism: 0.5 } };
    assert.match(await decode('Job', job), /JobSpec\.spec\.parallelism of type int32$/);
  });
});
