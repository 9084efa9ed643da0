// The store and its log alone, fed the writes of one orchestrator-scale churn as its log recorded them
// (issue #18, row 6's floor): each create as logged, each update as the stored version with the logged
// changes applied (the parts it did not change shared, as the components' writes share them), 500 writes
// a turn of the event loop, group commits to a real log with fdatasync. With FAKE=1 the same loop writes
// into a map instead: the harness's own CPU, to subtract. Prints the CPU seconds of each round.
//   KW_KEEP_WAL=/tmp/wal.jsonl node bench/profile-scale.mjs     (one churn's log)
//   [ROOT=/work/baseline] [FAKE=1] node --import tsx bench/store-floor.mjs /tmp/wal.jsonl [ROUNDS]
// (not a *.bench.mjs: `npm run bench` does not run it).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(process.env.ROOT ?? '.');
const { systemClock } = await import(join(root, 'client/orchestrator/clock.ts'));
const { ObjectStore } = await import(join(root, 'client/orchestrator/store/object-store.ts'));
const records = readFileSync(process.argv[2], 'utf8')
  .split('\n')
  .filter(Boolean)
  .slice(1)
  .map((line) => JSON.parse(line));
const rounds = Number(process.argv[3] ?? 3);

/** `obj` with the value at `path` set (or removed), every object on the way copied, the rest shared. */
function withChange(obj, path, value, remove) {
  const out = { ...obj };
  const key = path[0];
  if (path.length > 1) out[key] = withChange(obj[key], path.slice(1), value, remove);
  else if (remove) delete out[key];
  else out[key] = value;
  return out;
}

/** The harness's own work: the same loop against a map that keeps what it is given. */
function mapStore() {
  const objects = new Map();
  let rv = 0;
  const put = (r, o) => {
    o.metadata.resourceVersion = String(++rv);
    objects.set(`${r} ${o.metadata.namespace ?? ''}/${o.metadata.name}`, o);
    return Promise.resolve(o);
  };
  return { get: (r, ns, name) => objects.get(`${r} ${ns}/${name}`), create: put, update: put, close: async () => {} };
}

for (let round = 0; round < rounds; round++) {
  const dir = mkdtempSync(join(tmpdir(), 'kw-store-floor-'));
  const store =
    process.env.FAKE === '1'
      ? mapStore()
      : await ObjectStore.open({ clock: systemClock, dataDir: dir, report: () => {} });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const writes = [];
  let failed = 0;
  for (let i = 0; i < records.length;) {
    for (const end = Math.min(records.length, i + 500); i < end; i++) {
      const r = records[i];
      const slash = r.k.indexOf('/');
      const [namespace, name] = [r.k.slice(0, slash), r.k.slice(slash + 1)];
      let next;
      if (r.p) {
        next = store.get(r.r, namespace, name);
        for (const op of r.p) next = withChange(next, op[0], op[1], op.length === 1);
      } else if (r.o) next = r.o;
      else continue;
      next = { ...next, metadata: { ...next.metadata } };
      delete next.metadata.resourceVersion;
      const write = store.get(r.r, namespace, name)
        ? store.update(r.r, next, { fresh: true })
        : store.create(r.r, structuredClone(next), { fresh: true, keepUid: true });
      writes.push(write.catch(() => failed++));
    }
    await new Promise((r) => setImmediate(r));
  }
  await Promise.all(writes);
  const used = process.cpuUsage(cpu0);
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    JSON.stringify({
      writes: writes.length,
      failed,
      cpu: +((used.user + used.system) / 1e6).toFixed(2),
      seconds: +seconds.toFixed(2),
    }),
  );
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
