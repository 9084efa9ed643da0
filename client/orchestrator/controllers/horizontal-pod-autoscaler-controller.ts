/**
 * The HorizontalPodAutoscaler controller (autoscaling/v2), as Kubernetes'
 * does it: every sync period (15 s) each HPA reads its target's `scale`
 * subresource, computes a replica count per metric (hpa-metrics.ts, through
 * the replica calculator), takes the largest, stabilizes and limits it
 * (hpa-behavior.ts), writes the target's scale when it changes, and records
 * status (current/desired replicas, current metrics, last scale time,
 * conditions AbleToScale, ScalingActive, ScalingLimited) and events
 * (SuccessfulRescale, FailedGetScale, FailedGet*Metric,
 * FailedComputeMetricsReplicas) with Kubernetes' texts.
 */
import { parseLabelSelector, matches, labelValue } from '../../../server/kube-model/label-selector';
import type { MetricsHub } from '../api/metrics/metrics-source';
import { storeKey } from '../api/registry';
import { toScale } from '../api/subresource-handlers';
import { rfc3339 } from '../clock';
import type { ControllerContext } from '../machinery/controller-context';
import { PODS } from '../machinery/informer-factory';
import type { Informer } from '../machinery/informer';
import { ObjectController } from '../machinery/object-controller';
import { clone, isObject, jsonEqual, type JsonObject, type KubeObject } from '../store/object';
import type { Stored } from '../store/object-store';
import { ScalingHistory } from './hpa-behavior';
import { conditionsOf, setCondition } from './hpa-conditions';
import { computeMetric } from './hpa-metrics';

/** A string field, or '' when it is anything else. */
function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export const HPAS = 'autoscaling/horizontalpodautoscalers';
export const DEFAULT_HPA_SYNC_PERIOD_MS = 15_000;

export interface HpaControllerOptions {
  metrics: MetricsHub;
  syncPeriodMs?: number;
  /** Kubernetes' --horizontal-pod-autoscaler-downscale-stabilization (300 s). */
  downscaleStabilizationSeconds?: number;
  /** Kubernetes' CPU initialization period (5 min) and initial readiness delay (30 s). */
  cpuInitializationPeriodMs?: number;
  initialReadinessDelayMs?: number;
}

const DEFAULT_METRICS: JsonObject[] = [
  { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
];

interface Target {
  resource: string;
  obj: Stored;
}

class ScaleError extends Error {}

export class HorizontalPodAutoscalerController extends ObjectController {
  private readonly pods: Informer;
  private readonly history: ScalingHistory;
  private readonly synced = new Set<string>();
  readonly syncPeriodMs: number;

  constructor(
    ctx: ControllerContext,
    private readonly o: HpaControllerOptions,
  ) {
    super(ctx, {
      name: 'horizontal-pod-autoscaler',
      resource: HPAS,
      workers: 1,
      backoff: { baseDelayMs: 1000, maxDelayMs: 30_000 },
    });
    this.syncPeriodMs = o.syncPeriodMs ?? DEFAULT_HPA_SYNC_PERIOD_MS;
    this.history = new ScalingHistory(o.downscaleStabilizationSeconds);
    this.pods = ctx.informers.for(PODS);
  }

  /** A new HPA syncs at once; after that each syncs once per period, as Kubernetes' rate-limited queue does. */
  protected override enqueue(obj: Stored): void {
    const key = `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
    if (!this.synced.has(key)) this.queue.add(key);
  }

  async reconcile(key: string): Promise<void> {
    const [namespace = '', name = ''] = key.split('/');
    const hpa = this.objects.get(namespace, name);
    if (!hpa || hpa.metadata.deletionTimestamp) {
      this.synced.delete(key);
      this.history.forget(key);
      return;
    }
    this.synced.add(key);
    try {
      await this.sync(key, hpa);
    } finally {
      this.queue.addAfter(key, this.syncPeriodMs);
    }
  }

  private target(hpa: Stored): Target {
    const spec = isObject(hpa.spec) ? hpa.spec : {};
    const ref = isObject(spec.scaleTargetRef) ? spec.scaleTargetRef : {};
    const apiVersion = text(ref.apiVersion);
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    const kind = text(ref.kind);
    const name = text(ref.name);
    const def = this.ctx.api.registry.byGroupKind(group, kind);
    if (!def || !def.subresources.includes('scale'))
      throw new ScaleError(`no matches for kind "${kind}" in group "${group}"`);
    const resource = storeKey(def);
    const obj = this.ctx.store.get(resource, hpa.metadata.namespace ?? '', name);
    if (!obj) throw new ScaleError(`${def.resource}${group ? `.${group}` : ''} "${name}" not found`);
    return { resource, obj };
  }

  private selectedPods(namespace: string, selector: string): Stored[] {
    const requirements = parseLabelSelector(selector);
    return this.pods.list(namespace).filter((p) => matches(requirements, (k) => labelValue(p.metadata.labels, k)));
  }

  private async sync(key: string, hpa: Stored): Promise<void> {
    const now = this.ctx.clock.now();
    const spec = isObject(hpa.spec) ? hpa.spec : {};
    const oldStatus = isObject(hpa.status) ? hpa.status : {};
    const conditions = conditionsOf(oldStatus);
    const minReplicas = typeof spec.minReplicas === 'number' ? spec.minReplicas : 1;
    const maxReplicas = typeof spec.maxReplicas === 'number' ? spec.maxReplicas : 0;
    const metricSpecs =
      Array.isArray(spec.metrics) && spec.metrics.length > 0 ? spec.metrics.filter(isObject) : DEFAULT_METRICS;
    const status: JsonObject = { ...oldStatus, conditions };
    const write = async () => {
      status.conditions = conditions;
      if (jsonEqual(status, oldStatus)) return;
      const next = clone(hpa) as KubeObject;
      next.status = status;
      await this.writer.updateStatus(HPAS, next);
    };

    let target: Target;
    try {
      target = this.target(hpa);
    } catch (error) {
      const message = (error as Error).message;
      this.record(hpa, 'Warning', 'FailedGetScale', message);
      setCondition(
        conditions,
        'AbleToScale',
        'False',
        'FailedGetScale',
        `the HPA controller was unable to get the target's current scale: ${message}`,
        now,
      );
      await write();
      if (error instanceof ScaleError) return;
      throw error;
    }
    setCondition(
      conditions,
      'AbleToScale',
      'True',
      'SucceededGetScale',
      "the HPA controller was able to get the target's current scale",
      now,
    );
    const scale = toScale(target.obj);
    const scaleSpec = scale.spec as JsonObject;
    const scaleStatus = scale.status as JsonObject;
    const currentReplicas = Number(scaleSpec.replicas);
    const statusReplicas = Number(scaleStatus.replicas);
    const selector = text(scaleStatus.selector);

    let desired = 0;
    let rescaleReason = '';
    let rescale = false;
    let metricStatuses: JsonObject[] | undefined;
    if (currentReplicas === 0 && minReplicas !== 0) {
      setCondition(
        conditions,
        'ScalingActive',
        'False',
        'ScalingDisabled',
        'scaling is disabled since the replica count of the target is zero',
        now,
      );
      desired = 0;
    } else if (currentReplicas > maxReplicas) {
      rescaleReason = 'Current number of replicas above Spec.MaxReplicas';
      desired = maxReplicas;
      rescale = true;
    } else if (currentReplicas < minReplicas) {
      rescaleReason = 'Current number of replicas below Spec.MinReplicas';
      desired = minReplicas;
      rescale = true;
    } else {
      if (selector === '') {
        this.record(hpa, 'Warning', 'SelectorRequired', 'selector is required');
        setCondition(
          conditions,
          'ScalingActive',
          'False',
          'InvalidSelector',
          "the HPA target's scale is missing a selector",
          now,
        );
        Object.assign(status, { currentReplicas, desiredReplicas: status.desiredReplicas ?? 0 });
        await write();
        return;
      }
      let pods: Stored[];
      try {
        pods = this.selectedPods(hpa.metadata.namespace ?? '', selector);
      } catch (error) {
        const message = `couldn't convert selector into a corresponding internal selector object: ${(error as Error).message}`;
        this.record(hpa, 'Warning', 'InvalidSelector', message);
        setCondition(conditions, 'ScalingActive', 'False', 'InvalidSelector', message, now);
        await write();
        return;
      }
      const input = {
        hub: this.o.metrics,
        namespace: hpa.metadata.namespace ?? '',
        pods,
        specReplicas: currentReplicas,
        statusReplicas,
        options: {
          now,
          ...(this.o.cpuInitializationPeriodMs !== undefined
            ? { cpuInitializationPeriodMs: this.o.cpuInitializationPeriodMs }
            : {}),
          ...(this.o.initialReadinessDelayMs !== undefined
            ? { initialReadinessDelayMs: this.o.initialReadinessDelayMs }
            : {}),
        },
      };
      let proposal = 0;
      let metricName = '';
      let invalid = 0;
      let firstError: { reason: string; message: string; wrapped: string } | undefined;
      metricStatuses = [];
      for (const metricSpec of metricSpecs) {
        const result = computeMetric(input, metricSpec);
        if (!result.ok) {
          this.record(hpa, 'Warning', result.reason, result.message);
          metricStatuses.push({ type: '' });
          if (!firstError) firstError = result;
          invalid++;
          continue;
        }
        metricStatuses.push(result.status);
        if (proposal === 0 || result.replicas > proposal) {
          proposal = result.replicas;
          metricName = result.name;
        }
      }
      if (firstError && (invalid >= metricSpecs.length || proposal < currentReplicas)) {
        setCondition(
          conditions,
          'ScalingActive',
          'False',
          firstError.reason,
          `the HPA was unable to compute the replica count: ${firstError.message}`,
          now,
        );
        Object.assign(status, { currentReplicas, currentMetrics: metricStatuses });
        if (status.desiredReplicas === undefined) status.desiredReplicas = 0;
        await write();
        this.record(
          hpa,
          'Warning',
          'FailedComputeMetricsReplicas',
          `invalid metrics (${invalid} invalid out of ${metricSpecs.length}), first error is: ${firstError.wrapped}`,
        );
        return;
      }
      setCondition(
        conditions,
        'ScalingActive',
        'True',
        'ValidMetricFound',
        `the HPA was able to successfully calculate a replica count from ${metricName}`,
        now,
      );
      desired = proposal;
      if (desired > currentReplicas) rescaleReason = `${metricName} above target`;
      else if (desired < currentReplicas) rescaleReason = 'All metrics below target';
      const normalized = this.history.normalize({
        key,
        now,
        current: currentReplicas,
        desired,
        min: minReplicas,
        max: maxReplicas,
        behavior: spec.behavior ?? undefined,
      });
      desired = normalized.replicas;
      setCondition(
        conditions,
        'AbleToScale',
        'True',
        normalized.ableToScale.reason,
        normalized.ableToScale.message,
        now,
      );
      const limited = normalized.scalingLimited;
      setCondition(conditions, 'ScalingLimited', limited.status, limited.reason, limited.message, now);
      rescale = desired !== currentReplicas;
    }

    if (rescale) {
      try {
        const next = clone(target.obj) as KubeObject;
        (next.spec as JsonObject).replicas = desired;
        await this.writer.update(target.resource, next);
      } catch (error) {
        const message = (error as Error).message;
        this.record(
          hpa,
          'Warning',
          'FailedRescale',
          `New size: ${desired}; reason: ${rescaleReason}; error: ${message}`,
        );
        setCondition(
          conditions,
          'AbleToScale',
          'False',
          'FailedUpdateScale',
          `the HPA controller was unable to update the target scale: ${message}`,
          now,
        );
        await write();
        throw error;
      }
      setCondition(
        conditions,
        'AbleToScale',
        'True',
        'SucceededRescale',
        `the HPA controller was able to update the target scale to ${desired}`,
        now,
      );
      this.record(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${rescaleReason}`);
      this.history.recordScale(key, spec.behavior ?? undefined, currentReplicas, desired, now);
      status.lastScaleTime = rfc3339(now);
    } else {
      desired = currentReplicas;
    }
    status.currentReplicas = currentReplicas;
    status.desiredReplicas = desired;
    if (metricStatuses !== undefined) status.currentMetrics = metricStatuses;
    await write();
  }
}
