/**
 * HorizontalPodAutoscalers in `autoscaling/v1`, served as Kubernetes serves
 * them: stored as v2, converted on the way in and out. v1 has one target,
 * `targetCPUUtilizationPercentage` (a v2 `Resource` cpu `Utilization`
 * metric) and `status.currentCPUUtilizationPercentage`; what v1 cannot say
 * (other metrics, behavior, conditions) travels in the
 * `autoscaling.alpha.kubernetes.io/*` annotations, as in Kubernetes.
 * get, list, create, update, merge/JSON patch and delete work in v1; watch is
 * served in v2 only (kubectl uses v2, the preferred version).
 */
import { apiVersionOf } from '../../../server/kube-model/kinds';
import { badRequest, notFound, StatusError } from '../store/errors';
import { clone, isObject, type JsonObject, type KubeObject } from '../store/object';
import type { Stored } from '../store/object-store';
import type { Call } from './api-context';
import { handleDelete } from './delete-handler';
import { readBody, sendJson } from './http-io';
import { applyPatch, patchType } from './patch-handler';
import { MergeSchema } from '../../../server/kube-model/patch/patch-meta';
import { getStored, respondObjects } from './read-handlers';
import { storeKey, type ResourceDef } from './registry';
import { selectorFromQuery } from './selectors';
import { wantsTable } from './tables/table';
import { admitAndStore, checkBody, readObjectBody } from './write-handlers';

const METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/metrics';
const BEHAVIOR_ANNOTATION = 'autoscaling.alpha.kubernetes.io/behavior';
const CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';
const CURRENT_METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/current-metrics';

function isCpuUtilization(m: unknown): boolean {
  return (
    isObject(m) &&
    m.type === 'Resource' &&
    isObject(m.resource) &&
    m.resource.name === 'cpu' &&
    isObject(m.resource.target) &&
    m.resource.target.type === 'Utilization'
  );
}

function parseAnnotation(annotations: Record<string, string>, name: string): unknown[] | JsonObject | undefined {
  const text = annotations[name];
  if (text === undefined) return undefined;
  delete annotations[name];
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) || isObject(value) ? (value as unknown[] | JsonObject) : undefined;
  } catch {
    throw badRequest(`metadata.annotations[${name}]: not valid JSON`);
  }
}

/** A v1 HorizontalPodAutoscaler as stored (v2). */
export function hpaToV2(v1: KubeObject): KubeObject {
  const out = clone(v1);
  out.apiVersion = 'autoscaling/v2';
  const annotations = { ...(out.metadata.annotations ?? {}) };
  const spec = isObject(out.spec) ? out.spec : {};
  const next: JsonObject = {};
  if (spec.scaleTargetRef !== undefined) next.scaleTargetRef = spec.scaleTargetRef;
  if (spec.minReplicas !== undefined) next.minReplicas = spec.minReplicas;
  if (spec.maxReplicas !== undefined) next.maxReplicas = spec.maxReplicas;
  const metrics = (parseAnnotation(annotations, METRICS_ANNOTATION) as unknown[] | undefined) ?? [];
  const target = spec.targetCPUUtilizationPercentage;
  if (target !== undefined)
    metrics.push({
      type: 'Resource',
      resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } },
    });
  if (metrics.length > 0) next.metrics = metrics;
  const behavior = parseAnnotation(annotations, BEHAVIOR_ANNOTATION);
  if (behavior !== undefined) next.behavior = behavior;
  parseAnnotation(annotations, CONDITIONS_ANNOTATION);
  parseAnnotation(annotations, CURRENT_METRICS_ANNOTATION);
  out.spec = next;
  if (Object.keys(annotations).length > 0) out.metadata.annotations = annotations;
  else delete out.metadata.annotations;
  delete out.status;
  return out;
}

/** A stored (v2) HorizontalPodAutoscaler in v1. */
export function hpaToV1(v2: Stored): KubeObject {
  const out = clone(v2) as KubeObject;
  out.apiVersion = 'autoscaling/v1';
  const spec = isObject(out.spec) ? out.spec : {};
  const status = isObject(out.status) ? out.status : {};
  const annotations: Record<string, string> = { ...(out.metadata.annotations ?? {}) };
  const metrics = Array.isArray(spec.metrics) ? spec.metrics : [];
  const cpu = metrics.find(isCpuUtilization) as { resource: { target: { averageUtilization?: number } } } | undefined;
  const others = metrics.filter((m) => !isCpuUtilization(m));
  if (others.length > 0) annotations[METRICS_ANNOTATION] = JSON.stringify(others);
  if (spec.behavior !== undefined) annotations[BEHAVIOR_ANNOTATION] = JSON.stringify(spec.behavior);
  if (Array.isArray(status.conditions) && status.conditions.length > 0)
    annotations[CONDITIONS_ANNOTATION] = JSON.stringify(status.conditions);
  const current: unknown[] = Array.isArray(status.currentMetrics) ? status.currentMetrics : [];
  const cpuIndex = metrics.findIndex(isCpuUtilization);
  const currentCpu = cpuIndex === -1 ? undefined : current[cpuIndex];
  const currentOthers = current.filter((_, i) => i !== cpuIndex);
  if (currentOthers.length > 0) annotations[CURRENT_METRICS_ANNOTATION] = JSON.stringify(currentOthers);
  out.spec = {
    ...(spec.scaleTargetRef !== undefined ? { scaleTargetRef: spec.scaleTargetRef } : {}),
    ...(spec.minReplicas !== undefined ? { minReplicas: spec.minReplicas } : {}),
    ...(spec.maxReplicas !== undefined ? { maxReplicas: spec.maxReplicas } : {}),
    ...(cpu?.resource.target.averageUtilization !== undefined
      ? { targetCPUUtilizationPercentage: cpu.resource.target.averageUtilization }
      : {}),
  };
  const utilization =
    isObject(currentCpu) && isObject(currentCpu.resource) && isObject(currentCpu.resource.current)
      ? currentCpu.resource.current.averageUtilization
      : undefined;
  out.status = {
    ...(status.observedGeneration !== undefined ? { observedGeneration: status.observedGeneration } : {}),
    ...(status.lastScaleTime !== undefined ? { lastScaleTime: status.lastScaleTime } : {}),
    currentReplicas: status.currentReplicas ?? 0,
    desiredReplicas: status.desiredReplicas ?? 0,
    ...(typeof utilization === 'number' ? { currentCPUUtilizationPercentage: utilization } : {}),
  };
  if (Object.keys(annotations).length > 0) out.metadata.annotations = annotations;
  return out;
}

function storedCall(call: Call, v2: ResourceDef): Call {
  return { ...call, def: v2 };
}

/** The v1 routes (see the header); `v2` is the stored version's row. */
export async function handleHpaV1(call: Call, v2: ResourceDef): Promise<void> {
  const method = call.req.method ?? 'GET';
  const { info } = call;
  const sub = info.subresource;
  if (sub !== undefined && sub !== 'status')
    throw notFound(call.def.group, `${call.def.resource}/${sub}`, info.name ?? '');
  const stored = storedCall(call, v2);
  if (method === 'GET' && info.watchPrefix)
    throw new StatusError('MethodNotAllowed', 'watch of horizontalpodautoscalers is served in autoscaling/v2');
  if (method === 'GET' && wantsTable(call.req.headers.accept)) {
    await call.ctx.store.settled();
    if (info.name !== undefined) return respondObjects(stored, [getStored(stored)], true);
    const match = selectorFromQuery(call.query, v2);
    return respondObjects(stored, call.ctx.store.list(storeKey(v2), info.namespace).items.filter(match), false);
  }
  if (method === 'GET') {
    await call.ctx.store.settled();
    if (info.name !== undefined) return sendJson(call.res, 200, hpaToV1(getStored(stored)));
    const match = selectorFromQuery(call.query, v2);
    const items = call.ctx.store.list(storeKey(v2), info.namespace).items.filter(match).map(hpaToV1);
    return sendJson(call.res, 200, {
      kind: 'HorizontalPodAutoscalerList',
      apiVersion: apiVersionOf(call.def),
      metadata: { resourceVersion: call.ctx.store.resourceVersion },
      items,
    });
  }
  if (method === 'DELETE' && info.name !== undefined && sub === undefined) return handleDelete(stored);
  if (method === 'POST' && info.name === undefined) {
    const { object } = await readObjectBody(call);
    delete object.metadata.resourceVersion;
    const created = await admitAndStore(stored, hpaToV2(object));
    return sendJson(call.res, 201, hpaToV1(created));
  }
  if ((method === 'PUT' || method === 'PATCH') && info.name !== undefined) {
    let object: KubeObject;
    await call.ctx.store.settled();
    if (method === 'PUT') object = (await readObjectBody(call)).object;
    else {
      const type = patchType(call);
      if (type === 'application/apply-patch+yaml' || type === 'application/strategic-merge-patch+json')
        throw new StatusError(
          'UnsupportedMediaType',
          `${type} is served for horizontalpodautoscalers in autoscaling/v2 only`,
        );
      const body = await readBody(call.req);
      const schema = MergeSchema.forKind(call.ctx.schemas?.version, call.def);
      object = checkBody(call, applyPatch(type, hpaToV1(getStored(stored)), body, schema));
    }
    const old = getStored(stored);
    const next = hpaToV2(object);
    next.status = old.status; // v1 cannot say all of the v2 status: the controller's stays
    const written = await admitAndStore(stored, next, { old, ...(sub === 'status' ? { statusOnly: true } : {}) });
    return sendJson(call.res, 200, hpaToV1(written));
  }
  throw new StatusError('MethodNotAllowed', 'the server does not allow this method on the requested resource');
}
