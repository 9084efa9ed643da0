/**
 * `custom.metrics.k8s.io/v1beta2`, as a custom metrics adapter serves it: the
 * request counts of the cluster's Service and Ingress data paths, per pod
 * (`namespaces/NS/pods/NAME|*\/METRIC` with a label selector), per Service and
 * per Ingress (`.../services/NAME/METRIC`, `.../ingresses.networking.k8s.io/NAME/METRIC`),
 * each a `MetricValueList`. A running pod no request reached reads 0.
 */
import { notFound, StatusError } from '../../store/errors';
import { isObject } from '../../store/object';
import type { Stored } from '../../store/object-store';
import type { Call } from '../api-context';
import { sendJson } from '../http-io';
import { selectorFromQuery } from '../selectors';
import { findCustomMetric, HTTP_REQUESTS_IN_FLIGHT } from './custom-metric-names';
import { timestampText, valueQuantity } from './metric-format';
import type { CountedObject, RequestRates } from './metrics-source';

const GROUP = 'custom.metrics.k8s.io';
const API_VERSION = `${GROUP}/v1beta2`;

const DESCRIBED: Record<CountedObject, { kind: string; apiVersion: string; store: string }> = {
  pods: { kind: 'Pod', apiVersion: '/v1', store: '/pods' },
  services: { kind: 'Service', apiVersion: '/v1', store: '/services' },
  ingresses: { kind: 'Ingress', apiVersion: 'networking.k8s.io/v1', store: 'networking.k8s.io/ingresses' },
};

function running(pod: Stored): boolean {
  return isObject(pod.status) && pod.status.phase === 'Running' && !pod.metadata.deletionTimestamp;
}

export async function handleCustomMetrics(call: Call): Promise<void> {
  if (call.req.method !== 'GET')
    throw new StatusError('MethodNotAllowed', 'the server does not allow this method on the requested resource');
  const { info } = call;
  const name = info.name;
  const metric = info.subresource;
  if (info.namespace === undefined || name === undefined || metric === undefined)
    throw new StatusError('NotFound', `the server could not find the requested resource (${call.req.url ?? ''})`);
  const found = findCustomMetric(info.resource, metric);
  if (!found) throw notFound(GROUP, `${info.resource}/${metric}`, name);
  await call.ctx.store.settled();
  const described = DESCRIBED[found.counted];
  const now = call.ctx.clock.now();
  const value = (rates: RequestRates | undefined) =>
    found.metric === HTTP_REQUESTS_IN_FLIGHT ? (rates?.inFlight ?? 0) : (rates?.perSecond ?? 0);
  let objects: Stored[];
  if (name === '*') {
    if (found.counted !== 'pods') throw new StatusError('BadRequest', `only pods metrics can be listed with "*"`);
    const match = selectorFromQuery(call.query, { group: '', kind: 'Pod' });
    objects = call.ctx.store.list('/pods', info.namespace).items.filter((p) => running(p) && match(p));
  } else {
    const obj = call.ctx.store.get(described.store, info.namespace, name);
    if (!obj) throw notFound(GROUP, `${info.resource}/${metric}`, name);
    objects = [obj];
  }
  const items = objects.map((obj) => {
    const rates = call.ctx.metrics?.requestRates(found.counted, info.namespace!, obj.metadata.name ?? '');
    return {
      describedObject: {
        kind: described.kind,
        namespace: info.namespace,
        name: obj.metadata.name ?? '',
        apiVersion: described.apiVersion,
      },
      metric: { name: found.metric, selector: null },
      timestamp: timestampText(rates?.timestamp ?? now),
      windowSeconds: Math.max(1, Math.round((rates?.windowMs ?? 1000) / 1000)),
      value: valueQuantity(value(rates)),
    };
  });
  sendJson(call.res, 200, { kind: 'MetricValueList', apiVersion: API_VERSION, metadata: {}, items });
}
