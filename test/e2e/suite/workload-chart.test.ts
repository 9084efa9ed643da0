import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ChartReport } from '../../../client/webview/chart-messages.js';
import type { KubeWorkbenchApi } from '../../../client/src/extension.js';
import type { LoadStats } from '../../../client/src/charts/load-generator.js';
import { dockerAnswers } from '../shared/busybox-image.js';
import { ensureCpuBurnerImage } from '../shared/cpu-burner-image.js';
import { KubeApi } from '../shared/kube-api.js';
import { screenshot } from '../shared/screenshot.js';
import { click } from '../shared/ui.js';
import { waitFor } from '../shared/wait-for.js';

const EXTENSION_ID = 'kube-workbench.kube-workbench';
const IMAGE = 'kube-workbench-e2e/cpu-burner:1.0';
const NAME = 'autoscale-demo';
const WORKLOAD = { kind: 'Deployment', namespace: 'default', name: NAME };
const LONG = 150_000;

const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${NAME}
spec:
  replicas: 1
  selector:
    matchLabels: {app: ${NAME}}
  template:
    metadata:
      labels: {app: ${NAME}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
        - name: web
          image: ${IMAGE}
          ports: [{containerPort: 8080}]
          resources:
            requests: {cpu: 50m, memory: 16Mi}
            limits: {cpu: 500m, memory: 64Mi}
---
apiVersion: v1
kind: Service
metadata:
  name: ${NAME}
spec:
  type: NodePort
  selector: {app: ${NAME}}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: ${NAME}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ${NAME}}
  minReplicas: 1
  maxReplicas: 4
  metrics:
    - type: Resource
      resource:
        name: cpu
        target: {type: Utilization, averageUtilization: 50}
  behavior:
    scaleDown:
      stabilizationWindowSeconds: 10
`;

interface ChartRead {
  report: ChartReport;
}

let api: KubeWorkbenchApi;
let kube: KubeApi;
let docker = false;

suite('Autoscaling: the live chart of a workload while load runs', function () {
  this.timeout(LONG * 2);

  suiteSetup(async function () {
    this.timeout(LONG);
    const extension = vscode.extensions.getExtension<KubeWorkbenchApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    api = await extension.activate();
    docker = dockerAnswers() && ensureCpuBurnerImage(IMAGE);
    if (!docker) return;
    await vscode.workspace
      .getConfiguration('kubeWorkbench')
      .update('embeddedCluster.runtime', 'docker', vscode.ConfigurationTarget.Global);
    kube = new KubeApi(await vscode.commands.executeCommand<string>('kubeWorkbench.embeddedKubeconfig'));
  });

  suiteTeardown(async function () {
    this.timeout(LONG);
    if (!docker) return;
    for (const path of [
      `/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/${NAME}`,
      `/apis/apps/v1/namespaces/default/deployments/${NAME}`,
      `/api/v1/namespaces/default/services/${NAME}`,
    ])
      await kube.call('DELETE', path).catch((error: unknown) => console.log(`cleanup: ${path}: ${String(error)}`));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('under load the autoscaler adds replicas, and the chart and the tree show it', async function () {
    if (!docker) return this.skip(); // CPU usage needs real containers
    this.timeout(LONG * 2);
    const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: MANIFEST });
    await vscode.window.showTextDocument(document);
    const applied = await vscode.commands.executeCommand<{ ready: boolean; error?: string }>(
      'kubeWorkbench.applyFile',
      document.uri,
    );
    assert.equal(applied.error, undefined);
    assert.equal(applied.ready, true);

    const shown = await vscode.commands.executeCommand('kubeWorkbench.showWorkloadChart', WORKLOAD);
    assert.deepEqual(shown, WORKLOAD);
    // A read the webview does not answer (still loading) is tried again, not a failure.
    const read = async () =>
      await vscode.commands
        .executeCommand<ChartRead | undefined>('kubeWorkbench.readWorkloadChart', WORKLOAD)
        .then(undefined, (error: unknown) => {
          console.log(`chart read: ${String(error)}`);
          return undefined;
        });
    // The webview has drawn its four charts with the first samples (one replica, ready).
    const first = await waitFor(
      read,
      (r) => (r?.report.charts.length ?? 0) === 4 && (r?.report.charts[0]?.points ?? 0) > 0,
      'the chart to draw its first samples',
      30_000,
    );
    assert.deepEqual(
      first?.report.charts.map((c) => c.title),
      ['Replicas', 'CPU per pod (millicores)', 'Memory per pod (MiB)', 'Requests'],
    );
    assert.deepEqual(first?.report.charts[0]?.series, ['desired', 'ready']);
    assert.equal(first?.report.charts[0]?.last[0], 1);

    const { json } = await kube.call('GET', `/api/v1/namespaces/default/services/${NAME}`);
    const nodePort = (json as { spec: { ports: { nodePort: number }[] } }).spec.ports[0]?.nodePort;
    assert.ok(nodePort, 'the Service has a node port');
    const load = vscode.commands.executeCommand<LoadStats | undefined>('kubeWorkbench.sendLoad', {
      url: `http://127.0.0.1:${nodePort}/cgi-bin/burn`,
      concurrency: 4,
      durationSeconds: 100,
    });

    // The replica line steps up: the webview holds a desired count above 1 and a rescale marker.
    const stepped = await waitFor(
      read,
      (r) => (r?.report.charts[0]?.last[0] ?? 0) >= 2 && (r?.report.markers ?? []).some((m) => m.kind === 'rescale'),
      'the chart to show the autoscaler adding replicas',
      LONG,
    );
    const cpu = stepped?.report.charts[1]?.last[0];
    assert.ok(typeof cpu === 'number' && cpu > 0, `the chart shows CPU in use per pod (${String(cpu)})`);
    const rescales = (stepped?.report.markers ?? []).filter((m) => m.kind === 'rescale').map((m) => m.text);
    assert.ok(
      rescales.some((t) => /^1 → \d replicas: New size: \d; reason: cpu resource utilization/.test(t)),
      rescales.join(' | '),
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await screenshot('e2e-autoscale-chart');

    // The tree: the autoscaler under its Deployment, with its replicas, range and CPU against target.
    const deployment = api.clusterExplorer.find('Deployment', NAME, 'default');
    assert.ok(deployment, 'the tree shows the Deployment');
    const hpaRow = await waitFor(
      () =>
        api.clusterExplorer
          .getChildren(api.clusterExplorer.find('Deployment', NAME, 'default'))
          .find((n) => n.ref?.kind === 'HorizontalPodAutoscaler'),
      (n) => /^\d replicas? \(1–4\), cpu \d+%\/50%/.test(n?.description ?? ''),
      'the tree to show the autoscaler with its CPU target',
      30_000,
    );
    console.log(`tree: ${hpaRow?.label ?? ''}: ${hpaRow?.description ?? ''}`);
    // Seen what it came for, the user cancels the load from its notification rather than wait out its
    // 100 s; should the click miss, the load ends by itself.
    const cancelled = await click('notification:sending load|Cancel');
    console.log(`load notification's Cancel clicked: ${String(cancelled)}`);
    const stats = await load;
    assert.ok(stats && stats.ok > 0, `the load got answers (${JSON.stringify(stats)})`);
  });
});
