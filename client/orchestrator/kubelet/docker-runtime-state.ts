/**
 * What the parts of the Docker runtime share (docker-runtime.ts assembles them): the options, the cluster's
 * network and labels, the pods' sandbox configs, the running sandboxes and present images remembered, the fixed
 * pod IPs and the pods whose app container owns their network, the engine session (network, version, events) and
 * the runtime's event listeners, and the starts it asked for.
 */
import { join } from 'node:path';
import type { Clock } from '../clock';
import type { DockerEngine } from './docker-client';
import { EngineSession } from './docker-engine-session';
import { PresentImages } from './docker-images';
import { LABEL, networkName } from './docker-labels';
import { OwnedNetworks } from './owned-networks';
import { SharedPodIps, type PodIps } from './pod-ips';
import { ReadySandboxes } from './ready-sandboxes';
import type { ObjectReader, PodVolumeContext } from './pod-volumes';
import type { PodSandboxConfig, RuntimeEvent } from './runtime';

export interface DockerRuntimeOptions {
  engine: DockerEngine;
  clock: Clock;
  /** Short, stable id of the cluster (from its data directory): in labels and names. */
  clusterId: string;
  nodeName: string;
  /** Resolves with the infrastructure image (built once, shared by the nodes). */
  infraImage: () => Promise<string>;
  /** Host directory for projected volume files (configMap, secret). */
  stateDir: string;
  read: ObjectReader;
  allowHostPath?: boolean;
  /** Ms between attempts to follow the engine's events again after it went away (default 1000). */
  reconnectMs?: number;
  /** The cluster's fixed pod IPs, shared by its nodes' runtimes (default: this runtime's own). */
  podIps?: SharedPodIps;
}

export class DockerRuntimeState {
  readonly network: string;
  readonly listeners = new Set<(e: RuntimeEvent) => void>();
  /** Each pod's sandbox config, by pod UID: its volumes are rewritten when a configMap or secret changes. */
  readonly sandboxes = new Map<string, PodSandboxConfig>();
  readonly ready = new ReadySandboxes();
  readonly images = new PresentImages();
  /** Pods whose app container owns (or owned) their network (owned-networks.ts). */
  readonly owned = new OwnedNetworks();
  readonly session: EngineSession;
  private readonly sharedIps: SharedPodIps;
  private suffix = 0;
  /** Containers this runtime started whose engine `start` event has not come yet. */
  private readonly ownStarts = new Set<string>();

  constructor(readonly o: DockerRuntimeOptions) {
    this.network = networkName(o.clusterId);
    this.sharedIps = o.podIps ?? new SharedPodIps();
    this.session = new EngineSession({
      engine: o.engine,
      clock: o.clock,
      clusterId: o.clusterId,
      network: this.network,
      labels: this.base,
      ...(o.reconnectMs !== undefined ? { reconnectMs: o.reconnectMs } : {}),
      onPodEvent: (podUid, containerId, action) => {
        if (action === 'start' && this.ownStarts.delete(containerId)) return;
        this.ready.changed(podUid, containerId); // its sandbox may have died
        this.emit({ podUid, containerId });
      },
      // Events may have been missed while the engine was away: resync every pod.
      onReconnect: () => {
        this.ownStarts.clear();
        this.ready.clear();
        this.images.clear();
        for (const s of this.sandboxes.values()) this.emit({ podUid: s.podUid });
      },
    });
  }

  /** The labels of everything this node's runtime makes (a new object each time). */
  get base(): Record<string, string> {
    return { [LABEL.cluster]: this.o.clusterId, [LABEL.node]: this.o.nodeName };
  }

  /**
   * The cluster's fixed pod IPs, when its network has a range of them (undefined: a network made before, where the
   * engine picks every address and each pod has a sandbox). The first call reads the addresses already held.
   */
  async podIps(): Promise<PodIps | undefined> {
    await this.session.ready();
    const range = this.session.podIps;
    if (range === undefined) return undefined;
    return this.sharedIps.get(range, async () =>
      (await this.o.engine.list({ [LABEL.cluster]: this.o.clusterId })).flatMap((c) => {
        const ip = c.labels[LABEL.podIp];
        return ip ? [{ ip, podUid: c.labels[LABEL.podUid] ?? '' }] : [];
      }),
    );
  }

  emit(event: RuntimeEvent): void {
    for (const l of this.listeners) l(event);
  }

  podDir(podUid: string): string {
    return join(this.o.stateDir, 'pods', podUid);
  }

  volumeContext(sandbox: PodSandboxConfig): PodVolumeContext {
    return {
      clusterId: this.o.clusterId,
      podUid: sandbox.podUid,
      namespace: sandbox.namespace,
      podSpec: sandbox.podSpec,
      podDir: this.podDir(sandbox.podUid),
      allowHostPath: this.o.allowHostPath ?? false,
      read: this.o.read,
    };
  }

  uniqueSuffix(): string {
    return `${Date.now().toString(36)}${(++this.suffix).toString(36)}`;
  }

  /**
   * Starts a container; the engine's `start` event for it is then no news to the kubelet (it resynced the pod
   * after every start it asked for: three engine calls each), so it is not passed on.
   */
  async startOwn(id: string): Promise<void> {
    this.ownStarts.add(id);
    try {
      await this.o.engine.start(id);
    } catch (error) {
      this.ownStarts.delete(id);
      throw error;
    }
  }
}
