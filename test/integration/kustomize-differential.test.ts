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
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
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

function kubectlKustomize(dir: string): { ok: true; objects: unknown[] } | { ok: false; stderr: string } {
  try {
    const out = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return {
      ok: true,
      objects: parseAllDocuments(out)
        .map((d) => d.toJS() as unknown)
        .filter((v) => v != null),
    };
  } catch (error) {
    return { ok: false, stderr: String((error as { stderr?: unknown }).stderr ?? error) };
  }
}

describe('kustomize renders as kubectl kustomize does', () => {
  const cases = readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  it('has at least 40 cases', () => assert.ok(cases.length >= 40, `${cases.length} cases`));
  for (const name of cases) {
    it(name, () => {
      const folder = join(root, name);
      const spec: Case = existsSync(join(folder, 'case.json'))
        ? (JSON.parse(readFileSync(join(folder, 'case.json'), 'utf8')) as Case)
        : {};
      const dir = join(folder, spec.dir ?? '.');
      const want = kubectlKustomize(dir);
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
