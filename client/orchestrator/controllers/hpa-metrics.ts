/**
 * One metric of a HorizontalPodAutoscaler: reads it from the metrics hub (as
 * Kubernetes' HPA reads metrics.k8s.io and custom.metrics.k8s.io), proposes a
 * replica count through the replica calculator, and says what goes into
 * `status.currentMetrics`, or why it could not (the event reason and the
 * message Kubernetes gives).
 */
import { parseQuantity } from '../../../server/kube-model/quantity';
import { HTTP_REQUESTS_IN_FLIGHT, findCustomMetric } from '../api/metrics/custom-metric-names';
import type { CountedObject, MetricsHub } from '../api/metrics/metrics-source';
import { isObject, type JsonObject } from '../store/object';
import type { Stored } from '../store/object-store';
import {
  averageValueReplicas,
  objectAverageValueReplicas,
  objectValueReplicas,
  resourceUtilizationReplicas,
  type CalculationOptions,
  type PodSamples,
} from './hpa-replica-calculator';

/** A string field, or '' when it is anything else. */
function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export interface MetricInput {
  hub: MetricsHub;
  namespace: string;
  /** The pods the target's selector selects. */
  pods: readonly Stored[];
  specReplicas: number;
  statusReplicas: number;
  options: CalculationOptions;
}

export type MetricResult =
  | { ok: true; replicas: number; name: string; status: JsonObject }
  /** `message`: the event's text; `wrapped`: the same error as FailedComputeMetricsReplicas quotes it. */
  | { ok: false; reason: string; message: string; wrapped: string };

/** A milli-value as a quantity: `250m`, `3`. */
export function milliQuantity(milli: number): string {
  const n = Math.trunc(milli);
  return n % 1000 === 0 ? String(n / 1000) : `${n}m`;
}

function milliOf(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = parseQuantity(value);
  return Number.isFinite(n) ? Math.ceil(n * 1000) : undefined;
}

function containersOf(pod: Stored): JsonObject[] {
  const spec = isObject(pod.spec) ? pod.spec : {};
  const containers = Array.isArray(spec.containers) ? spec.containers.filter(isObject) : [];
  const sidecars = (Array.isArray(spec.initContainers) ? spec.initContainers.filter(isObject) : []).filter(
    (c) => c.restartPolicy === 'Always',
  );
  return [...containers, ...sidecars];
}

function requestsOf(pods: readonly Stored[], resource: string, container: string | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const pod of pods) {
    let sum = 0;
    for (const c of containersOf(pod)) {
      if (container !== undefined && c.name !== container) continue;
      const resources = isObject(c.resources) ? c.resources : {};
      const requests = isObject(resources.requests) ? resources.requests : {};
      const request = milliOf(requests[resource]);
      if (request === undefined)
        throw new Error(`missing request for ${resource} in container ${String(c.name)} of Pod ${pod.metadata.name}`);
      sum += request;
    }
    out.set(pod.metadata.name ?? '', sum);
  }
  return out;
}

function resourceSamples(input: MetricInput, resource: string, container: string | undefined): PodSamples {
  const wanted = new Set(input.pods.map((p) => p.metadata.name ?? ''));
  const samples: PodSamples = new Map();
  for (const usage of input.hub.podUsage()) {
    if (usage.namespace !== input.namespace || !wanted.has(usage.name)) continue;
    const containers =
      container === undefined ? usage.containers : usage.containers.filter((c) => c.name === container);
    if (containers.length === 0) continue;
    let value = 0;
    for (const c of containers) value += resource === 'cpu' ? Math.ceil(c.cpuNanoCores / 1e6) : c.memoryBytes * 1000;
    samples.set(usage.name, { value, timestamp: usage.timestamp, windowMs: usage.windowMs });
  }
  if (samples.size === 0) {
    const why =
      container === undefined
        ? 'no metrics returned from resource metrics API'
        : `container ${container} not present in metrics`;
    throw new Error(`unable to get metrics for resource ${resource}: ${why}`);
  }
  return samples;
}

function resourceMetric(input: MetricInput, source: JsonObject, container: string | undefined): MetricResult {
  const resource = text(source.name);
  const target = isObject(source.target) ? source.target : {};
  const kind = container === undefined ? 'Resource' : 'ContainerResource';
  const field = container === undefined ? 'resource' : 'containerResource';
  const reason = container === undefined ? 'FailedGetResourceMetric' : 'FailedGetContainerResourceMetric';
  const label = container === undefined ? `${resource} resource` : `${resource} container resource`;
  const outer = (e: unknown) =>
    container === undefined
      ? `failed to get ${resource} resource metric value: ${(e as Error).message}`
      : `failed to get ${resource} container metric value: ${(e as Error).message}`;
  const averageValue = milliOf(target.averageValue);
  const described = { name: resource, ...(container !== undefined ? { container } : {}) };
  try {
    if (averageValue !== undefined) {
      let samples: PodSamples;
      try {
        samples = resourceSamples(input, resource, container);
      } catch (e) {
        throw new Error(`failed to get ${resource} usage: ${(e as Error).message}`);
      }
      const r = averageValueReplicas(
        input.specReplicas,
        averageValue,
        input.pods,
        samples,
        resource === 'cpu',
        input.options,
      );
      return {
        ok: true,
        replicas: r.replicas,
        name: label,
        status: { type: kind, [field]: { ...described, current: { averageValue: milliQuantity(r.average) } } },
      };
    }
    const utilization = target.averageUtilization;
    if (typeof utilization !== 'number' || !Number.isSafeInteger(utilization) || utilization <= 0)
      throw new Error(
        'invalid resource metric source: neither an average utilization target nor an average value (usage) target was set',
      );
    let r;
    try {
      const requests = requestsOf(input.pods, resource, container);
      const samples = resourceSamples(input, resource, container);
      r = resourceUtilizationReplicas(
        input.specReplicas,
        utilization,
        input.pods,
        samples,
        requests,
        resource === 'cpu',
        input.options,
      );
    } catch (e) {
      throw new Error(`failed to get ${resource} utilization: ${(e as Error).message}`);
    }
    return {
      ok: true,
      replicas: r.replicas,
      name: `${label} utilization (percentage of request)`,
      status: {
        type: kind,
        [field]: {
          ...described,
          current: { averageUtilization: r.utilization, averageValue: milliQuantity(r.rawAverage) },
        },
      },
    };
  } catch (e) {
    return { ok: false, reason, message: (e as Error).message, wrapped: outer(e) };
  }
}

function requestSample(input: MetricInput, kind: CountedObject, name: string, metric: string): number {
  const rates = input.hub.requestRates(kind, input.namespace, name);
  return Math.round((metric === HTTP_REQUESTS_IN_FLIGHT ? (rates?.inFlight ?? 0) : (rates?.perSecond ?? 0)) * 1000);
}

function podsMetric(input: MetricInput, source: JsonObject): MetricResult {
  const metric = isObject(source.metric) ? source.metric : {};
  const name = text(metric.name);
  const target = isObject(source.target) ? source.target : {};
  try {
    const found = findCustomMetric('pods', name);
    if (!found)
      throw new Error(
        `unable to get metric ${name}: unable to fetch metrics from custom metrics API: the server could not find the metric ${name} for pods`,
      );
    const averageValue = milliOf(target.averageValue);
    if (averageValue === undefined) throw new Error('invalid pods metric source: target.averageValue is required');
    const samples: PodSamples = new Map();
    const now = input.options.now;
    for (const pod of input.pods) {
      if (!isObject(pod.status) || pod.status.phase !== 'Running' || pod.metadata.deletionTimestamp) continue;
      samples.set(pod.metadata.name ?? '', {
        value: requestSample(input, 'pods', pod.metadata.name ?? '', name),
        timestamp: now,
        windowMs: 1000,
      });
    }
    const r = averageValueReplicas(input.specReplicas, averageValue, input.pods, samples, false, input.options);
    return {
      ok: true,
      replicas: r.replicas,
      name: `pods metric ${name}`,
      status: { type: 'Pods', pods: { metric: { name }, current: { averageValue: milliQuantity(r.average) } } },
    };
  } catch (e) {
    const message = (e as Error).message;
    return {
      ok: false,
      reason: 'FailedGetPodsMetric',
      message,
      wrapped: `failed to get pods metric value: ${message}`,
    };
  }
}

const OBJECT_KINDS: Record<string, { target: string; counted: CountedObject }> = {
  Service: { target: 'services', counted: 'services' },
  Ingress: { target: 'ingresses.networking.k8s.io', counted: 'ingresses' },
};

function objectMetric(input: MetricInput, source: JsonObject): MetricResult {
  const described = isObject(source.describedObject) ? source.describedObject : {};
  const metric = isObject(source.metric) ? source.metric : {};
  const name = text(metric.name);
  const kind = text(described.kind);
  const objectName = text(described.name);
  const target = isObject(source.target) ? source.target : {};
  try {
    const known = Object.prototype.hasOwnProperty.call(OBJECT_KINDS, kind) ? OBJECT_KINDS[kind] : undefined;
    const found = known && findCustomMetric(known.target, name);
    if (!known || !found)
      throw new Error(
        `unable to get metric ${name}: ${kind} on ${input.namespace} ${objectName}/unable to fetch metrics from custom metrics API: the server could not find the metric ${name} for ${kind.toLowerCase()}`,
      );
    const value = requestSample(input, known.counted, objectName, name);
    const averageValue = milliOf(target.averageValue);
    const plain = milliOf(target.value);
    const status = { describedObject: described, metric: { name } };
    if (averageValue !== undefined) {
      const r = objectAverageValueReplicas(input.statusReplicas, value, averageValue, input.options.tolerance);
      return {
        ok: true,
        replicas: r.replicas,
        name: `${kind} metric ${name}`,
        status: { type: 'Object', object: { ...status, current: { averageValue: milliQuantity(r.average) } } },
      };
    }
    if (plain === undefined)
      throw new Error('invalid object metric source: neither a value target nor an average value target was set');
    const replicas = objectValueReplicas(input.specReplicas, value, plain, input.pods, input.options.tolerance);
    return {
      ok: true,
      replicas,
      name: `${kind} metric ${name}`,
      status: { type: 'Object', object: { ...status, current: { value: milliQuantity(value) } } },
    };
  } catch (e) {
    const message = (e as Error).message;
    return {
      ok: false,
      reason: 'FailedGetObjectMetric',
      message,
      wrapped: `failed to get object metric value: ${message}`,
    };
  }
}

/** One metric's proposal (see the header). */
export function computeMetric(input: MetricInput, spec: JsonObject): MetricResult {
  switch (spec.type) {
    case 'Resource':
      return resourceMetric(input, isObject(spec.resource) ? spec.resource : {}, undefined);
    case 'ContainerResource': {
      const source = isObject(spec.containerResource) ? spec.containerResource : {};
      return resourceMetric(input, source, text(source.container));
    }
    case 'Pods':
      return podsMetric(input, isObject(spec.pods) ? spec.pods : {});
    case 'Object':
      return objectMetric(input, isObject(spec.object) ? spec.object : {});
    case 'External':
      return {
        ok: false,
        reason: 'FailedGetExternalMetric',
        message: 'the embedded cluster serves no external metrics API',
        wrapped: 'failed to get external metric value: the embedded cluster serves no external metrics API',
      };
    default:
      return {
        ok: false,
        reason: 'InvalidMetricSourceType',
        message: `unknown metric source type "${String(spec.type)}"`,
        wrapped: `unknown metric source type "${String(spec.type)}"`,
      };
  }
}
