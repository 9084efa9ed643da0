import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { JsonObject } from './json';
import { validateObject } from './validate-object';
import { container, errors, object, podSpec } from './test-manifests';

const pod = (spec: JsonObject): JsonObject => object('v1', 'Pod', { spec });
const stored = pod(
  podSpec({
    containers: [container({ command: ['httpd', '-f'] })],
    initContainers: [container({ name: 'init', image: 'busybox:1.36' })],
    tolerations: [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ],
    activeDeadlineSeconds: 600,
    schedulingGates: [{ name: 'example.com/wait' }],
  }),
);
const update = (spec: JsonObject, subresource?: string): string[] =>
  errors(pod({ ...(stored.spec as JsonObject), ...spec }), {
    operation: 'UPDATE',
    old: stored,
    ...(subresource ? { subresource } : {}),
  });
const MAY_NOT = 'spec: Forbidden: pod updates may not change fields other than';

describe('pod updates', () => {
  it('allows what Kubernetes allows: images, a lower deadline, added tolerations, removed gates', () => {
    assert.deepEqual(update({}), []);
    assert.deepEqual(
      update({
        containers: [container({ image: 'nginx:1.28', command: ['httpd', '-f'] })],
        initContainers: [container({ name: 'init', image: 'busybox:1.37' })],
        activeDeadlineSeconds: 60,
        tolerations: [
          { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 },
          { key: 'gpu', operator: 'Exists' },
        ],
        schedulingGates: [],
      }),
      [],
    );
  });

  it('refuses another command, naming the changed field and pointing the editor at it', () => {
    const out = update({ containers: [container({ command: ['sleep', '1'] })] });
    assert.equal(out.length, 1);
    assert.ok(out[0]?.startsWith(MAY_NOT), out[0]);
    assert.match(out[0] ?? '', /changed: spec\.containers\[0\]\.command\[0\], spec\.containers\[0\]\.command\[1\]$/);
    const [error] = validateObject(
      pod({ ...(stored.spec as JsonObject), containers: [container({ command: ['x', 'y'] })] }),
      {
        operation: 'UPDATE',
        old: stored,
      },
    );
    assert.deepEqual(error?.locate, ['spec', 'containers', 0, 'command', 0]);
    assert.equal(error?.topic, 'immutable');
  });

  it('refuses added or removed containers, a raised or unset deadline, dropped tolerations, added gates', () => {
    assert.deepEqual(update({ containers: [container(), container({ name: 'two' })] }), [
      'spec.containers: Forbidden: pod updates may not add or remove containers',
    ]);
    assert.deepEqual(update({ activeDeadlineSeconds: 900 }), [
      'spec.activeDeadlineSeconds: Invalid value: 900: may only be lowered, from 600',
    ]);
    assert.equal(update({ activeDeadlineSeconds: undefined }).length, 1);
    assert.deepEqual(update({ tolerations: [] }), [
      'spec.tolerations: Forbidden: existing tolerations may not be changed or removed, only added to',
    ]);
    assert.ok(update({ schedulingGates: [{ name: 'another' }] })[0]?.startsWith(MAY_NOT));
    assert.ok(update({ nodeName: 'node-2' })[0]?.includes('changed: spec.nodeName'));
  });

  it('takes new ephemeral containers only through their subresource', () => {
    const debug = { ephemeralContainers: [{ name: 'debugger', image: 'busybox:1.36' }] };
    assert.ok(update(debug)[0]?.includes('changed: spec.ephemeralContainers'));
    assert.deepEqual(update(debug, 'ephemeralcontainers'), []);
  });

  it('names the first three changed fields, and survives hostile values', () => {
    const out = update({
      hostname: 'a',
      subdomain: 'b',
      priority: 1,
      dnsPolicy: 'None',
      dnsConfig: { nameservers: ['1.1.1.1'] },
    });
    assert.match(out[0] ?? '', /changed: spec\.\w+, spec\.\w+, spec\.\w+ and more$/);
    const hostile = JSON.parse('{"__proto__": {"polluted": true}, "containers": 7}') as JsonObject;
    assert.doesNotThrow(() => update(hostile));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(errors(pod(podSpec()), { operation: 'CREATE' }), []);
  });
});
