import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { FakeClock } from '../clock';
import type { Stored } from '../store/object-store';
import { engineStats } from './docker-stats';
import { FakeRuntime } from './fake-runtime';
import { annotatedMillicores, FAKE_CPU_MILLICORES, FAKE_MEMORY_BYTES } from './fake-usage';
import { ResourceMetricsCollector } from './resource-metrics-collector';

describe('ResourceMetricsCollector', () => {
  it('reports a pod once its containers have two samples: CPU from the counters over the time between, memory as last seen', async () => {
    const clock = new FakeClock();
    const runtime = new FakeRuntime({ clock }, () => '10.244.0.1');
    const annotations = { [FAKE_CPU_MILLICORES]: 'app=250,side=10', [FAKE_MEMORY_BYTES]: '64Mi' };
    const sandbox = {
      podUid: 'u1',
      namespace: 'default',
      name: 'web',
      labels: {},
      annotations,
      hostname: 'web',
      podSpec: {},
    };
    const { id: sandboxId } = await runtime.runPodSandbox(sandbox);
    const ids: string[] = [];
    for (const name of ['app', 'side']) {
      const id = await runtime.createContainer(
        sandboxId,
        { name, image: 'web:1', env: [], spec: {}, attempt: 0, init: false },
        sandbox,
      );
      await runtime.startContainer(id);
      ids.push(id);
    }
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'default', annotations },
      status: {
        containerStatuses: ['app', 'side'].map((name, i) => ({
          name,
          containerID: `fake://${ids[i]}`,
          state: { running: {} },
        })),
      },
    } as unknown as Stored;
    const collector = new ResourceMetricsCollector({ nodeName: 'node-1', clock, runtime, pods: () => [pod] });
    await collector.scrape();
    assert.deepEqual(collector.pods(), [], 'one sample is no rate yet');
    clock.advance(15_000);
    await collector.scrape();
    const [usage] = collector.pods();
    assert.equal(usage?.windowMs, 15_000);
    assert.deepEqual(
      usage?.containers.map((c) => [c.name, c.cpuNanoCores, c.memoryBytes]),
      [
        ['app', 250_000_000, 64 * 2 ** 20],
        ['side', 10_000_000, 64 * 2 ** 20], // a value without names applies to every container
      ],
    );
    assert.deepEqual(
      collector.nodes().map((n) => [n.name, n.cpuNanoCores]),
      [['node-1', 260_000_000]],
    );
  });

  it('reads nothing from hostile annotations', () => {
    for (const value of ['1e400', '-5', 'NaN', '0x10', '', '__proto__=5', '1e12'])
      assert.equal(annotatedMillicores({ [FAKE_CPU_MILLICORES]: value }, 'app'), 0, value);
  });
});

describe('engineStats', () => {
  it('takes the CPU counter and the working set (usage minus inactive file pages)', () => {
    const raw = {
      read: '2025-01-01T12:00:00.5Z',
      cpu_stats: { cpu_usage: { total_usage: 123_456_789 } },
      memory_stats: { usage: 10_000_000, stats: { total_inactive_file: 4_000_000 } },
    };
    assert.deepEqual(engineStats(raw), {
      timestamp: Date.UTC(2025, 0, 1, 12, 0, 0, 500),
      cpuUsageNanoSeconds: 123_456_789,
      memoryWorkingSetBytes: 6_000_000,
    });
    const v2 = { ...raw, memory_stats: { usage: 100, stats: { inactive_file: 500 } } };
    assert.equal(engineStats(v2)?.memoryWorkingSetBytes, 0, 'never below 0');
  });

  it('gives nothing for a stopped container or hostile answers', () => {
    assert.equal(engineStats({ read: '0001-01-01T00:00:00Z', cpu_stats: { cpu_usage: {} } }), undefined);
    assert.equal(engineStats(null), undefined);
    assert.equal(engineStats({ read: 'x', cpu_stats: { cpu_usage: { total_usage: 5 } } }), undefined);
    assert.equal(
      engineStats(
        JSON.parse('{"__proto__": {"cpu_stats": {"cpu_usage": {"total_usage": 5}}}, "read": "2025-01-01T00:00:00Z"}'),
      ),
      undefined,
    );
    assert.equal(
      engineStats({ read: '2025-01-01T00:00:00Z', cpu_stats: { cpu_usage: { total_usage: -1 } } }),
      undefined,
    );
  });
});
