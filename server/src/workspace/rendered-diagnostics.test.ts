import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { KustomizeHost } from '../../kube-model/kustomize/index.js';
import { renderKustomization } from '../../kube-model/kustomize/index.js';
import { createLanguageService } from '../language-service.js';
import { diagnosticsForFile, placeRenderDiagnostics } from './rendered-diagnostics.js';
import type { PlacedDiagnostic, RenderFindings } from './rendered-diagnostics.js';
import type { EditorKustomizeHost } from './kustomize-host.js';

function memoryHost(files: Record<string, string>): EditorKustomizeHost & KustomizeHost {
  return {
    readFile: (path) => files[path],
    isDirectory: (path) => Object.keys(files).some((f) => f.startsWith(`${path}/`)),
    list: () => [],
  };
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
`;

describe('placeRenderDiagnostics', () => {
  it('puts an error of the rendered object on the overlay line that set the value', () => {
    const host = memoryHost({
      '/w/base/kustomization.yaml': 'resources: [deployment.yaml]\n',
      '/w/base/deployment.yaml': DEPLOYMENT,
      '/w/prod/kustomization.yaml':
        'resources: [../base]\nreplicas:\n  - name: web\n    count: 2\npatches:\n  - path: p.yaml\n',
      '/w/prod/p.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n',
    });
    const service = createLanguageService();
    const placed = placeRenderDiagnostics(renderKustomization('/w/prod', host), (text) => service.diagnostics(text));
    const errors = placed.filter((d) => d.severity === DiagnosticSeverity.Error);
    assert.ok(errors.length > 0, 'a Deployment may not have restartPolicy Never');
    for (const e of errors) {
      assert.equal(e.file, '/w/prod/p.yaml', JSON.stringify(e));
      assert.match(host.readFile(e.file)?.slice(e.start, e.end) ?? '', /Never/);
    }
  });
});

describe('diagnosticsForFile', () => {
  const d = (code: string): PlacedDiagnostic => ({
    file: '/w/base/deployment.yaml',
    start: 30,
    end: 33,
    code,
    message: code,
    severity: DiagnosticSeverity.Error,
  });
  const render = (kustomization: string, diagnostics: PlacedDiagnostic[]): RenderFindings => ({
    kustomization,
    files: new Set([kustomization, '/w/base/deployment.yaml']),
    diagnostics,
  });
  const host = memoryHost({ '/w/base/deployment.yaml': DEPLOYMENT });

  it('says in which overlays a problem of a shared base appears, unless it appears in every one', () => {
    const renders = [
      render('/w/base/kustomization.yaml', [d('everywhere')]),
      render('/w/overlays/prod/kustomization.yaml', [d('everywhere'), d('prod-only')]),
      render('/w/overlays/staging/kustomization.yaml', [d('everywhere')]),
    ];
    const found = diagnosticsForFile('/w/base/deployment.yaml', renders, host);
    assert.deepEqual(
      found.map((f) => f.message),
      ['everywhere', 'prod-only (in overlay prod)'],
    );
    assert.deepEqual(found[0]?.range, { start: { line: 1, character: 10 }, end: { line: 1, character: 13 } });
  });

  it('gives nothing to files no render reads', () => {
    assert.deepEqual(diagnosticsForFile('/w/other.yaml', [render('/w/k/kustomization.yaml', [d('x')])], host), []);
  });
});
