/**
 * How a pod's network comes to be held on Docker (docker-sandboxes.ts keeps the rest): a new sandbox (with the pod's
 * fixed IP when the network has a range of them); a new pod's app container owning its network (owned-networks.ts),
 * made by the kubelet's early create under a stand-in sandbox id and started here; and a sandbox taking the network
 * over, with the same IP, from an owner that stopped.
 */
import { engineMessage, throwIfUnreachable } from './docker-errors';
import { LABEL } from './docker-labels';
import type { DockerRuntimeState } from './docker-runtime-state';
import { sandboxCreateBody, sandboxStatus } from './docker-sandbox-spec';
import { withFixedIp, type OwnedNetwork, type PendingOwner } from './owned-networks';
import type { PodSandboxConfig, PodSandboxStatus, WhileStarting } from './runtime';

/** The engine refused a fixed IP held by another container. */
const addressInUse = (error: unknown) => /address already in use/i.test(engineMessage(error));

export class PodNetworkStarts {
  /** Sandboxes being made to take an owner's network over, by owner id. */
  private readonly takingOver = new Map<string, Promise<string>>();

  constructor(
    private readonly s: DockerRuntimeState,
    /** Removes what holds a pod's network and its containers. */
    private readonly removeGeneration: (id: string) => Promise<void>,
  ) {}

  /** The pod's app container, created by `whileStarting` as the owner of the pod's network, started. */
  async runOwner(
    config: PodSandboxConfig,
    ip: string,
    whileStarting: WhileStarting,
  ): Promise<PodSandboxStatus | undefined> {
    const { owned } = this.s;
    const standIn = `owner-${config.podUid}-${this.s.uniqueSuffix()}`;
    const pending: PendingOwner = { config, ip };
    owned.pending.set(standIn, pending);
    try {
      await whileStarting(standIn, ip);
    } finally {
      owned.pending.delete(standIn);
    }
    const owner = pending.owner;
    if (owner === undefined) return undefined;
    owned.owner(owner, { [LABEL.podUid]: config.podUid, [LABEL.podIp]: ip });
    const status: PodSandboxStatus = {
      id: owner,
      podUid: config.podUid,
      state: 'ready',
      ip,
      createdAt: this.s.o.clock.now(),
    };
    try {
      await this.s.startOwn(owner);
      owned.started.add(owner);
    } catch (error) {
      throwIfUnreachable(error);
      if (addressInUse(error)) {
        // Held by something this runtime did not see: the next sync starts the pod again with another address.
        (await this.s.podIps())?.replace(config.podUid);
        await this.removeGeneration(owner);
        throw new Error(`failed to create the pod sandbox: ${engineMessage(error)}`);
      }
      return status; // the container's own failure (its command...): the kubelet's start of it reports it
    }
    return this.s.ready.remember(status);
  }

  /** Creates and starts a sandbox (with the pod's fixed IP, when the network has them); returns its id. */
  async makeSandbox(
    config: PodSandboxConfig,
    ip: string | undefined,
    whileStarting: WhileStarting | undefined,
    takesOver?: string,
  ): Promise<string> {
    const { o, network } = this.s;
    const plain = sandboxCreateBody(config, {
      labels: takesOver ? { ...this.s.base, [LABEL.takesOver]: takesOver } : this.s.base,
      network,
      image: await o.infraImage(),
      suffix: this.s.uniqueSuffix(),
      clusterId: o.clusterId,
    });
    const body = ip !== undefined ? withFixedIp(plain, network, ip) : plain;
    let id: string | undefined;
    try {
      id = await o.engine.create(body);
      // A failed start leaves what was made meanwhile to the next sync, which removes the sandbox and its containers.
      await Promise.all([this.s.startOwn(id), whileStarting?.(id, ip)]);
      return id;
    } catch (error) {
      throwIfUnreachable(error);
      // One taking an owner's network over is tried again by the next container start: not left behind.
      if (takesOver !== undefined && id !== undefined) await o.engine.remove(id).catch(() => undefined);
      if (ip !== undefined && addressInUse(error)) (await this.s.podIps())?.replace(config.podUid);
      throw new Error(`failed to create the pod sandbox: ${engineMessage(error)}`);
    }
  }

  /**
   * The owner of `net` stopped and something must run in the pod again (its restart, a debug container): a sandbox
   * with the pod's IP takes the network over; returns its id (made once, whoever asks).
   */
  takeOver(net: OwnedNetwork, config: PodSandboxConfig): Promise<string> {
    if (net.sandbox) return Promise.resolve(net.sandbox);
    let pending = this.takingOver.get(net.owner);
    if (!pending) {
      pending = (async () => {
        const ip = (await this.s.podIps())?.take(net.podUid) ?? net.ip;
        const id = await this.makeSandbox(config, ip, undefined, net.owner);
        const info = await this.s.o.engine.inspect(id);
        if (!info) throw new Error(`the pod sandbox ${id} vanished`);
        this.s.owned.takenOver(id, info.labels);
        this.s.ready.remember(sandboxStatus(info, this.s.network));
        return id;
      })().finally(() => this.takingOver.delete(net.owner));
      this.takingOver.set(net.owner, pending);
    }
    return pending;
  }
}
