import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { renderKustomization, type KustomizeHost, type SourceSpan } from './index';

/** An in-memory file tree (absolute paths), as the language server overlays unsaved editor text. */
function memoryHost(files: Record<string, string>): KustomizeHost {
  return {
    readFile: (file) => files[file],
    isDirectory: (dir) => Object.keys(files).some((f) => f.startsWith(`${dir}/`)),
  };
}

const text = (files: Record<string, string>, span: SourceSpan) => (files[span.file] ?? '').slice(span.start, span.end);

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.25
        envFrom:
        - configMapRef: {name: settings}
`;

describe('renderKustomization', () => {
  const files: Record<string, string> = {
    '/w/base/kustomization.yaml':
      'resources:\n- deploy.yaml\nconfigMapGenerator:\n- name: settings\n  literals: [A=1]\n',
    '/w/base/deploy.yaml': DEPLOY,
    '/w/prod/kustomization.yaml':
      'resources:\n- ../base\nnamePrefix: prod-\nimages:\n- name: nginx\n  newTag: "1.27"\npatches:\n- path: more.yaml\n',
    '/w/prod/more.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n',
  };
  const result = renderKustomization('/w/prod', memoryHost(files));
  const deploy = result.resources.find((r) => r.object['kind'] === 'Deployment');

  it('renders an overlay over a base with a generated, hashed ConfigMap and fixed references', () => {
    assert.deepEqual(result.diagnostics, []);
    const names = result.resources.map((r) => (r.object['metadata'] as { name: string }).name);
    assert.equal(names.length, 2);
    assert.match(names[0] ?? '', /^prod-settings-[a-z0-9]{10}$/);
    assert.equal(names[1], 'prod-web');
    assert.equal(JSON.stringify(deploy?.object).includes(`"name":"${names[0]}"`), true);
  });

  it("gives each value's origin: the base's line, the patch's line, the kustomization's line", () => {
    assert.ok(deploy);
    assert.equal(text(files, deploy.origin(['spec', 'template', 'spec', 'containers', 0, 'name'])), 'web');
    const replicas = deploy.origin(['spec', 'replicas']);
    assert.equal(replicas.file, '/w/prod/more.yaml');
    assert.equal(text(files, replicas), '3');
    const image = deploy.origin(['spec', 'template', 'spec', 'containers', 0, 'image']);
    assert.equal(image.file, '/w/prod/kustomization.yaml');
    assert.match(text(files, image), /name: nginx/);
    assert.equal(text(files, deploy.origin(['metadata', 'name'])), 'prod-');
    // A path below a leaf falls back to the nearest known ancestor.
    assert.equal(text(files, deploy.origin(['spec', 'replicas', 'nothing'])), '3');
  });

  it('places origins in the later documents of a multi-document file', () => {
    const f = {
      '/m/kustomization.yaml': 'resources:\n- all.yaml\n',
      '/m/all.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: one}\ndata: {k: first}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: two}\ndata: {k: second}\n---\n# comment\napiVersion: v1\nkind: Secret\nmetadata: {name: three}\nstringData: {k: third}\n',
    };
    const r = renderKustomization('/m', memoryHost(f));
    const value = (name: string, path: string[]) => {
      const found = r.resources.find((x) => (x.object['metadata'] as { name: string }).name === name);
      assert.ok(found, name);
      return text(f, found.origin(path));
    };
    assert.equal(value('one', ['data', 'k']), 'first');
    assert.equal(value('two', ['data', 'k']), 'second');
    assert.equal(value('three', ['stringData', 'k']), 'third');
  });

  it('lists the files each kustomization uses, with their roles', () => {
    const roles = result.files.map((f) => `${f.role} ${f.file}`).sort();
    assert.deepEqual(roles, [
      'kustomization /w/base/kustomization.yaml',
      'kustomization /w/prod/kustomization.yaml',
      'patch-strategic /w/prod/more.yaml',
      'resource /w/base/deploy.yaml',
    ]);
  });

  it('reports a cycle with its chain on the entry that closes it, and keeps going', () => {
    const cyc = {
      '/c/a/kustomization.yaml': 'resources:\n- ../b\n- cm.yaml\n',
      '/c/a/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: kept}\n',
      '/c/b/kustomization.yaml': 'resources:\n- ../a\n',
    };
    const r = renderKustomization('/c/a', memoryHost(cyc));
    const cycle = r.diagnostics.find((d) => d.code === 'kustomize-cycle');
    assert.ok(cycle);
    assert.equal(cycle.file, '/c/b/kustomization.yaml');
    assert.equal(text(cyc, cycle), '../a');
    assert.match(cycle.message, /\/c\/a -> \/c\/b -> \/c\/a/);
    assert.deepEqual(
      r.resources.map((x) => x.object['kind']),
      ['ConfigMap'],
    );
  });

  it('reports missing files, remote bases and plugins on their lines', () => {
    const bad = {
      '/b/kustomization.yaml':
        'resources:\n- gone.yaml\n- github.com/acme/repo//base?ref=v1\ntransformers:\n- t.yaml\npatches:\n- path: nope.yaml\nreplicas:\n- name: ghost\n  count: 2\n',
    };
    const r = renderKustomization('/b', memoryHost(bad));
    const at = (code: string) => r.diagnostics.filter((d) => d.code === code).map((d) => text(bad, d));
    assert.deepEqual(at('kustomize-missing-file'), ['gone.yaml', 'nope.yaml']);
    assert.deepEqual(at('kustomize-remote-unsupported'), ['github.com/acme/repo//base?ref=v1']);
    assert.deepEqual(at('kustomize-plugin-unsupported'), ['transformers']);
    assert.deepEqual(at('kustomize-replicas-no-target'), ['ghost']);
  });

  it('reports a patch that matches nothing: an error without target, a warning with one', () => {
    const f = {
      '/p/kustomization.yaml':
        'resources:\n- d.yaml\npatches:\n- patch: |-\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata: {name: other}\n    spec: {replicas: 2}\n- target: {kind: StatefulSet}\n  patch: |-\n    - {op: remove, path: /spec}\n',
      '/p/d.yaml': DEPLOY,
    };
    const r = renderKustomization('/p', memoryHost(f));
    const found = r.diagnostics.filter((d) => d.code === 'kustomize-patch-no-target').map((d) => d.severity);
    assert.deepEqual(found, ['error', 'warning']);
  });

  it('survives hostile input: __proto__ keys, non-map documents, bad YAML, a file that is not there', () => {
    const f = {
      '/h/kustomization.yaml':
        'resources:\n- r.yaml\n- 42\ncommonLabels:\n  __proto__: polluted\nconfigMapGenerator:\n- name: g\n  literals: [__proto__=x, "=novalue"]\n',
      '/h/r.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, labels: {__proto__: {x: 1}}}\n---\n- just\n- a list\n---\nkey: [unclosed\n',
    };
    const r = renderKustomization('/h', memoryHost(f));
    assert.equal(({} as Record<string, unknown>)['x'], undefined);
    const cm = r.resources.find((x) => (x.object['metadata'] as { name: string }).name === 'a');
    assert.ok(cm);
    const labels = (cm.object['metadata'] as { labels: Record<string, unknown> }).labels;
    assert.equal(Object.getOwnPropertyDescriptor(labels, '__proto__')?.value, 'polluted');
    const codes = r.diagnostics.map((d) => d.code).sort();
    assert.ok(codes.includes('kustomize-invalid-resource'), codes.join());
    assert.ok(codes.includes('kustomize-invalid-entry'), codes.join());
    assert.ok(codes.includes('kustomize-generator-invalid'), codes.join());
  });

  it('reports a resource nested too deeply to read, without throwing', () => {
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    const f = {
      '/n/kustomization.yaml': 'resources:\n- r.yaml\n',
      '/n/r.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\nextra: ${deep}\n`,
    };
    const r = renderKustomization('/n', memoryHost(f));
    assert.deepEqual(r.resources, []);
    assert.deepEqual(
      r.diagnostics.map((d) => `${d.code} ${d.file}: ${d.message}`),
      ['kustomize-invalid-resource /n/r.yaml: the YAML nests too deeply to read'],
    );
  });

  it('renders nothing and says why for a folder without a kustomization', () => {
    const r = renderKustomization('/none', memoryHost({}));
    assert.deepEqual(r.resources, []);
    assert.deepEqual(
      r.diagnostics.map((d) => d.code),
      ['kustomize-missing-file'],
    );
  });
});
