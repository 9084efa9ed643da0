/**
 * Autoscaling on real containers: a Deployment of busybox httpd whose CGI
 * script burns CPU, with a CPU request, behind a Service and an Ingress; an
 * HPA at 50 % CPU (min 1, max 4, a 5 s scale-down window) in a cluster whose
 * metrics are scraped every 2 s and whose HPAs sync every 2 s. Under load
 * from this test through the Ingress it scales to at least 3 while
 * `kubectl top` shows the CPU, and back to 1 when the load stops; the events
 * say why. A second HPA on `http_requests_in_flight` (type Pods, counted by
 * the Ingress) scales a slow endpoint under concurrent requests, and back.
 */
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { eventually, startDockerCluster, type DockerCluster } from './support/docker-cluster.js';
import { ensureLoadImage } from './support/load-image.js';
import { tableRows } from './support/cluster-process.js';

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function get(base: string, host: string, path: string): Promise<number> {
  const url = new URL(path, base);
  return new Promise((resolve) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, headers: { host }, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end();
  });
}

/** `workers` clients sending requests one after another until stopped. */
function load(base: string, host: string, path: string, workers: number): () => Promise<void> {
  let running = true;
  const loops = Array.from({ length: workers }, async () => {
    while (running) if ((await get(base, host, path)) === 0) await new Promise((r) => setTimeout(r, 100));
  });
  return async () => {
    running = false;
    await Promise.all(loops);
  };
}

const app = (image: string, name: string, hpaMetric: string, behavior: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: httpd
        image: ${image}
        ports: [{containerPort: 8080, name: http}]
        resources: {requests: {cpu: 50m}}
        readinessProbe: {httpGet: {path: /, port: http}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata: {name: ${name}}
spec:
  selector: {app: ${name}}
  ports: [{name: web, port: 80, targetPort: http}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ${name}}
spec:
  rules:
  - host: ${name}.test
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: ${name}, port: {number: 80}}}}]}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: ${name}}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ${name}}
  minReplicas: 1
  maxReplicas: 4
  metrics: [${hpaMetric}]
  behavior: ${behavior}
`;

const SHORT_SCALE_DOWN = '{scaleDown: {stabilizationWindowSeconds: 5}}';

describe('autoscaling on Docker', () => {
  let dc: DockerCluster;
  let image: string;
  before(async () => {
    dc = await startDockerCluster(['--metric-resolution', '2', '--horizontal-pod-autoscaler-sync-period', '2']);
    image = await ensureLoadImage(dc.engine);
  });
  after(async () => {
    agent.destroy();
    await dc?.destroy();
  });

  const replicas = (name: string) => dc.kubectl(['get', 'deploy', name, '-o', 'jsonpath={.spec.replicas}']).out;
  const events = (name: string) =>
    dc.kubectl([
      'get',
      'events',
      '--field-selector',
      `involvedObject.name=${name},involvedObject.kind=HorizontalPodAutoscaler`,
    ]).out;

  it('scales a CPU-burning Deployment up under load and back to 1 after it', async () => {
    dc.apply(
      app(
        image,
        'burn',
        '{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}',
        SHORT_SCALE_DOWN,
      ),
    );
    await eventually(
      'the app answering through the Ingress',
      60,
      async () => (await get(dc.cluster.ingress, 'burn.test', '/')) === 200,
    );
    const stop = load(dc.cluster.ingress, 'burn.test', '/cgi-bin/burn', 3);
    try {
      const cpu = await eventually('non-zero CPU in kubectl top', 30, () => {
        const r = dc.kubectl(['top', 'pod', '-l', 'app=burn', '--no-headers']);
        const m = r.code === 0 ? /\s(\d+)m\s/.exec(r.out) : null;
        return m && Number(m[1]) > 0 ? Number(m[1]) : undefined;
      });
      assert.ok(cpu > 25, `a busy pod uses more than half its 50m request, kubectl top says ${cpu}m`);
      await eventually('a scale-up to at least 3', 40, () => Number(replicas('burn')) >= 3);
      assert.match(
        events('burn'),
        /New size: \d; reason: cpu resource utilization \(percentage of request\) above target/,
      );
      const [hpa] = tableRows(dc.kubectl(['get', 'hpa', 'burn', '--no-headers']).out);
      assert.equal(hpa?.[2], 'cpu:');
      assert.match(hpa?.[3] ?? '', /^\d+%\/50%$/);
    } finally {
      await stop();
    }
    await eventually('a scale-down to 1', 60, () => replicas('burn') === '1');
    assert.match(events('burn'), /New size: 1; reason: All metrics below target/);
  });

  it('scales a slow endpoint on http_requests_in_flight counted by the Ingress, and back', async () => {
    dc.apply(
      app(
        image,
        'slow',
        '{type: Pods, pods: {metric: {name: http_requests_in_flight}, target: {type: AverageValue, averageValue: "2"}}}',
        SHORT_SCALE_DOWN,
      ),
    );
    await eventually(
      'the app answering through the Ingress',
      60,
      async () => (await get(dc.cluster.ingress, 'slow.test', '/')) === 200,
    );
    const stop = load(dc.cluster.ingress, 'slow.test', '/cgi-bin/slow', 12);
    try {
      await eventually('a scale-up to at least 3', 40, () => Number(replicas('slow')) >= 3);
      assert.match(events('slow'), /reason: pods metric http_requests_in_flight above target/);
      const path =
        '/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/*/http_requests_in_flight?labelSelector=app%3Dslow';
      await eventually('a pod with requests in flight in the custom metrics API', 20, () => {
        const raw = dc.kubectl(['get', '--raw', path]);
        if (raw.code !== 0) return undefined;
        return (JSON.parse(raw.out) as { items: { value: string }[] }).items.some((i) => Number(i.value) > 0);
      });
    } finally {
      await stop();
    }
    await eventually('a scale-down to 1', 60, () => replicas('slow') === '1');
  });
});
