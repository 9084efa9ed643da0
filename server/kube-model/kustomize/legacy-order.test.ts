import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { legacyOrder } from './legacy-order';
import { fromFile } from './resource';

const res = (apiVersion: string, kind: string, name: string, namespace?: string) =>
  fromFile({ apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) } }, '/f.yaml', null);

describe('legacyOrder', () => {
  it("orders as kubectl kustomize: kustomize's first kinds, then the others by group/version/kind, webhooks last; a kind's objects by namespace (none last), then name", () => {
    const input = [
      res('admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', 'hook'),
      res('apps/v1', 'Deployment', 'web'),
      res('example.com/v1', 'Widget', 'w'),
      res('networking.k8s.io/v1', 'Ingress', 'web'),
      res('v1', 'Service', 'web'),
      res('v1', 'ConfigMap', 'b', 'ns'),
      res('v1', 'ConfigMap', 'a'),
      res('v1', 'ConfigMap', 'c', 'default'),
      res('v1', 'Namespace', 'ns'),
    ];
    assert.deepEqual(
      legacyOrder(input).map((r) => `${r.object['kind'] as string}/${(r.object['metadata'] as { name: string }).name}`),
      [
        'Namespace/ns',
        'ConfigMap/c',
        'ConfigMap/b',
        'ConfigMap/a',
        'Service/web',
        'Deployment/web',
        'Widget/w',
        'Ingress/web',
        'ValidatingWebhookConfiguration/hook',
      ],
    );
  });
});
