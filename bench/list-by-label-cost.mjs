// The CPU of a LIST by label over 10,000 pods, the orchestrator-scale bench's read, in the store alone:
// the whole bucket ordered then filtered (listDurable + filter) against the matches alone ordered
// (listDurableMatching), with the bucket's sorted keys kept and with them made again before each LIST (as
// while pods are being created). Both in one process, alternated; medians of µs per LIST.
// usage: node --import tsx bench/list-by-label-cost.mjs [rounds]
import { FakeClock } from '../client/orchestrator/clock.ts';
import { ObjectStore } from '../client/orchestrator/store/object-store.ts';

const rounds = Number(process.argv[2] ?? 15);
const store = await ObjectStore.open({ clock: new FakeClock() });
const pod = (name, app) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels: { app, 'pod-template-hash': '5d4f8c7b9' } },
  spec: { containers: [{ name: 'app', image: 'nginx:1.27' }], nodeName: `node-${name.length}` },
  status: { phase: 'Running' },
});
await Promise.all(
  Array.from({ length: 10_000 }, (_, i) =>
    store.create('/pods', pod(`d-${i % 100}-${(i * 7919).toString(36)}`, `d-${i % 100}`)),
  ),
);
const keepFor = (app) => (o) => o.metadata.labels?.app === app;
let extra = 0;
const timed = (fn, n) => {
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(i);
  return Number(process.hrtime.bigint() - t) / 1e3 / n;
};
const runs = { full: [], matching: [], fullInvalidated: [], matchingInvalidated: [] };
const touch = async () => {
  // A create and a delete: the bucket's sorted keys are made again on the next full list.
  await store.create('/configmaps', pod(`x-${extra}`, 'x'));
  const p = await store.create('/pods', pod(`x-${extra++}`, 'x'));
  await store.delete('/pods', 'default', p.metadata.name);
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (let r = 0; r < rounds; r++) {
  runs.full.push(timed((i) => store.listDurable('/pods', 'default').items.filter(keepFor(`d-${i % 100}`)), 20));
  runs.matching.push(timed((i) => store.listDurableMatching('/pods', 'default', keepFor(`d-${i % 100}`)), 20));
  let a = 0;
  let b = 0;
  for (let i = 0; i < 10; i++) {
    await touch();
    a += timed(() => store.listDurable('/pods', 'default').items.filter(keepFor(`d-${i}`)), 1);
    await touch();
    b += timed(() => store.listDurableMatching('/pods', 'default', keepFor(`d-${i}`)), 1);
  }
  runs.fullInvalidated.push(a / 10);
  runs.matchingInvalidated.push(b / 10);
}
const check = store.listDurableMatching('/pods', 'default', keepFor('d-7')).items.length;
console.log(
  JSON.stringify({
    rounds,
    matchesPerList: check,
    usPerList: Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, Math.round(median(v))])),
  }),
);
