/**
 * kubectl's client-side apply against the embedded cluster computes its
 * strategic merge patch from our OpenAPI v3 documents (merge keys, patch
 * strategies): applying the shared corpus's valid manifests a second time
 * changes nothing and prints no warning, removing a list item removes exactly
 * it, and server-side apply twice keeps the resourceVersion. Needs `npm run build`.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { clusterFixture } from './support/cluster-process';
import {
  CORPUS,
  corpusPresent,
  groupFiles,
  servedCorpusFiles,
  type CorpusGroup,
  type CorpusObject,
} from './support/corpus-groups';

/** kubectl prints one `kind.group/name verb` line per object; the verbs by object. */
function verbs(out: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const line of out.split('\n')) {
    const m = /^(\S+\/\S+) (\S+)$/.exec(line.trim());
    if (m) found.set(m[1]!, m[2]!);
  }
  return found;
}

/**
 * Why kubectl itself (not the server) sends a patch for this object on every apply, against any Kubernetes
 * API server, from the same merge metadata; undefined when it must print "unchanged". The object does not
 * change: the patch restores what the server defaults again or keeps only in another field.
 */
function alwaysPatched(value: Record<string, unknown>): string | undefined {
  const spec = value.spec as Record<string, unknown> | undefined;
  const strategy = spec?.strategy as Record<string, unknown> | undefined;
  // patch strategy retainKeys: the live map has the defaulted `type`, so kubectl sends `$retainKeys`.
  if (value.kind === 'Deployment' && strategy !== undefined && strategy.type === undefined)
    return 'spec.strategy without type';
  // policy/v1 PodDisruptionBudgetSpec.selector has patch strategy `replace`: always sent whole.
  if (value.kind === 'PodDisruptionBudget' && spec?.selector !== undefined) return 'selector is replaced';
  // An atomic list whose elements the server defaults (volumeMode, status.phase...): replaced whole.
  if (value.kind === 'StatefulSet' && Array.isArray(spec?.volumeClaimTemplates)) return 'volumeClaimTemplates';
  // Write-only: the server moves it into `data`, so the live object never has it.
  if (value.kind === 'Secret' && value.stringData !== undefined) return 'stringData';
  return undefined;
}

/** Whether a ReplicationController or ReplicaSet among `objects` (same namespace) selects the pod's labels. */
function selectedByController(pod: CorpusObject, objects: readonly CorpusObject[]): boolean {
  const labels = (pod.value.metadata as { labels?: Record<string, string> } | undefined)?.labels ?? {};
  return objects.some((o) => {
    if ((o.kind !== 'ReplicationController' && o.kind !== 'ReplicaSet') || o.namespace !== pod.namespace) return false;
    const spec = (o.value.spec ?? {}) as {
      selector?: Record<string, unknown>;
      template?: { metadata?: { labels?: Record<string, string> } };
    };
    const raw = spec.selector ?? spec.template?.metadata?.labels ?? {};
    const selector = (o.kind === 'ReplicaSet' ? (raw.matchLabels ?? {}) : raw) as Record<string, unknown>;
    const keys = Object.keys(selector);
    return keys.length > 0 && keys.every((k) => labels[k] === selector[k]);
  });
}

describe(
  'kubectl apply twice of the shared corpus',
  { skip: corpusPresent() ? false : `no corpus at ${CORPUS}` },
  () => {
    const c = clusterFixture('kwb-apply-corpus-');
    let root = '';
    let groups: CorpusGroup[] = [];
    const dirs: string[] = [];
    before(() => {
      root = mkdtempSync(join(tmpdir(), 'kwb-corpus-groups-'));
      ({ groups } = groupFiles(servedCorpusFiles().files));
      groups.forEach((group, i) => {
        const dir = join(root, `group-${i}`);
        mkdirSync(dir);
        group.files.forEach((file, n) =>
          copyFileSync(join(CORPUS, file.path), join(dir, `${n}-${basename(file.path)}`)),
        );
        dirs.push(dir);
      });
    });
    after(() => rmSync(root, { recursive: true, force: true }));

    const applyAll = () =>
      groups.map((group, i) =>
        c.kubectl(['apply', ...(group.namespace ? ['-n', group.namespace] : []), '-f', dirs[i]!]),
      );

    it('creates every object, then prints "unchanged" for each (but what kubectl always patches) and no warning', () => {
      const started = Date.now();
      const namespaces = new Set<string>();
      for (const group of groups) {
        if (group.namespace) namespaces.add(group.namespace);
        for (const f of group.files) for (const o of f.objects) if (o.namespace) namespaces.add(o.namespace);
      }
      const declared = new Set(
        groups
          .flatMap((g) => g.files.flatMap((f) => f.objects))
          .filter((o) => o.kind === 'Namespace')
          .map((o) => o.name),
      );
      for (const ns of namespaces) {
        if (declared.has(ns)) continue;
        const r = c.kubectl(['create', 'namespace', ns]);
        assert.ok(r.code === 0 || r.err.includes('AlreadyExists'), r.err);
      }

      const first = applyAll();
      first.forEach((r, i) => assert.equal(r.code, 0, `group ${i}: ${r.err}`));
      const firstMs = Date.now() - started;
      const second = applyAll();
      const secondMs = Date.now() - started - firstMs;
      let objects = 0;
      const wrong: string[] = [];
      second.forEach((r, i) => {
        assert.equal(r.code, 0, `group ${i}: ${r.err}`);
        // The server's own Warning for a kind it stores but does not act on is the only line allowed.
        const warnings = r.err
          .split('\n')
          .filter((l) => l !== '' && !/^Warning: \w+ is stored by the embedded cluster/.test(l));
        assert.deepEqual(warnings, [], `group ${i} printed warnings`);
        const expected = groups[i]!.files.flatMap((f) => f.objects);
        const printed = verbs(r.out);
        assert.equal(printed.size, expected.length, `group ${i}: one line per object:\n${r.out}`);
        for (const [object, verb] of printed) {
          const name = object.slice(object.indexOf('/') + 1);
          const source = expected.find((o) => o.name === name && object.startsWith(`${o.kind.toLowerCase()}`));
          const wanted = source && alwaysPatched(source.value) ? 'configured' : 'unchanged';
          // A bare pod that another file's controller selects is adopted by it, as in Kubernetes, and may go as surplus.
          const adopted = source?.kind === 'Pod' && verb === 'created' && selectedByController(source, expected);
          if (verb !== wanted && !adopted) wrong.push(`group ${i}: ${object} ${verb}`);
        }
        objects += expected.length;
      });
      assert.deepEqual(wrong, [], 'the second apply changed these');
      console.log(
        `corpus: ${objects} objects in ${groups.length} kubectl apply calls; first pass ${firstMs} ms, second ${secondMs} ms`,
      );
    });
  },
);

const APP = (parts: { env: string[]; ports: number[]; volumes: string[]; sidecar: boolean; a?: string }) => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: lists
spec:
  replicas: 1
  selector:
    matchLabels: { app: lists }
  template:
    metadata:
      labels: { app: lists }
    spec:
      containers:
        - name: web
          image: nginx:1
          env:
${parts.env.map((e) => `            - { name: ${e}, value: "${e === 'A' && parts.a ? parts.a : e.toLowerCase()}" }`).join('\n')}
          ports:
${parts.ports.map((p) => `            - { containerPort: ${p} }`).join('\n')}
          volumeMounts:
${parts.volumes.map((v) => `            - { name: ${v}, mountPath: /${v} }`).join('\n')}
${parts.sidecar ? '        - { name: side, image: busybox:1 }' : ''}
      volumes:
${parts.volumes.map((v) => `        - { name: ${v}, emptyDir: {} }`).join('\n')}
`;

// On a 1.36 cluster, so kubectl reads 1.36's documents (the corpus above runs on the default, 1.34).
describe('kubectl apply of a changed manifest (lists merged by key), Kubernetes 1.36', () => {
  const c = clusterFixture('kwb-apply-lists-', ['--kubernetes-version', '1.36']);
  const full = { env: ['A', 'B', 'C'], ports: [80, 81, 82], volumes: ['v1', 'v2', 'v3'], sidecar: true };
  const live = () =>
    JSON.parse(c.ok(['get', 'deployment', 'lists', '-o', 'json'])) as {
      metadata: { resourceVersion: string };
      spec: {
        template: {
          spec: {
            containers: {
              name: string;
              env?: { name: string; value: string }[];
              ports?: { containerPort: number }[];
              volumeMounts?: { name: string }[];
            }[];
            volumes: { name: string }[];
          };
        };
      };
    };
  const applied = (yaml: string) => {
    const r = c.kubectl(['apply', '-f', '-'], yaml);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, '', 'kubectl printed a warning');
    return r.out;
  };

  it('removes exactly the env var, port, volume and container left out, and a changed value keeps the others', () => {
    assert.match(c.ok(['version', '-o', 'json']), /"minor": "36"/);
    assert.match(applied(APP(full)), /created/);
    assert.match(applied(APP(full)), /unchanged/);
    assert.match(
      applied(APP({ env: ['A', 'C'], ports: [80, 82], volumes: ['v1', 'v3'], sidecar: false })),
      /configured/,
    );
    let spec = live().spec.template.spec;
    assert.deepEqual(
      spec.containers.map((x) => x.name),
      ['web'],
    );
    const web = spec.containers[0]!;
    assert.deepEqual(web.env, [
      { name: 'A', value: 'a' },
      { name: 'C', value: 'c' },
    ]);
    assert.deepEqual(
      web.ports?.map((p) => p.containerPort),
      [80, 82],
    );
    assert.deepEqual(
      web.volumeMounts?.map((m) => m.name),
      ['v1', 'v3'],
    );
    assert.deepEqual(
      spec.volumes.map((v) => v.name),
      ['v1', 'v3'],
    );

    // At -v=5 kubectl logs when it cannot compute the patch from the OpenAPI v3 document and falls back.
    const changed = c.kubectl(
      ['apply', '-v=5', '-f', '-'],
      APP({ env: ['A', 'C'], ports: [80, 82], volumes: ['v1', 'v3'], sidecar: false, a: 'new' }),
    );
    assert.equal(changed.code, 0, changed.err);
    assert.match(changed.out, /configured/);
    assert.doesNotMatch(changed.err, /OpenAPI V3|openapi v3|warning/i);
    spec = live().spec.template.spec;
    assert.deepEqual(spec.containers[0]!.env, [
      { name: 'A', value: 'new' },
      { name: 'C', value: 'c' },
    ]);
    assert.deepEqual(
      spec.containers[0]!.ports?.map((p) => p.containerPort),
      [80, 82],
    );
  });

  it("kubectl explain follows apps/v1's document down to core/v1 types it carries", () => {
    const out = c.ok(['explain', 'deployment.spec.template.spec.containers.ports']);
    assert.match(out, /containerPort\s+<integer> -required-/);
    assert.match(out, /protocol\s+<string>/);
  });

  it('kubectl apply --server-side twice: "serverside-applied", and the second changes no resourceVersion', () => {
    const yaml = APP(full).replace('name: lists', 'name: ssa').replaceAll('app: lists', 'app: ssa');
    const first = c.kubectl(['apply', '--server-side', '-f', '-'], yaml);
    assert.equal(first.code, 0, first.err);
    const before = c.ok(['get', 'deployment', 'ssa', '-o', 'jsonpath={.metadata.resourceVersion}']);
    const second = c.kubectl(['apply', '--server-side', '-f', '-'], yaml);
    assert.equal(second.code, 0, second.err);
    assert.equal(second.err, '');
    assert.match(second.out, /^deployment\.apps\/ssa serverside-applied$/m);
    assert.equal(c.ok(['get', 'deployment', 'ssa', '-o', 'jsonpath={.metadata.resourceVersion}']), before);
  });
});
