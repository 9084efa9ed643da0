// Replay time and size of a store log holding 10,000 pods' three writes each (create, binding, the
// kubelet's Running status), as the orchestrator-scale churn writes them: the log as this build writes
// it (updates as what they changed) against the same writes logged whole (the format before), both read
// by this build's loader. Prints bytes and the median of 5 loads each.
// usage: node --import tsx bench/wal-replay.mjs [PODS]
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../client/orchestrator/clock.ts';
import { ObjectStore } from '../client/orchestrator/store/object-store.ts';
import { load } from '../client/orchestrator/store/write-ahead-log.ts';

const count = Number(process.argv[2] ?? 10_000);
const dir = mkdtempSync(join(tmpdir(), 'kw-replay-bench-'));
const whole = mkdtempSync(join(tmpdir(), 'kw-replay-bench-whole-'));
const at = '2026-12-05T06:00:00Z';
const fieldsV1 = JSON.parse(
  '{"f:metadata":{"f:labels":{"f:app":{},"f:pod-template-hash":{}},"f:ownerReferences":{"k:{\\"uid\\":\\"dd5aed49-f21f-4597-996f-fcdd20fff043\\"}":{".":{},"f:apiVersion":{},"f:kind":{},"f:name":{},"f:uid":{},"f:controller":{},"f:blockOwnerDeletion":{}}}},"f:spec":{"f:containers":{"k:{\\"name\\":\\"app\\"}":{".":{},"f:name":{},"f:image":{},"f:imagePullPolicy":{},"f:terminationMessagePath":{},"f:terminationMessagePolicy":{},"f:resources":{}}},"f:restartPolicy":{},"f:dnsPolicy":{},"f:schedulerName":{},"f:terminationGracePeriodSeconds":{},"f:securityContext":{},"f:serviceAccountName":{},"f:enableServiceLinks":{},"f:priority":{},"f:preemptionPolicy":{},"f:tolerations":{}}}',
);
const pod = (i) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: `d-${i % 100}-67f99db6c8-${i}`,
    namespace: 'default',
    labels: { app: `d-${i % 100}`, 'pod-template-hash': '67f99db6c8' },
    ownerReferences: [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `d-${i % 100}-67f99db6c8`, uid: 'dd5aed49', controller: true },
    ],
    managedFields: [
      {
        manager: 'replicaset-controller',
        operation: 'Update',
        apiVersion: 'v1',
        time: at,
        fieldsType: 'FieldsV1',
        fieldsV1,
      },
    ],
  },
  spec: {
    containers: [{ name: 'app', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent', resources: {} }],
    restartPolicy: 'Always',
    dnsPolicy: 'ClusterFirst',
    schedulerName: 'default-scheduler',
    terminationGracePeriodSeconds: 30,
    tolerations: [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ],
  },
  status: { phase: 'Pending', qosClass: 'BestEffort' },
});
const condition = (type) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: at });
try {
  const store = await ObjectStore.open({ clock: new FakeClock(), dataDir: dir, compactBytes: 2 ** 40 });
  const wave = 200;
  for (let from = 0; from < count; from += wave) {
    const ids = Array.from({ length: Math.min(wave, count - from) }, (_, k) => from + k);
    const created = await Promise.all(ids.map((i) => store.create('/pods', pod(i))));
    const bound = await Promise.all(
      created.map((p, k) =>
        store.update(
          '/pods',
          {
            ...p,
            metadata: { ...p.metadata },
            spec: { ...p.spec, nodeName: `node-${ids[k] % 100}` },
            status: { ...p.status, conditions: [condition('PodScheduled')] },
          },
          { fresh: true },
        ),
      ),
    );
    await Promise.all(
      bound.map((p, k) =>
        store.update(
          '/pods',
          {
            ...p,
            status: {
              phase: 'Running',
              qosClass: 'BestEffort',
              conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(
                condition,
              ),
              hostIP: '127.0.0.1',
              podIP: `10.244.${ids[k] >> 8}.${ids[k] & 255}`,
              startTime: at,
              containerStatuses: [
                {
                  name: 'app',
                  state: { running: { startedAt: at } },
                  ready: true,
                  restartCount: 0,
                  image: 'nginx:1.27',
                  containerID: `fake://${ids[k]}`,
                  started: true,
                },
              ],
            },
          },
          { statusOnly: true },
        ),
      ),
    );
  }
  await store.close();
  // The same writes logged whole: each record's object as the replay up to it gives it.
  const lines = readFileSync(join(dir, 'wal.jsonl'), 'utf8').split('\n').filter(Boolean);
  const objects = new Map();
  const out = [];
  for (const line of lines) {
    const record = JSON.parse(line);
    if (record.p !== undefined) {
      const base = structuredClone(objects.get(record.k));
      for (const [path, ...value] of record.p) {
        let target = base;
        for (const key of path.slice(0, -1)) target = target[key];
        if (value.length === 0) delete target[path[path.length - 1]];
        else target[path[path.length - 1]] = value[0];
      }
      objects.set(record.k, base);
      out.push(JSON.stringify({ rv: record.rv, r: record.r, k: record.k, o: base }));
    } else {
      objects.set(record.k, record.o);
      out.push(line);
    }
  }
  writeFileSync(join(whole, 'wal.jsonl'), `${out.join('\n')}\n`);
  const time = async (d) => {
    const runs = [];
    let state;
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      state = await load(d);
      runs.push(performance.now() - t);
    }
    runs.sort((a, b) => a - b);
    return { ms: Math.round(runs[2]), objects: state.entries.length, text: JSON.stringify(state.entries) };
  };
  const ours = await time(dir);
  const before = await time(whole);
  if (ours.text !== before.text) throw new Error('the two logs replay to different states');
  const mib = (d) => +(statSync(join(d, 'wal.jsonl')).size / 2 ** 20).toFixed(1);
  console.log(
    JSON.stringify({
      pods: count,
      records: lines.length,
      changesLogMiB: mib(dir),
      wholeLogMiB: mib(whole),
      changesReplayMs: ours.ms,
      wholeReplayMs: before.ms,
      objects: ours.objects,
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
  rmSync(whole, { recursive: true, force: true });
}
