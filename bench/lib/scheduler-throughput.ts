// kube-scheduler's own benchmark shape (scheduler_perf): nodes and pending
// pods exist first, then the scheduler runs; prints {pods, seconds} as JSON.
// Runs our Scheduler in process on a store with a write-ahead log in a temp dir.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localApiContext } from '../../client/orchestrator/api/local-api-context';
import { systemClock } from '../../client/orchestrator/clock';
import { EventRecorder } from '../../client/orchestrator/machinery/event-recorder';
import { InformerFactory, NODES, PODS } from '../../client/orchestrator/machinery/informer-factory';
import { nodeObject } from '../../client/orchestrator/kubelet/node-object';
import { Scheduler } from '../../client/orchestrator/scheduler/scheduler';
import { ObjectStore } from '../../client/orchestrator/store/object-store';

const NODE_COUNT = Number(process.argv[2] ?? 100);
const POD_COUNT = Number(process.argv[3] ?? 10_000);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kw-sched-'));
  try {
    const clock = systemClock;
    const store = await ObjectStore.open({ clock, dataDir: dir });
    for (let i = 1; i <= NODE_COUNT; i++) {
      await store.create(
        NODES,
        nodeObject({ name: `node-${i}`, hostIP: '127.0.0.1', runtimeVersion: 'fake://1.0.0' }, clock.now()),
      );
    }
    const creates: Promise<unknown>[] = [];
    for (let i = 0; i < POD_COUNT; i++) {
      const owner = `owner-${i % 100}`;
      creates.push(
        store.create(PODS, {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            name: `p-${i}`,
            namespace: 'default',
            ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner, uid: owner, controller: true }],
          },
          spec: {
            containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '10m', memory: '16Mi' } } }],
          },
          status: { phase: 'Pending' },
        }),
      );
    }
    await Promise.all(creates);
    const informers = new InformerFactory(store);
    const api = localApiContext(store, clock);
    const scheduler = new Scheduler({ store, api, clock, informers, events: new EventRecorder(store, clock) });
    await informers.start();
    const t0 = performance.now();
    const running = scheduler.run();
    while (scheduler.scheduled < POD_COUNT) await new Promise((r) => setTimeout(r, 5));
    const seconds = (performance.now() - t0) / 1000;
    await running.stop();
    await store.close();
    process.stdout.write(`${JSON.stringify({ pods: POD_COUNT, nodes: NODE_COUNT, seconds })}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
