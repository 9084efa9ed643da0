/**
 * The embedded cluster's API under thousands of mutated requests (issue #12):
 * bodies from real manifests (examples/ and, when present, ../shared/corpus,
 * read in place) with wrong types, fractions, huge numbers, deep nesting and
 * prototype keys; odd names, namespaces and query parameters; every verb.
 * After each batch the cluster must still answer (/readyz and kubectl); at the
 * end it must stop, start again from its data directory and hold every object
 * whose write was acknowledged and not deleted since. A 5xx or a request
 * without an answer is a finding. Deterministic: KW_API_FUZZ_SEED (printed),
 * KW_API_FUZZ_REQUESTS (default 3000) for longer runs. The summary goes to
 * test-results/api-fuzz.json (docs/RELIABILITY.md has the figures).
 * Needs `npm run build` first.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { corpusFiles, readCorpusFile } from '../unit/support/corpus';
import { fuzzRequest, pick, seeded, type Json, type Resource } from './support/api-fuzz-requests';
import { FuzzLedger } from './support/api-fuzz-ledger';
import { kubectlIn, startClusterProcess, stopClusterProcess, type ClusterProcess } from './support/cluster-process';
import { failed, rawApi, type RawApi } from './support/raw-api';

const SEED = Number(process.env.KW_API_FUZZ_SEED ?? 20_250_612);
const TOTAL = Number(process.env.KW_API_FUZZ_REQUESTS ?? 3000);
const BATCH = 250;
const CONCURRENCY = 4;
const NAMESPACE = 'fuzz';

type Manifest = { [key: string]: Json };

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/i.test(name) ? [path] : [];
  });
}

function manifests(): Manifest[] {
  const texts = [
    ...yamlFiles(join(process.cwd(), 'examples')).map((f) => readFileSync(f, 'utf8')),
    ...corpusFiles().map(readCorpusFile),
  ];
  const out: Manifest[] = [];
  for (const text of texts) {
    for (const doc of parseAllDocuments(text)) {
      try {
        const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
        if (value && typeof value === 'object' && !Array.isArray(value) && 'kind' in value) out.push(value as Manifest);
      } catch {
        // not a manifest the fuzz test can use
      }
    }
  }
  return out;
}

/** kind@apiVersion -> where it is served, from the cluster's discovery. */
async function discover(api: RawApi): Promise<Map<string, Resource>> {
  const out = new Map<string, Resource>();
  const list = async (base: string, groupVersion: string) => {
    const res = await api.send({ method: 'GET', path: base });
    if (failed(res) || res.status !== 200) return;
    const { resources } = JSON.parse(res.body) as { resources: { name: string; kind: string; namespaced: boolean }[] };
    for (const r of resources)
      if (!r.name.includes('/'))
        out.set(`${r.kind}@${groupVersion}`, { kind: r.kind, base, plural: r.name, namespaced: r.namespaced });
  };
  await list('/api/v1', 'v1');
  const groups = await api.send({ method: 'GET', path: '/apis' });
  assert.ok(!failed(groups) && groups.status === 200);
  for (const g of (JSON.parse(groups.body) as { groups: { versions: { groupVersion: string }[] }[] }).groups)
    for (const v of g.versions) await list(`/apis/${v.groupVersion}`, v.groupVersion);
  return out;
}

describe('the API under mutated requests', () => {
  let root = '';
  let cluster: ClusterProcess | undefined;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'kw-api-fuzz-'));
    cluster = await startClusterProcess(join(root, 'data'));
  });
  after(async () => {
    if (cluster) await stopClusterProcess(cluster, 'SIGKILL');
    rmSync(root, { recursive: true, force: true });
  });

  it(`answers ${TOTAL} mutated requests without a 5xx, stays up, and keeps every acknowledged object`, async () => {
    assert.ok(cluster);
    const dataDir = join(root, 'data');
    const cacheDir = join(root, 'cache');
    process.stdout.write(`api fuzz: seed ${SEED} (KW_API_FUZZ_SEED), ${TOTAL} requests (KW_API_FUZZ_REQUESTS)\n`);
    const random = seeded(SEED);
    const ledger = new FuzzLedger();
    let api = rawApi(cluster.api, dataDir);
    const resources = await discover(api);
    const pool = manifests()
      .map((m) => ({
        m,
        r: resources.get(`${JSON.stringify(m.kind)}@${JSON.stringify(m.apiVersion)}`.replace(/"/g, '')),
      }))
      .filter((x): x is { m: Manifest; r: Resource } => x.r !== undefined);
    assert.ok(pool.length > 0, 'no manifest of a served kind');
    const created = await api.send({
      method: 'POST',
      path: '/api/v1/namespaces',
      body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } }),
    });
    assert.ok(!failed(created) && created.status === 201, JSON.stringify(created));

    const alive = async (when: string): Promise<boolean> => {
      const ready = await api.send({ method: 'GET', path: '/readyz', timeoutMs: 5_000 });
      const kubectl = kubectlIn(cluster!, cacheDir, ['get', 'namespaces', '-o', 'name', '--request-timeout=10s']);
      if (!failed(ready) && ready.status === 200 && kubectl.code === 0) {
        if (!kubectl.out.split('\n').includes(`namespace/${NAMESPACE}`))
          ledger.finding(
            `the namespace ${NAMESPACE} vanished ${when}`,
            { method: 'GET', path: '/api/v1/namespaces' },
            kubectl.out,
          );
        return true;
      }
      ledger.finding(
        `the cluster stopped answering ${when}`,
        { method: 'GET', path: '/readyz' },
        `${JSON.stringify(ready)}; kubectl: ${kubectl.err}`,
      );
      return false;
    };

    const started = Date.now();
    let up = true;
    for (let done = 0; done < TOTAL && up; done += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, TOTAL - done) }, () => {
        const { m, r } = pick(random, pool);
        return fuzzRequest(random, r, m, NAMESPACE, `fz-${Math.floor(random() * 40)}`);
      });
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async (_, lane) => {
          for (let i = lane; i < batch.length; i += CONCURRENCY) {
            const req = batch[i]!;
            ledger.record(req, await api.send(req));
          }
        }),
      );
      up = await alive(`after batch ${done / BATCH + 1} (requests ${done + 1}-${done + batch.length})`);
    }
    const fuzzSeconds = (Date.now() - started) / 1000;

    // Every acknowledged object, before the stop and after the start again.
    const check = async (when: string) => {
      for (const [key, want] of ledger.objects) {
        const res = await api.send({ method: 'GET', path: want.path });
        const got = failed(res) || res.status !== 200 ? undefined : (JSON.parse(res.body) as Manifest);
        const meta = got?.metadata as { uid?: string; resourceVersion?: string } | undefined;
        if (meta?.uid === want.uid && Number(meta.resourceVersion) >= Number(want.resourceVersion)) continue;
        ledger.finding(
          `an acknowledged object is missing or older ${when}`,
          { method: 'GET', path: want.path },
          `${key}: wanted uid ${want.uid} rv ≥ ${want.resourceVersion}; got ${failed(res) ? res.error : `${res.status} uid ${meta?.uid} rv ${meta?.resourceVersion}`}`,
        );
      }
    };
    if (up) await check('before the restart');
    api.close();
    const stopCode = await stopClusterProcess(cluster);
    if (stopCode !== 0)
      ledger.finding(
        `the cluster exited ${stopCode} on SIGTERM`,
        { method: 'SIGTERM', path: '' },
        cluster.stderr().slice(-300),
      );
    try {
      cluster = await startClusterProcess(dataDir);
      api = rawApi(cluster.api, dataDir);
      if (await alive('after the restart')) await check('after the restart');
    } catch (error) {
      ledger.finding(
        'the cluster did not start again from its data directory',
        { method: 'start', path: dataDir },
        String(error),
      );
    } finally {
      api.close();
    }

    const summary = {
      seed: SEED,
      requests: ledger.requests,
      fuzzSeconds: Math.round(fuzzSeconds),
      statuses: Object.fromEntries([...ledger.statuses].sort(([a], [b]) => a.localeCompare(b))),
      acknowledgedObjectsChecked: ledger.objects.size,
      findings: ledger.findings.length,
      distinct: ledger.distinct(),
    };
    mkdirSync('test-results', { recursive: true });
    writeFileSync(join('test-results', 'api-fuzz.json'), `${JSON.stringify(summary, null, 2)}\n`);
    process.stdout.write(`api fuzz: ${JSON.stringify({ ...summary, distinct: summary.distinct.length })}\n`);
    const report = summary.distinct
      .map((d) => `- ${d.what} (×${d.count})\n    e.g. ${d.example}\n    answer: ${d.answer}`)
      .join('\n');
    assert.equal(ledger.findings.length, 0, `seed ${SEED}: ${summary.distinct.length} distinct findings:\n${report}`);
  });
});
