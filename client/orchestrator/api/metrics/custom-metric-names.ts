/**
 * The metrics the custom metrics API serves (`custom.metrics.k8s.io/v1beta2`),
 * counted by the Service and Ingress data paths: per pod, requests in flight
 * and per second; per Service and per Ingress, requests per second. Discovery
 * lists them as the custom metrics API does, `<resource>/<metric>`.
 */
import type { CountedObject } from './metrics-source';

export const HTTP_REQUESTS_IN_FLIGHT = 'http_requests_in_flight';
export const HTTP_REQUESTS_PER_SECOND = 'http_requests_per_second';
export const REQUESTS_PER_SECOND = 'requests_per_second';

export interface CustomMetricName {
  /** As discovery lists it: `pods/http_requests_in_flight`. */
  resource: string;
  /** The kind of object it describes, as the path names it (`pods`, `services`, `ingresses.networking.k8s.io`). */
  target: string;
  counted: CountedObject;
  metric: string;
}

function metric(target: string, counted: CountedObject, name: string): CustomMetricName {
  return { resource: `${target}/${name}`, target, counted, metric: name };
}

export const CUSTOM_METRICS: readonly CustomMetricName[] = [
  metric('pods', 'pods', HTTP_REQUESTS_IN_FLIGHT),
  metric('pods', 'pods', HTTP_REQUESTS_PER_SECOND),
  metric('services', 'services', REQUESTS_PER_SECOND),
  metric('ingresses.networking.k8s.io', 'ingresses', REQUESTS_PER_SECOND),
];

/** The metric a path names: its object kind (`pods`, `ingresses.networking.k8s.io`...) and metric name. */
export function findCustomMetric(target: string, name: string): CustomMetricName | undefined {
  const normalized = target === 'ingresses' ? 'ingresses.networking.k8s.io' : target;
  return CUSTOM_METRICS.find((m) => m.target === normalized && m.metric === name);
}
