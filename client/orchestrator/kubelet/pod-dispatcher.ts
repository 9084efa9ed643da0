/**
 * Routes pod changes from the shared pod informer to the kubelet of the pod's
 * node, so a hundred kubelets do not each look at every pod.
 */
import { objectKey, type Informer } from '../machinery/informer';
import { isObject } from '../store/object';
import type { Stored } from '../store/object-store';

const nodeOf = (pod: Stored) => (isObject(pod.spec) && typeof pod.spec.nodeName === 'string' ? pod.spec.nodeName : '');

export class PodDispatcher {
  private readonly listeners = new Map<string, (key: string) => void>();
  private readonly pods = new Map<string, Map<string, Stored>>();

  constructor(informer: Informer) {
    informer.addHandlers({
      onAdd: (pod) => this.changed(undefined, pod),
      onUpdate: (old, pod) => this.changed(old, pod),
      onDelete: (pod) => this.deleted(pod),
    });
  }

  /** The pods bound to `node`, by key. */
  podsOn(node: string): Map<string, Stored> {
    let map = this.pods.get(node);
    if (!map) this.pods.set(node, (map = new Map<string, Stored>()));
    return map;
  }

  register(node: string, listener: (key: string) => void): () => void {
    this.listeners.set(node, listener);
    for (const key of this.podsOn(node).keys()) listener(key);
    return () => this.listeners.delete(node);
  }

  private changed(old: Stored | undefined, pod: Stored): void {
    const key = objectKey(pod);
    const before = old ? nodeOf(old) : '';
    const node = nodeOf(pod);
    if (before !== '' && before !== node) {
      this.pods.get(before)?.delete(key);
      this.listeners.get(before)?.(key);
    }
    if (node === '') return;
    this.podsOn(node).set(key, pod);
    // Our own status writes come back as updates: only spec or metadata changes need a sync.
    if (old && before === node && old.status !== pod.status && jsonSame(old, pod)) return;
    this.listeners.get(node)?.(key);
  }

  private deleted(pod: Stored): void {
    const node = nodeOf(pod);
    if (node === '') return;
    this.pods.get(node)?.delete(objectKey(pod));
    this.listeners.get(node)?.(objectKey(pod));
  }
}

/**
 * Same spec and metadata apart from resourceVersion. A status write keeps the stored spec and the
 * metadata's values (the same frozen objects): those are told apart by identity, without text.
 */
function jsonSame(a: Stored, b: Stored): boolean {
  if (a.spec !== b.spec && JSON.stringify(a.spec) !== JSON.stringify(b.spec)) return false;
  if (sameMetadataValues(a.metadata, b.metadata)) return true;
  const { resourceVersion: _a, managedFields: _ma, ...ma } = a.metadata;
  const { resourceVersion: _b, managedFields: _mb, ...mb } = b.metadata;
  return JSON.stringify(ma) === JSON.stringify(mb);
}

/** The same keys in the same order, each holding the very same value, resourceVersion and managedFields aside. */
function sameMetadataValues(a: Stored['metadata'], b: Stored['metadata']): boolean {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    const key = ka[i]!;
    if (key !== kb[i]) return false;
    if (key === 'resourceVersion' || key === 'managedFields') continue;
    if ((a as Record<string, unknown>)[key] !== (b as Record<string, unknown>)[key]) return false;
  }
  return true;
}
