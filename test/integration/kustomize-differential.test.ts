/**
 * The differential test of the Kustomize renderer: every case folder under
 * test/fixtures/kustomize/ is rendered by ours (kube-model/kustomize) and by
 * `kubectl kustomize` (kustomize v5.5), and the parsed outputs must be the
 * same objects with the same values in the same order. A case's optional
 * case.json names the folder to render ({"dir": "overlays/prod"}) or an error
 * both must report ({"error": "kustomize-cycle"}: kubectl fails, ours gives a
 * diagnostic with that code).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { nodeFsHost, renderKustomization } from '../../server/kube-model/kustomize/index';

const root = join(__dirname, '..', 'fixtures', 'kustomize');

interface Case {
  dir?: string;
  error?: string;
}

/** The first place two values differ, as a path and both values; undefined when equal. */
export function firstDifference(want: unknown, got: unknown, at = ''): string | undefined {
  if (Object.is(want, got)) return undefined;
  const show = (v: unknown) => JSON.stringify(v)?.slice(0, 200) ?? String(v);
  if (typeof want !== 'object' || typeof got !== 'object' || want === null || got === null) {
    return `${at || '/'}: kubectl ${show(want)}, ours ${show(got)}`;
  }
  if (Array.isArray(want) !== Array.isArray(got)) return `${at || '/'}: kubectl ${show(want)}, ours ${show(got)}`;
  const w = want as Record<string, unknown>;
  const g = got as Record<string, unknown>;
  const keys = Array.isArray(want)
    ? [...Array(Math.max(want.length, (got as unknown[]).length)).keys()].map(String)
    : [...new Set([...Object.keys(w), ...Object.keys(g)])].sort();
  for (const key of keys) {
    if (!(key in w)) return `${at}/${key}: only ours has ${show(g[key])}`;
    if (!(key in g)) return `${at}/${key}: only kubectl has ${show(w[key])}`;
    const d = firstDifference(w[key], g[key], `${at}/${key}`);
    if (d !== undefined) return d;
  }
  return undefined;
}

const ident = (o: unknown) => {
  const obj = o as { kind?: string; metadata?: { name?: string; namespace?: string } };
  return `${obj.kind}/${obj.metadata?.namespace ? obj.metadata.namespace + '/' : ''}${obj.metadata?.name}`;
};

type Rendered = { ok: true; objects: unknown[] } | { ok: false; stderr: string };

/** `kubectl kustomize DIR`, parsed. */
function kubectlKustomize(dir: string): Promise<Rendered> {
  return new Promise((resolve) => {
    execFile('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 }, (error, stdout, stderr) => {
      if (error) resolve({ ok: false, stderr: stderr || error.message });
      else
        resolve({
          ok: true,
          objects: parseAllDocuments(stdout)
            .map((d) => d.toJS() as unknown)
            .filter((v) => v != null),
        });
    });
  });
}

/** Runs `work` over `items`, `limit` at a time. */
async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

describe('kustomize renders as kubectl kustomize does', () => {
  const cases = readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const specs = new Map<string, Case>();
  const dirOf = (name: string) => {
    const folder = join(root, name);
    const spec: Case = existsSync(join(folder, 'case.json'))
      ? (JSON.parse(readFileSync(join(folder, 'case.json'), 'utf8')) as Case)
      : {};
    specs.set(name, spec);
    return join(folder, spec.dir ?? '.');
  };
  const wanted = new Map<string, Rendered>();
  // kubectl runs a few at a time (a process each); ours renders in the tests below.
  before(async () => {
    const outputs = await pool(cases, 4, (name) => kubectlKustomize(dirOf(name)));
    cases.forEach((name, i) => wanted.set(name, outputs[i] as Rendered));
  });
  it('has at least 40 cases', () => assert.ok(cases.length >= 40, `${cases.length} cases`));
  for (const name of cases) {
    it(name, () => {
      const spec = specs.get(name) ?? {};
      const dir = join(root, name, spec.dir ?? '.');
      const want = wanted.get(name);
      assert.ok(want, 'kubectl kustomize ran');
      const ours = renderKustomization(dir, nodeFsHost());
      const errors = ours.diagnostics.filter((d) => d.severity === 'error');
      if (spec.error !== undefined) {
        assert.equal(want.ok, false, 'kubectl kustomize should fail on this case');
        assert.ok(
          errors.some((d) => d.code === spec.error),
          `expected ${spec.error}, got ${JSON.stringify(ours.diagnostics.map((d) => d.code))}`,
        );
        return;
      }
      assert.ok(want.ok, `kubectl kustomize failed: ${want.ok ? '' : want.stderr}`);
      assert.deepEqual(errors, [], 'ours reported errors');
      const got = ours.resources.map((r) => JSON.parse(JSON.stringify(r.object)) as unknown);
      const wantIds = want.objects.map(ident);
      const gotIds = got.map(ident);
      assert.deepEqual(gotIds, wantIds, 'the same objects in the same order');
      want.objects.forEach((w, i) => {
        const d = firstDifference(w, got[i]);
        assert.equal(d, undefined, `${wantIds[i]}: ${d}`);
      });
    });
  }
});
