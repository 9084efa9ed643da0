/**
 * `metrics.k8s.io/v1beta1`: PodMetrics and NodeMetrics as metrics-server
 * serves them (get and list, label selectors, all namespaces), from the
 * usage the kubelets scraped. Objects carry the labels of their pod or node,
 * so `kubectl top pod -l app=web` selects as it does on a real cluster.
 */
import { notFound, StatusError } from '../../store/errors';
import type { Stored } from '../../store/object-store';
import type { Call } from '../api-context';
import { sendJson } from '../http-io';
import { selectorFromQuery } from '../selectors';
import { cpuQuantity, goDuration, memoryQuantity, timestampText } from './metric-format';
import type { MetricsHub } from './metrics-source';

const GROUP = 'metrics.k8s.io';
const API_VERSION = `${GROUP}/v1beta1`;

function podMetrics(call: Call, hub: MetricsHub): Stored[] {
  const out: Stored[] = [];
  for (const usage of hub.podUsage()) {
    if (call.info.namespace !== undefined && usage.namespace !== call.info.namespace) continue;
    const pod = call.ctx.store.get('/pods', usage.namespace, usage.name);
    if (!pod) continue;
    out.push({
      kind: 'PodMetrics',
      apiVersion: API_VERSION,
      metadata: {
        name: usage.name,
        namespace: usage.namespace,
        creationTimestamp: timestampText(call.ctx.clock.now()),
        ...(pod.metadata.labels ? { labels: pod.metadata.labels } : {}),
      },
      timestamp: timestampText(usage.timestamp),
      window: goDuration(usage.windowMs),
      containers: usage.containers.map((c) => ({
        name: c.name,
        usage: { cpu: cpuQuantity(c.cpuNanoCores), memory: memoryQuantity(c.memoryBytes) },
      })),
    });
  }
  return out;
}

function nodeMetrics(call: Call, hub: MetricsHub): Stored[] {
  const out: Stored[] = [];
  for (const usage of hub.nodeUsage()) {
    const node = call.ctx.store.get('/nodes', '', usage.name);
    if (!node) continue;
    out.push({
      kind: 'NodeMetrics',
      apiVersion: API_VERSION,
      metadata: {
        name: usage.name,
        creationTimestamp: timestampText(call.ctx.clock.now()),
        ...(node.metadata.labels ? { labels: node.metadata.labels } : {}),
      },
      timestamp: timestampText(usage.timestamp),
      window: goDuration(usage.windowMs),
      usage: { cpu: cpuQuantity(usage.cpuNanoCores), memory: memoryQuantity(usage.memoryBytes) },
    });
  }
  return out;
}

export async function handleResourceMetrics(call: Call): Promise<void> {
  if (call.req.method !== 'GET' || call.info.subresource !== undefined || call.info.watchPrefix)
    throw new StatusError('MethodNotAllowed', 'the server does not allow this method on the requested resource');
  const hub = call.ctx.metrics;
  await call.ctx.store.settled();
  const pods = call.def.resource === 'pods';
  const all = hub ? (pods ? podMetrics(call, hub) : nodeMetrics(call, hub)) : [];
  const name = call.info.name;
  if (name !== undefined) {
    const found = all.find((m) => m.metadata.name === name);
    if (!found)
      throw notFound(GROUP, pods ? 'podmetrics' : 'nodemetrics', pods ? `${call.info.namespace ?? ''}/${name}` : name);
    sendJson(call.res, 200, found);
    return;
  }
  const match = selectorFromQuery(call.query, call.def);
  sendJson(call.res, 200, {
    kind: pods ? 'PodMetricsList' : 'NodeMetricsList',
    apiVersion: API_VERSION,
    metadata: {},
    items: all.filter(match),
  });
}
