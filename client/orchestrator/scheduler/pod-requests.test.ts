import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { isObject, type JsonObject } from '../store/object';
import type { Stored } from '../store/object-store';
import { containerRequests, podSpecRequests } from '../../../server/kube-model/pod-requests';
import { bytes, milliCpu } from '../../../server/kube-model/quantity';
import { podRequests } from './pod-requests';

/** The first form: each list filtered to its objects before reading it. */
function reference(pod: Stored): unknown {
  const spec = isObject(pod.spec) ? pod.spec : {};
  const list = (o: JsonObject, key: string): JsonObject[] => {
    const value = o[key];
    return Array.isArray(value) ? value.filter(isObject) : [];
  };
  let scoreMilliCpu = 0;
  let scoreMemory = 0;
  const hostPorts: unknown[] = [];
  for (const c of list(spec, 'containers')) {
    const r = containerRequests(c);
    scoreMilliCpu += r.cpu === undefined ? 100 : milliCpu(r.cpu);
    scoreMemory += r.memory === undefined ? 200 * 1024 * 1024 : bytes(r.memory);
    for (const p of list(c, 'ports'))
      if (typeof p.hostPort === 'number' && p.hostPort > 0)
        hostPorts.push({
          port: p.hostPort,
          protocol: typeof p.protocol === 'string' ? p.protocol : 'TCP',
          ip: typeof p.hostIP === 'string' ? p.hostIP : '',
        });
  }
  const { milliCpu: cpu, memory } = podSpecRequests(spec);
  const owner = pod.metadata.ownerReferences?.find((ref) => ref.controller === true)?.uid ?? '';
  return { milliCpu: cpu, memory, scoreMilliCpu, scoreMemory, hostPorts, owner };
}

describe('podRequests', () => {
  it('reads the objects of the containers and ports lists as the filtered form did, hostile items skipped', () => {
    const odd = [null, 3, 'x', true, [], [{ hostPort: 1 }], undefined, 0.5, 1e308, -1];
    const proto = JSON.parse('{"__proto__":{"hostPort":9},"hostPort":7,"protocol":"UDP"}') as JsonObject;
    const specs: unknown[] = [
      undefined,
      'text',
      { containers: 'nope' },
      { containers: odd },
      { containers: [{ resources: { requests: { cpu: '250m', memory: '64Mi' } } }, ...odd] },
      {
        containers: [
          { ports: [...odd, { hostPort: 8080 }, { hostPort: 0 }, { hostPort: -3 }, { hostPort: 1.5 }, proto] },
          { ports: 'x', resources: { limits: { cpu: '1', memory: '1e3' } } },
          { ports: [{ hostPort: 53, protocol: 'UDP', hostIP: '127.0.0.1' }, { hostPort: '80' }] },
        ],
        initContainers: [...odd, { resources: { requests: { cpu: '3' } } }],
      },
    ];
    for (const spec of specs) {
      const pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: 'p',
          ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: 'u', controller: true }],
        },
        ...(spec === undefined ? {} : { spec }),
      } as Stored;
      assert.deepEqual(podRequests(pod), reference(pod), JSON.stringify(spec));
    }
    const ports = podRequests({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {},
      spec: { containers: [{ ports: [proto, { hostPort: 8080 }] }] },
    }).hostPorts;
    assert.deepEqual(ports, [
      { port: 7, protocol: 'UDP', ip: '' },
      { port: 8080, protocol: 'TCP', ip: '' },
    ]);
  });
});
