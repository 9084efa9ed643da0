/**
 * The kubelet's heartbeat Lease, as Kubernetes' node lease controller keeps it:
 * `kube-node-lease/<node>` (coordination.k8s.io/v1), held by the node, owned by
 * its Node, `leaseDurationSeconds` 40, `renewTime` written every 10 s (a quarter
 * of the duration). The node lifecycle controller takes each renewal as a sign of life.
 */
import type { AdmittedWriter } from '../api/admitted-writer';
import type { Clock, Timer } from '../clock';
import { NODES } from '../machinery/informer-factory';
import { LEASES, NODE_LEASE_NAMESPACE } from '../machinery/node-lifecycle';
import { StatusError } from '../store/errors';
import { clone, isObject, type KubeObject } from '../store/object';
import type { ObjectStore } from '../store/object-store';

/** Kubernetes' kubelet `nodeLeaseDurationSeconds`. */
export const LEASE_DURATION_SECONDS = 40;
/** The kubelet renews at a quarter of the duration (10 s). */
export const LEASE_RENEW_MS = (LEASE_DURATION_SECONDS * 1000) / 4;

/** A MicroTime: RFC 3339 with microseconds, in UTC. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export class NodeLease {
  private timer: Timer | undefined;
  private stopped = true;

  constructor(
    private readonly o: {
      nodeName: string;
      store: ObjectStore;
      writer: AdmittedWriter;
      clock: Clock;
      periodMs?: number;
    },
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.renewAndSchedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) this.o.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async renewAndSchedule(): Promise<void> {
    await this.renew().catch(() => undefined); // a conflict or an API error: the next period tries again
    if (this.stopped) return;
    this.timer = this.o.clock.setTimeout(() => {
      this.timer = undefined;
      void this.renewAndSchedule();
    }, this.o.periodMs ?? LEASE_RENEW_MS);
  }

  /** Creates the Lease, or moves its renewTime to now. */
  async renew(): Promise<void> {
    const { nodeName, store, writer, clock } = this.o;
    const now = microTime(clock.now());
    const existing = store.get(LEASES, NODE_LEASE_NAMESPACE, nodeName);
    if (existing) {
      const next = clone(existing) as KubeObject;
      const spec = isObject(next.spec) ? next.spec : (next.spec = {});
      spec.holderIdentity = nodeName;
      spec.leaseDurationSeconds = LEASE_DURATION_SECONDS;
      spec.renewTime = now;
      await writer.update(LEASES, next);
      return;
    }
    const node = store.get(NODES, '', nodeName);
    if (!node) return;
    const lease: KubeObject = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: nodeName,
        namespace: NODE_LEASE_NAMESPACE,
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: node.metadata.uid ?? '' }],
      },
      spec: { holderIdentity: nodeName, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: now },
    };
    try {
      await writer.create(LEASES, lease);
    } catch (error) {
      if (!(error instanceof StatusError) || error.reason !== 'AlreadyExists') throw error;
    }
  }
}
