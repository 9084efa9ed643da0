// A bench's client of a cluster process it started: each call is one authenticated HTTPS request,
// answering the parsed JSON or rejecting with the status and the start of the body.
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';

/** `call(method, path, body?, contentType?)` against the API at `api`, with the data directory's CA and token. */
export function apiClient(api, dataDir) {
  const ca = readFileSync(join(dataDir, 'apiserver.crt'), 'utf8');
  const token = readFileSync(join(dataDir, 'token'), 'utf8').trim();
  return (method, path, body, type = 'application/json') =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        new URL(path, api),
        { method, ca, headers: { Authorization: `Bearer ${token}`, ...(payload ? { 'Content-Type': type } : {}) } },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if ((res.statusCode ?? 500) >= 300)
              reject(new Error(`${method} ${path}: ${res.statusCode} ${text.slice(0, 200)}`));
            else resolve(JSON.parse(text));
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
}

/** Deployment `d-<i>` of `replicas` pods (fake-runtime benches: the image is never pulled). */
export function benchDeployment(i, replicas) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: `d-${i}`, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: `d-${i}` } },
      template: {
        metadata: { labels: { app: `d-${i}` } },
        spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
      },
    },
  };
}

/** Creates Deployments `d-0` to `d-<count - 1>` of `replicas` pods, ten requests at a time (the scale benches' churn). */
export async function createBenchDeployments(call, count, replicas) {
  for (let i = 0; i < count; i += 10)
    await Promise.all(
      Array.from({ length: Math.min(10, count - i) }, (_, k) =>
        call('POST', '/apis/apps/v1/namespaces/default/deployments', benchDeployment(i + k, replicas)),
      ),
    );
}

/** The ready replicas of every Deployment in `default`, summed (one LIST). */
export async function readyReplicas(call) {
  const list = await call('GET', '/apis/apps/v1/namespaces/default/deployments');
  return list.items.reduce((n, d) => n + (d.status?.readyReplicas ?? 0), 0);
}
