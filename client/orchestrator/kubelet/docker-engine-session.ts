/**
 * A Docker runtime's hold on the engine: the cluster network (and its range
 * of fixed pod IPs, when it has one), the engine's version and its event
 * stream for this node's containers, set up on first use. When the stream
 * ends (the engine went away or restarted) it tries again on the injected
 * clock until the engine answers, then asks for a resync of every pod, since
 * events may have been missed meanwhile.
 */
import type { Clock, Timer } from '../clock';
import type { DockerEngine } from './docker-client';
import { LABEL } from './docker-labels';

export interface EngineSessionOptions {
  engine: DockerEngine;
  clock: Clock;
  clusterId: string;
  network: string;
  /** The labels of this node's containers (cluster and node). */
  labels: Readonly<Record<string, string>>;
  /** Ms between attempts to follow the engine's events again after it went away (default 1000). */
  reconnectMs?: number;
  /** A container of a pod started, died, was killed or removed (`action`: the engine's word for it). */
  onPodEvent(podUid: string, containerId: string, action: string): void;
  /** The events are followed again after a gap. */
  onReconnect(): void;
}

const ACTIONS = new Set(['die', 'start', 'destroy', 'oom', 'kill']);

export class EngineSession {
  /** The engine's version, once set up. */
  version = 'unknown';
  /** The network's range of fixed pod IPs, once set up; undefined for a network made without one (sandboxes). */
  podIps: string | undefined;
  private stopEvents: (() => void) | undefined;
  private reconnectTimer: Timer | undefined;
  private closed = false;
  private pending: Promise<void> | undefined;

  constructor(private readonly o: EngineSessionOptions) {}

  /** Resolves once the network exists and the events are followed; rejects while the engine does not answer. */
  ready(): Promise<void> {
    this.pending ??= (async () => {
      this.podIps = (await this.o.engine.ensureNetwork(this.o.network, { [LABEL.cluster]: this.o.clusterId })).podIps;
      this.version = await this.o.engine.serverVersion();
      await this.follow();
    })().catch((error: unknown) => {
      this.pending = undefined;
      throw error;
    });
    return this.pending;
  }

  close(): void {
    this.closed = true;
    if (this.reconnectTimer) this.o.clock.clearTimeout(this.reconnectTimer);
    this.stopEvents?.();
  }

  private async follow(): Promise<void> {
    this.stopEvents?.();
    this.stopEvents = await this.o.engine.events(
      this.o.labels,
      (e) => {
        const podUid = e.labels[LABEL.podUid];
        if (podUid && ACTIONS.has(e.action)) this.o.onPodEvent(podUid, e.id, e.action);
      },
      () => {
        this.stopEvents = undefined;
        this.pending = undefined;
        if (!this.closed) this.reconnectLater();
      },
    );
  }

  private reconnectLater(): void {
    if (this.reconnectTimer) return;
    this.reconnectTimer = this.o.clock.setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.closed) return;
      this.ready().then(
        () => this.o.onReconnect(),
        () => this.reconnectLater(),
      );
    }, this.o.reconnectMs ?? 1000);
  }
}
