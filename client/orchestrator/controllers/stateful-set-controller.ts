/**
 * The StatefulSet controller: pods `<set>-0..N-1` with stable names, a
 * hostname and the governing Service as subdomain; their claims
 * (`<template>-<pod>`) made before them and kept when the pod goes unless
 * the retention policy says Delete. OrderedReady creates one pod at a time in
 * order, each after the one before is Running and Ready, and removes from the
 * highest ordinal, one at a time; Parallel does both at once. A template
 * change is a new ControllerRevision; RollingUpdate replaces pods from the
 * highest ordinal down to the partition, one at a time, each after the one
 * before is healthy again. Level-driven: each sync reads the set, its pods,
 * claims and revisions and takes the next steps.
 */
import { splitKey, type Informer } from '../machinery/informer';
import { PODS } from '../machinery/informer-factory';
import { ObjectController } from '../machinery/object-controller';
import { StatusError } from '../store/errors';
import { clone, isObject, jsonEqual, type JsonObject, type KubeObject } from '../store/object';
import type { Stored } from '../store/object-store';
import { CLAIMS } from '../store/storage-class';
import { asError, numberOr, type ControllerContext } from '../machinery/controller-context';
import { ControllerHistory, HASH_LABEL, revisionTemplate, STATEFUL_SETS, type Revisions } from './controller-history';
import { labelSelectorMatcher } from '../../../server/kube-model/label-selector';
import { byOrphanNamespace, claimPods, selectorMatches } from './pod-claims';
import { podPhase } from '../machinery/pod-state';
import {
  claimName,
  claimTemplates,
  isHealthy,
  isRunningAndAvailable,
  isRunningAndReady,
  isTerminating,
  ordinalOf,
  podName,
  revisionLabel,
  setReplicas,
  setSpec,
  statefulPod,
} from './stateful-set-pods';
import { StatefulSetClaims } from './stateful-set-claims';
import { currentRevisionName, statefulSetStatus } from './stateful-set-status';

/** What a sync step says about the steps after it. */
type Step = 'go' | 'stop';

interface Sync {
  set: Stored;
  key: string;
  revisions: Revisions;
  currentName: string;
  /** OrderedReady: one pod at a time, in order. */
  monotonic: boolean;
}

export class StatefulSetController extends ObjectController {
  private readonly pods: Informer;
  private readonly claims: Informer;
  private readonly claimsFor: StatefulSetClaims;
  private readonly history: ControllerHistory;

  constructor(ctx: ControllerContext) {
    super(ctx, { name: 'statefulset-controller', resource: STATEFUL_SETS, workers: 4 });
    this.pods = this.watchOwned(PODS, {
      owns: (ref) => ref.kind === 'StatefulSet',
      adopts: (set, pod) => ordinalOf(set, pod) >= 0 && selectorMatches(set, pod),
    });
    this.pods.addIndexer('orphan', byOrphanNamespace);
    this.claims = ctx.informers.for(CLAIMS);
    this.history = ControllerHistory.of(ctx, this.writer, STATEFUL_SETS, HASH_LABEL);
    this.claimsFor = new StatefulSetClaims({
      store: ctx.store,
      writer: this.writer,
      claims: this.claims,
      record: this.record,
    });
    // A claim that goes away (or finishes terminating) may be what a pod waits for.
    const claimChanged = (claim: Stored) => {
      const namespace = claim.metadata.namespace ?? '';
      for (const set of this.objects.list(namespace))
        if (
          claimTemplates(set).some((t) => (claim.metadata.name ?? '').startsWith(claimName(t, set.metadata.name ?? '')))
        )
          this.enqueue(set);
    };
    this.claims.addHandlers({ onUpdate: (_o, c) => claimChanged(c), onDelete: claimChanged });
  }

  async reconcile(key: string): Promise<void> {
    const [namespace, name] = splitKey(key);
    const set = this.objects.get(namespace, name);
    if (!set) return;
    const pods = await claimPods({
      owner: set,
      owned: this.pods.byIndex('controller', set.metadata.uid ?? ''),
      orphans: this.pods.byIndex('orphan', namespace).filter((p) => ordinalOf(set, p) >= 0),
      writer: this.writer,
      current: () => this.ctx.store.get(STATEFUL_SETS, namespace, name),
    });
    const revisions = await this.history.sync(set);
    const names = new Set(revisions.all.map((cr) => cr.metadata.name ?? ''));
    const updateName = revisions.update.metadata.name ?? '';
    const sync: Sync = {
      set,
      key,
      revisions,
      currentName: currentRevisionName(set, names, updateName),
      monotonic: setSpec(set).podManagementPolicy !== 'Parallel',
    };
    let error: unknown;
    if (!set.metadata.deletionTimestamp) {
      try {
        await this.syncPods(sync, pods);
      } catch (e) {
        error = e;
      }
    }
    const status = await this.writeStatus(sync);
    const live = new Set([status.currentRevision, status.updateRevision].map(String));
    for (const pod of this.podsOf(set)) live.add(revisionLabel(pod));
    await this.history.truncate(revisions.all, live, numberOr(setSpec(set).revisionHistoryLimit, 10));
    if (error !== undefined) throw asError(error);
  }

  private podsOf(set: Stored): Stored[] {
    const matches = labelSelectorMatcher(setSpec(set).selector);
    return this.pods.byIndex('controller', set.metadata.uid ?? '').filter((p) => matches(p.metadata.labels));
  }

  /** The steps, in Kubernetes' order: replicas in order, then the condemned, then the rolling update. */
  private async syncPods(sync: Sync, pods: readonly Stored[]): Promise<void> {
    const { set } = sync;
    const count = setReplicas(set);
    const replicas: (Stored | undefined)[] = Array.from({ length: count }, () => undefined);
    const condemned: Stored[] = [];
    for (const pod of pods) {
      const ordinal = ordinalOf(set, pod);
      if (ordinal >= 0 && ordinal < count) replicas[ordinal] = pod;
      else condemned.push(pod);
    }
    condemned.sort((a, b) => ordinalOf(set, b) - ordinalOf(set, a));
    for (let i = 0; i < count; i++) if ((await this.syncReplica(sync, i, replicas[i])) === 'stop') return;
    for (const pod of condemned) if ((await this.removeCondemned(sync, pod)) === 'stop') return;
    await this.rollingUpdate(sync, replicas);
  }

  private async syncReplica(sync: Sync, ordinal: number, pod: Stored | undefined): Promise<Step> {
    const { set, monotonic } = sync;
    const next = monotonic ? 'stop' : 'go';
    if (pod && !isTerminating(pod) && ['Failed', 'Succeeded'].includes(podPhase(pod))) {
      this.record(
        set,
        'Warning',
        'RecreatingFailedPod',
        `StatefulSet ${set.metadata.namespace ?? ''}/${set.metadata.name ?? ''} is recreating failed Pod ${pod.metadata.name ?? ''}`,
      );
      await this.deletePod(set, pod);
      return next;
    }
    if (!pod) {
      if ((await this.claimsFor.ensure(sync.set, podName(set, ordinal), undefined)) === 'ready') {
        await this.createPod(sync, ordinal);
      }
      return next;
    }
    if (isTerminating(pod)) return next;
    await this.claimsFor.ensure(sync.set, pod.metadata.name ?? '', pod);
    if (!isRunningAndReady(pod)) return next;
    const minReady = numberOr(setSpec(set).minReadySeconds, 0);
    if (monotonic && !isRunningAndAvailable(pod, minReady, this.ctx.clock.now())) {
      this.queue.addAfter(sync.key, minReady * 1000);
      return 'stop';
    }
    return 'go';
  }

  private async createPod(sync: Sync, ordinal: number): Promise<void> {
    const { set, revisions } = sync;
    const strategy = isObject(setSpec(set).updateStrategy) ? (setSpec(set).updateStrategy as JsonObject) : {};
    const rolling = isObject(strategy.rollingUpdate) ? strategy.rollingUpdate : {};
    const partition = strategy.type === 'OnDelete' ? 0 : numberOr(rolling.partition, 0);
    const current = revisions.all.find((cr) => cr.metadata.name === sync.currentName);
    const revision = ordinal < partition && current ? current : revisions.update;
    const pod = statefulPod(set, ordinal, revisionTemplate(revision), revision.metadata.name ?? '');
    const name = pod.metadata.name ?? '';
    try {
      await this.writer.create(PODS, pod);
    } catch (error) {
      if (error instanceof StatusError && error.reason === 'AlreadyExists') return;
      this.record(
        set,
        'Warning',
        'FailedCreate',
        `create Pod ${name} in StatefulSet ${set.metadata.name ?? ''} failed error: ${asError(error).message}`,
      );
      throw error;
    }
    this.record(
      set,
      'Normal',
      'SuccessfulCreate',
      `create Pod ${name} in StatefulSet ${set.metadata.name ?? ''} successful`,
    );
  }

  private async deletePod(set: Stored, pod: Stored): Promise<void> {
    const name = pod.metadata.name ?? '';
    await this.writer.delete(PODS, pod.metadata.namespace ?? '', name, {
      preconditions: { uid: pod.metadata.uid ?? '' },
    });
    this.record(
      set,
      'Normal',
      'SuccessfulDelete',
      `delete Pod ${name} in StatefulSet ${set.metadata.name ?? ''} successful`,
    );
  }

  /** Scale-down, highest ordinal first; OrderedReady waits for each to be gone before the next. */
  private async removeCondemned(sync: Sync, pod: Stored): Promise<Step> {
    const next = sync.monotonic ? 'stop' : 'go';
    if (isTerminating(pod)) return next;
    const name = pod.metadata.name ?? '';
    if (ordinalOf(sync.set, pod) >= 0) await this.claimsFor.ensure(sync.set, name, pod, true);
    await this.deletePod(sync.set, pod);
    return next;
  }

  /** Replaces pods not at the update revision, from the highest ordinal down to the partition. */
  private async rollingUpdate(sync: Sync, replicas: readonly (Stored | undefined)[]): Promise<void> {
    const spec = setSpec(sync.set);
    const strategy = isObject(spec.updateStrategy) ? spec.updateStrategy : {};
    if (strategy.type === 'OnDelete') return;
    const rolling = isObject(strategy.rollingUpdate) ? strategy.rollingUpdate : {};
    const partition = numberOr(rolling.partition, 0);
    const update = sync.revisions.update.metadata.name ?? '';
    for (let i = replicas.length - 1; i >= partition; i--) {
      const pod = replicas[i];
      if (!pod) return;
      if (revisionLabel(pod) !== update && !isTerminating(pod)) {
        await this.deletePod(sync.set, pod);
        return;
      }
      if (!isHealthy(pod)) return;
    }
  }

  private async writeStatus(sync: Sync): Promise<JsonObject> {
    const { set } = sync;
    const latest = this.objects.get(set.metadata.namespace ?? '', set.metadata.name ?? '') ?? set;
    const status = statefulSetStatus({
      set: latest,
      pods: this.podsOf(latest),
      currentRevision: sync.currentName,
      updateRevision: sync.revisions.update.metadata.name ?? '',
      collisionCount: sync.revisions.collisionCount,
      now: this.ctx.clock.now(),
    });
    const minReady = numberOr(setSpec(latest).minReadySeconds, 0);
    if (minReady > 0 && Number(status.availableReplicas) < Number(status.readyReplicas))
      this.queue.addAfter(sync.key, minReady * 1000);
    const old = isObject(latest.status) ? latest.status : {};
    if (!jsonEqual(status, old)) {
      const next = clone(latest) as KubeObject;
      next.status = status;
      await this.writer.updateStatus(STATEFUL_SETS, next);
    }
    return status;
  }
}
