/**
 * A kubelet's heartbeats, as Kubernetes' kubelet sends them: its Lease renewed
 * (node-lease.ts), and its Node's status looked at every 10 s
 * (nodeStatusUpdateFrequency) and at each runtime check, posted when it changed
 * or when 5 min (nodeStatusReportFrequency) passed since the last post. A change
 * of Ready is recorded as a `NodeReady` / `NodeNotReady` event.
 */
import type { AdmittedWriter } from '../api/admitted-writer';
import type { Clock, Timer } from '../clock';
import type { Recorder } from '../machinery/event-recorder';
import { NODES } from '../machinery/informer-factory';
import { nodeReadyStatus } from '../machinery/node-lifecycle';
import type { ObjectStore } from '../store/object-store';
import { LEASE_RENEW_MS, NodeLease } from './node-lease';
import { kubeletNodeStatus } from './node-object';
import type { RuntimeStatus } from './runtime';

/** Kubernetes' kubelet nodeStatusUpdateFrequency: how often it looks at whether its status changed. */
const STATUS_UPDATE_MS = 10_000;
/** Kubernetes' kubelet nodeStatusReportFrequency. */
const STATUS_REPORT_MS = 5 * 60_000;

export interface NodeStatusReporterOptions {
  nodeName: string;
  store: ObjectStore;
  writer: AdmittedWriter;
  clock: Clock;
  record: Recorder;
  /** What the container runtime said last. */
  runtimeStatus: () => RuntimeStatus;
  /** Between two Lease renewals (10 s). */
  leaseRenewMs?: number;
  /** The longest time unchanged status goes unposted (5 min). */
  statusReportMs?: number;
}

export class NodeStatusReporter {
  private readonly lease: NodeLease;
  private timer: Timer | undefined;
  private lastPostedAt = -Infinity;

  constructor(private readonly o: NodeStatusReporterOptions) {
    this.lease = new NodeLease({
      nodeName: o.nodeName,
      store: o.store,
      writer: o.writer,
      clock: o.clock,
      periodMs: o.leaseRenewMs ?? LEASE_RENEW_MS,
    });
  }

  start(): void {
    this.lease.start();
    const loop = () => {
      this.timer = this.o.clock.setTimeout(() => {
        void this.post(this.o.runtimeStatus()).finally(() => {
          if (this.timer) loop();
        });
      }, STATUS_UPDATE_MS);
    };
    loop();
  }

  stop(): void {
    this.lease.stop();
    if (this.timer) this.o.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Posts the Node's status when it differs from `status` or a report is due (a failure waits for the next try). */
  async post(status: RuntimeStatus): Promise<void> {
    const { store, clock, nodeName } = this.o;
    const node = store.get(NODES, '', nodeName);
    if (!node) return;
    const now = clock.now();
    const due = now - this.lastPostedAt >= (this.o.statusReportMs ?? STATUS_REPORT_MS);
    const next = kubeletNodeStatus(node, status, now, due);
    if (!next) return;
    try {
      await this.o.writer.updateStatus(NODES, next);
    } catch {
      return; // a conflict or a vanished node: the next check tries again
    }
    this.lastPostedAt = now;
    if (nodeReadyStatus(node) === (status.ready ? 'True' : 'False')) return;
    const reason = status.ready ? 'NodeReady' : 'NodeNotReady';
    this.o.record(node, 'Normal', reason, `Node ${nodeName} status is now: ${reason}`);
  }
}
