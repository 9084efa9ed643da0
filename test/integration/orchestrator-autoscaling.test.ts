/**
 * Autoscaling on the fake runtime, through the real kubectl: the fake
 * runtime's usage is driven by pod annotations (kubelet/fake-usage.ts), the
 * kubelets scrape it every second (`--metric-resolution 1`), `kubectl top`
 * reads metrics.k8s.io, and an HPA synced every second scales a Deployment up
 * to its maximum under load and back to one when the load goes, with the
 * events and `kubectl get hpa` columns Kubernetes shows.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clusterFixture, tableRows, waitUntil } from './support/cluster-process';

const APP = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels: {app: web}
      annotations: {fake.kube-workbench.io/cpu-millicores: "85", fake.kube-workbench.io/memory-bytes: 64Mi}
    spec:
      containers:
      - {name: app, image: web:1, resources: {requests: {cpu: 100m}}}
`;

const HPA = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 1
  maxReplicas: 4
  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}]
  behavior: {scaleDown: {stabilizationWindowSeconds: 2}}
`;

describe('autoscaling on the fake runtime', () => {
  const c = clusterFixture('kw-autoscale-', [
    '--metric-resolution',
    '1',
    '--horizontal-pod-autoscaler-sync-period',
    '1',
  ]);

  it('kubectl top shows the driven usage of pods and nodes', async () => {
    c.apply(APP);
    const [row] = await waitUntil('a pod in kubectl top', 30, () => {
      const r = c.kubectl(['top', 'pod', '--no-headers']);
      return r.code === 0 && r.out.includes('web-') ? tableRows(r.out) : undefined;
    });
    assert.deepEqual(row?.slice(1), ['85m', '64Mi']);
    const [container] = tableRows(c.ok(['top', 'pod', '-A', '--containers', '-l', 'app=web', '--no-headers']));
    assert.deepEqual([container?.[0], ...container!.slice(2)], ['default', 'app', '85m', '64Mi']);
    assert.equal(c.ok(['top', 'pod', '-l', 'app=none', '--no-headers']).trim(), '');
    const [node] = tableRows(c.ok(['top', 'node', '--no-headers']));
    assert.equal(node?.[0], 'kube-workbench-node-1');
    assert.equal(node?.[1], '85m');
    assert.match(node?.[2] ?? '', /^\d+%$/);
    assert.equal(node?.[3], '64Mi');
  });

  it('scales the Deployment up under load and back down without it', async () => {
    c.apply(HPA);
    await waitUntil('4 running pods', 40, () => {
      const rows = tableRows(c.ok(['get', 'pods', '-l', 'app=web', '--no-headers']));
      return rows.length === 4 && rows.every((r) => r[2] === 'Running');
    });
    const [hpa] = await waitUntil('the HPA at 4 replicas', 20, () => {
      const rows = tableRows(c.ok(['get', 'hpa', 'web', '--no-headers']));
      return rows[0]?.[6] === '4' ? rows : undefined;
    });
    assert.deepEqual(hpa?.slice(0, 7), ['web', 'Deployment/web', 'cpu:', '85%/50%', '1', '4', '4']);
    const reasons = c.ok([
      'get',
      'events',
      '--field-selector',
      'involvedObject.kind=HorizontalPodAutoscaler',
      '-o',
      'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}',
    ]);
    assert.match(
      reasons,
      /^SuccessfulRescale: New size: 2; reason: cpu resource utilization \(percentage of request\) above target$/m,
    );
    assert.match(reasons, /^SuccessfulRescale: New size: 4; reason: cpu resource utilization/m);
    // The load goes: each pod now uses 10 % of its request.
    c.ok(['annotate', 'pods', '-l', 'app=web', '--overwrite', 'fake.kube-workbench.io/cpu-millicores=10']);
    await waitUntil(
      'a scale-down to 1',
      40,
      () => c.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}']) === '1',
    );
    const after = c.ok(['get', 'events', '--field-selector', 'involvedObject.kind=HorizontalPodAutoscaler']);
    assert.match(after, /New size: 1; reason: All metrics below target/);
    const conditions = c.ok([
      'get',
      'hpa',
      'web',
      '-o',
      'jsonpath={range .status.conditions[*]}{.type}={.status}/{.reason} {end}',
    ]);
    assert.match(conditions, /AbleToScale=True\/\w+ ScalingActive=True\/ValidMetricFound ScalingLimited=\w+\/\w+/);
  });

  it('kubectl autoscale makes an autoscaling/v1 HPA, served in v2 as well', async () => {
    c.apply(APP.replace(/\bweb\b/g, 'api').replace('"85"', '"20"'));
    const out = c.ok(['autoscale', 'deployment', 'api', '--cpu-percent=50', '--min=1', '--max=3']);
    assert.match(out, /horizontalpodautoscaler.autoscaling\/api autoscaled/);
    const v1 = JSON.parse(
      c.ok(['get', '--raw', '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/api']),
    ) as {
      spec: Record<string, unknown>;
    };
    assert.deepEqual(v1.spec, {
      scaleTargetRef: { kind: 'Deployment', name: 'api', apiVersion: 'apps/v1' },
      minReplicas: 1,
      maxReplicas: 3,
      targetCPUUtilizationPercentage: 50,
    });
    const [row] = await waitUntil('a reading in kubectl get hpa', 30, () => {
      const rows = tableRows(c.ok(['get', 'hpa', 'api', '--no-headers']));
      return rows[0]?.[3] === '20%/50%' ? rows : undefined;
    });
    assert.deepEqual(row?.slice(0, 7), ['api', 'Deployment/api', 'cpu:', '20%/50%', '1', '3', '1']);
  });
});
