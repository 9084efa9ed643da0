/**
 * Claiming pods by label, as client-go's ControllerRefManager does for a
 * ReplicaSet: owned pods that still match stay; owned pods whose labels no
 * longer match are released (the owner reference removed); orphans that
 * match are adopted (a controller reference added) unless the owner or the
 * pod is being deleted. Returns the pods the owner now controls.
 */
import type { AdmittedWriter } from '../api/admitted-writer';
import type { IndexFunc } from '../machinery/informer';
import { StatusError } from '../store/errors';
import { clone, isObject, type KubeObject } from '../store/object';
import type { Stored } from '../store/object-store';
import { controllerRef, ownerReferenceTo } from '../machinery/controller-context';
import { labelSelectorMatcher } from '../../../server/kube-model/label-selector';

/** Whether the owner's `spec.selector` selects the pod: who may adopt an orphan. */
export function selectorMatches(owner: Stored, pod: Stored): boolean {
  return labelSelectorMatcher(isObject(owner.spec) ? owner.spec.selector : undefined)(pod.metadata.labels);
}

/** Pods without a controller, indexed by namespace: the candidates for adoption. */
export const byOrphanNamespace: IndexFunc = (obj) => (controllerRef(obj) ? [] : [obj.metadata.namespace ?? '']);

export interface ClaimInput {
  owner: Stored;
  /** Pods whose controller reference points at the owner. */
  owned: Stored[];
  /** Pods in the owner's namespace without a controller. */
  orphans: Stored[];
  writer: AdmittedWriter;
  /** The owner as stored now (adoption re-checks it is not being deleted, as Kubernetes does uncached). */
  current: () => Stored | undefined;
  /** The owner's selector as a LabelSelector, when it is not `spec.selector` (a ReplicationController's label map). */
  selector?: unknown;
}

export async function claimPods(input: ClaimInput): Promise<Stored[]> {
  const { owner, writer } = input;
  const spec = isObject(owner.spec) ? owner.spec : {};
  const matches = labelSelectorMatcher('selector' in input ? input.selector : spec.selector);
  const deleting = owner.metadata.deletionTimestamp !== undefined;
  const claimed: Stored[] = [];
  for (const pod of input.owned) {
    if (matches(pod.metadata.labels) || deleting) claimed.push(pod);
    else await release(writer, owner, pod);
  }
  if (deleting) return claimed;
  for (const pod of input.orphans) {
    if (pod.metadata.deletionTimestamp || !matches(pod.metadata.labels)) continue;
    const fresh = input.current();
    if (!fresh || fresh.metadata.uid !== owner.metadata.uid || fresh.metadata.deletionTimestamp) break;
    const adopted = await adopt(writer, owner, pod);
    if (adopted) claimed.push(adopted);
  }
  return claimed;
}

async function release(writer: AdmittedWriter, owner: Stored, pod: Stored): Promise<void> {
  const next = clone(pod) as KubeObject;
  const refs = (pod.metadata.ownerReferences ?? []).filter((r) => r.uid !== owner.metadata.uid);
  if (refs.length > 0) next.metadata.ownerReferences = refs;
  else delete next.metadata.ownerReferences;
  await writer.update('/pods', next).catch(ignoreGone);
}

async function adopt(writer: AdmittedWriter, owner: Stored, pod: Stored): Promise<Stored | undefined> {
  const next = clone(pod) as KubeObject;
  next.metadata.ownerReferences = [...(pod.metadata.ownerReferences ?? []), ownerReferenceTo(owner)];
  return writer.update('/pods', next).catch(ignoreGone);
}

/** A pod deleted meanwhile is neither adopted nor released; anything else is retried. */
function ignoreGone(error: unknown): undefined {
  if (error instanceof StatusError && error.reason === 'NotFound') return undefined;
  throw error;
}
