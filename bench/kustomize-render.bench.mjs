// Rendering Kustomize overlays: a 200-resource base (Deployments, Services,
// ConfigMaps, a generated ConfigMap) under 3 overlays (prefix, namespace,
// labels, annotations, images, replicas, a strategic merge and a JSON 6902
// patch), ours (in process, warm, as the language server re-renders on an
// edit) against `kubectl kustomize` (kustomize v5.5, one process per overlay,
// as a user or a tool runs it). Runs under `node --import tsx bench/run.mjs kustomize`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFsHost, renderKustomization } from '../server/kube-model/kustomize/index.ts';

export const title = 'Kustomize: render 3 overlays of a 200-resource base';

const ROUNDS = 5;
const WARM_PASSES = 20;
const anchorName = 'kubectl kustomize';

function write(file, text) {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
}

export function makeTree(root) {
  const docs = [];
  for (let i = 0; i < 200; i++) {
    const name = `app-${String(i).padStart(3, '0')}`;
    if (i % 3 === 0) {
      docs.push(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 1
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: main
        image: nginx:1.25
        envFrom:
        - configMapRef: {name: shared}
        - configMapRef: {name: cfg-${String(i + 2).padStart(3, '0')}}
        ports:
        - containerPort: 8080
`);
    } else if (i % 3 === 1) {
      docs.push(`apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector: {app: app-${String(i - 1).padStart(3, '0')}}
  ports:
  - port: 80
    targetPort: 8080
`);
    } else {
      docs.push(`apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg-${String(i).padStart(3, '0')}
data:
  INDEX: "${i}"
  MODE: normal
`);
    }
  }
  write(join(root, 'base', 'resources.yaml'), docs.join('---\n'));
  write(
    join(root, 'base', 'kustomization.yaml'),
    'resources:\n- resources.yaml\nconfigMapGenerator:\n- name: shared\n  literals: [LEVEL=info, REGION=eu]\ncommonLabels:\n  part-of: bench\n',
  );
  for (const env of ['dev', 'staging', 'prod']) {
    write(
      join(root, env, 'kustomization.yaml'),
      `resources:
- ../base
namespace: ${env}
namePrefix: ${env}-
labels:
- pairs: {env: ${env}}
  includeSelectors: false
commonAnnotations:
  owner: team-${env}
images:
- name: nginx
  newTag: "1.27"
replicas:
- name: app-000
  count: 3
patches:
- target: {kind: Deployment}
  patch: |-
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: any}
    spec:
      template:
        spec:
          containers:
          - name: main
            resources:
              limits: {cpu: 200m}
- target: {kind: Service, name: app-00.*}
  patch: |-
    - op: add
      path: /metadata/labels/patched
      value: "yes"
`,
    );
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run() {
  const root = mkdtempSync(join(tmpdir(), 'kz-bench-'));
  try {
    makeTree(root);
    const overlays = ['dev', 'staging', 'prod'].map((e) => join(root, e));
    const host = nodeFsHost();
    let count = 0;
    const warm = [];
    for (let pass = 0; pass < WARM_PASSES; pass++) {
      const started = performance.now();
      for (const dir of overlays) {
        const result = renderKustomization(dir, host);
        if (result.diagnostics.some((d) => d.severity === 'error')) throw new Error(result.diagnostics[0].message);
        count = result.resources.length;
      }
      warm.push(performance.now() - started);
    }
    // An edit in the base, as the language server sees it: the base's file text changes each pass
    // (so it is parsed again), then one overlay re-renders.
    const edited = [];
    const baseFile = join(root, 'base', 'resources.yaml');
    for (let pass = 0; pass < WARM_PASSES; pass++) {
      const editing = {
        readFile: (file) => {
          const text = host.readFile(file);
          return file === baseFile && text !== undefined ? `${text}# edit ${pass}\n` : text;
        },
        isDirectory: (dir) => host.isDirectory(dir),
      };
      const started = performance.now();
      renderKustomization(overlays[0], editing);
      edited.push(performance.now() - started);
    }
    const anchor = [];
    let anchorCount = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const started = performance.now();
      for (const dir of overlays) {
        const out = execFileSync('kubectl', ['kustomize', dir], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        });
        anchorCount = out.split(/^---$/m).length;
      }
      anchor.push(performance.now() - started);
    }
    if (anchorCount !== count) throw new Error(`kubectl rendered ${anchorCount} objects, ours ${count}`);
    const first = warm[0];
    return [
      {
        metric: `3 overlays (${count} objects each), median`,
        unit: 'ms',
        ours: median(warm.slice(3)),
        anchor: median(anchor),
        anchorName,
        better: 'lower',
      },
      {
        metric: '3 overlays, first render in this process',
        unit: 'ms',
        ours: first,
        anchor: median(anchor),
        anchorName,
        better: 'lower',
      },
      {
        metric: 'one overlay after an edit in the base, median',
        unit: 'ms',
        ours: median(edited.slice(3)),
        anchor: median(anchor) / 3,
        anchorName,
        better: 'lower',
      },
    ];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
