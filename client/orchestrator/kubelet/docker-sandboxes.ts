/**
 * Pod networks on Docker. A sandbox is a small `kw-infra pause` container per pod on the cluster's bridge network,
 * holding the pod's network namespace and IP (its create body: docker-sandbox-spec.ts); on a network with a range of
 * fixed pod IPs a pod of one app container starts that container owning its network instead, and a sandbox with the
 * same IP takes the network over once it stopped (owned-networks.ts). What holds a pod's network is adopted after an
 * orchestrator restart when it still runs (or, for an owner, waits to be started again); removed with the pod's
 * containers, volumes and files. Also the node's simulated outage: its containers paused, then unpaused.
 */
import { rmSync } from 'node:fs';
import type { ContainerInfo } from './docker-engine-types';
import { ignoreMissing } from './docker-errors';
import { LABEL } from './docker-labels';
import type { DockerRuntimeState } from './docker-runtime-state';
import { PodNetworkStarts } from './docker-network-starts';
import { sandboxStatus } from './docker-sandbox-spec';
import { sandboxVolumePrep } from './named-volumes';
import { canOwnNetwork, ownsNetwork, type OwnedNetwork } from './owned-networks';
import type { PodSandboxConfig, PodSandboxStatus, WhileStarting } from './runtime';

/** Whether a container holds a pod's network: a sandbox, or an app container owning it. */
const holdsNetwork = (labels: Readonly<Record<string, string>>) =>
  labels[LABEL.role] === 'sandbox' || ownsNetwork(labels);

export class DockerSandboxes {
  /**
   * The pods that had a sandbox on this node when all were listed (undefined until then), and those this runtime
   * made one for: only this runtime makes them, so a pod in neither has none to adopt or remove.
   */
  private listedPods: Set<string> | undefined;
  private readonly madeFor = new Set<string>();
  private readonly starts: PodNetworkStarts;

  constructor(private readonly s: DockerRuntimeState) {
    this.starts = new PodNetworkStarts(s, (id) => this.removeGeneration(id));
  }

  /**
   * `whileStarting` (the pod's app containers are created then) runs beside a new sandbox's start; for a pod whose
   * app container can own its network, it runs first, with a stand-in sandbox id (the container is made the owner),
   * and the owner is started here.
   */
  async runPodSandbox(config: PodSandboxConfig, whileStarting?: WhileStarting): Promise<PodSandboxStatus> {
    const { o, network } = this.s;
    await this.s.session.ready();
    this.s.sandboxes.set(config.podUid, config);
    // Adopt what holds this pod's network (after an orchestrator restart); drop a dead sandbox. None to look for
    // when every sandbox of this node was listed and none was this pod's, nor made for it since.
    const unseen =
      this.listedPods !== undefined && !this.listedPods.has(config.podUid) && !this.madeFor.has(config.podUid);
    this.madeFor.add(config.podUid);
    if (!unseen) {
      const adopted = await this.adopt(config.podUid);
      if (adopted) return adopted;
    }
    const ip = (await this.s.podIps())?.take(config.podUid);
    let early = whileStarting;
    if (ip !== undefined && early && canOwnNetwork(config.podSpec, prepares(config, o.clusterId))) {
      const owned = await this.starts.runOwner(config, ip, early);
      if (owned) return owned;
      early = undefined; // its container could not be made before the pod's network: the kubelet makes it after
    }
    const id = await this.starts.makeSandbox(config, ip, early);
    const info = await o.engine.inspect(id);
    if (!info) throw new Error(`the pod sandbox ${id} vanished`);
    return this.s.ready.remember(sandboxStatus(info, network));
  }

  /**
   * The owner of `net` stopped and something must run in the pod again (its restart, a debug container): a sandbox
   * with the pod's IP takes the network over; returns its id.
   */
  takeOver(net: OwnedNetwork, config: PodSandboxConfig): Promise<string> {
    return this.starts.takeOver(net, config);
  }

  /** What runs (or, an owner, waits to run again) holding the pod's network; dead sandboxes and theirs removed. */
  private async adopt(podUid: string): Promise<PodSandboxStatus | undefined> {
    const { engine } = this.s.o;
    const mine = await engine.list({ ...this.s.base, [LABEL.podUid]: podUid });
    for (const s of mine.filter((c) => c.labels[LABEL.role] === 'sandbox')) {
      const info = await engine.inspect(s.id);
      if (info) this.s.owned.takenOver(info.id, info.labels);
      if (info?.running && info.ips[this.s.network]) return this.s.ready.remember(sandboxStatus(info, this.s.network));
      await this.removeGeneration(s.id);
    }
    for (const c of mine.filter((x) => ownsNetwork(x.labels))) {
      const info = await engine.inspect(c.id);
      if (!info) continue; // went with a dead sandbox that had taken its network over
      // Running, or stopped and waiting for its restart (a sandbox with its IP takes the network over then).
      const status = this.ownerStatus(info);
      return info.running ? this.s.ready.remember(status) : status;
    }
    return undefined;
  }

  /** An owner's pod network: ready while it runs, and while stopped (a sandbox takes the network up when needed). */
  private ownerStatus(info: ContainerInfo): PodSandboxStatus {
    const net = this.s.owned.owner(info.id, info.labels);
    return {
      id: info.id,
      podUid: net.podUid,
      state: 'ready',
      ip: net.ip || (info.ips[this.s.network] ?? ''),
      createdAt: info.createdAt,
    };
  }

  async stopPodSandbox(sandboxId: string): Promise<void> {
    this.s.ready.forget(sandboxId);
    for (const id of this.holdersOf(sandboxId)) await this.s.o.engine.stop(id, 0).catch(ignoreMissing);
  }

  async removePodSandbox(sandboxId: string): Promise<void> {
    const { o } = this.s;
    this.s.ready.forget(sandboxId);
    const info = await o.engine.inspect(sandboxId);
    if (info && info.labels[LABEL.cluster] !== o.clusterId) return;
    if (info) this.remember(info);
    const podUid = info?.labels[LABEL.podUid] ?? this.s.owned.get(sandboxId)?.podUid;
    await this.removeGeneration(sandboxId);
    if (podUid) {
      this.s.sandboxes.delete(podUid);
      const left = (await o.engine.list({ ...this.s.base, [LABEL.podUid]: podUid })).filter((c) =>
        holdsNetwork(c.labels),
      );
      if (left.length === 0) {
        this.listedPods?.delete(podUid);
        this.madeFor.delete(podUid);
        (await this.s.podIps())?.release(podUid);
        for (const v of await o.engine.volumesByLabels({
          [LABEL.cluster]: o.clusterId,
          [LABEL.podUid]: podUid,
        }))
          await o.engine.removeVolume(v).catch(() => undefined);
        rmSync(this.s.podDir(podUid), { recursive: true, force: true });
      }
    }
  }

  /** What holds (or held) the network `id` stands for: an owner and the sandbox that took over from it, or `id` alone. */
  private holdersOf(id: string): string[] {
    const net = this.s.owned.get(id);
    return net ? [net.owner, ...(net.sandbox ? [net.sandbox] : [])] : [id];
  }

  /** Records an owner, or a sandbox that took an owner's network over, from its labels. */
  private remember(info: ContainerInfo): void {
    if (info.labels[LABEL.role] === 'sandbox') this.s.owned.takenOver(info.id, info.labels);
    else if (ownsNetwork(info.labels)) this.s.owned.owner(info.id, info.labels);
  }

  /**
   * Removes what holds a pod's network and the containers in it: a sandbox and its containers, and for a pod whose
   * app container owned its network, that container, the sandbox that took over from it, and what joined either.
   */
  private async removeGeneration(id: string): Promise<void> {
    const { engine } = this.s.o;
    const holders = this.holdersOf(id);
    for (const holder of holders)
      for (const c of await engine.list({ ...this.s.base, [LABEL.sandbox]: holder }))
        await engine.remove(c.id).catch(ignoreMissing);
    for (const holder of holders) await engine.remove(holder).catch(ignoreMissing);
    this.s.owned.forget(id);
  }

  async podSandboxStatus(sandboxId: string): Promise<PodSandboxStatus | undefined> {
    await this.s.session.ready();
    const { engine, clusterId } = this.s.o;
    const info = await engine.inspect(sandboxId);
    if (!info || info.labels[LABEL.cluster] !== clusterId) return undefined;
    if (!ownsNetwork(info.labels)) {
      this.remember(info);
      return sandboxStatus(info, this.s.network);
    }
    const status = this.ownerStatus(info);
    const taken = this.s.owned.get(info.id)?.sandbox;
    if (info.running || taken === undefined) return status;
    // Taken over: the sandbox now holds the network (the kubelet follows it).
    const sandbox = await engine.inspect(taken);
    return sandbox
      ? sandboxStatus(sandbox, this.s.network)
      : { id: taken, podUid: status.podUid, state: 'notready', ip: '', createdAt: status.createdAt };
  }

  async listPodSandboxes(): Promise<PodSandboxStatus[]> {
    const { engine } = this.s.o;
    await this.s.session.ready();
    const all = await engine.list(this.s.base);
    this.listedPods ??= new Set();
    for (const c of all) this.listedPods.add(c.labels[LABEL.podUid] ?? '');
    const holders = all.filter((c) => holdsNetwork(c.labels));
    const holderIds = new Set(holders.map((c) => c.id));
    // Containers whose sandbox (or owner) is gone are orphans; those that joined an owner whose network a sandbox
    // took over are the pod's still (the owner may have been removed as an older instance of the app).
    const joinable = new Set([...holderIds, ...holders.flatMap((c) => c.labels[LABEL.takesOver] ?? [])]);
    for (const c of all)
      if (
        c.labels[LABEL.role] === 'container' &&
        !ownsNetwork(c.labels) &&
        !joinable.has(c.labels[LABEL.sandbox] ?? '')
      )
        await engine.remove(c.id).catch(ignoreMissing);
    const out: PodSandboxStatus[] = [];
    // Sandboxes first: one that took an owner's network over stands for that pod's network.
    for (const c of holders.filter((x) => x.labels[LABEL.role] === 'sandbox')) {
      const info = await engine.inspect(c.id);
      if (!info) continue;
      this.remember(info);
      out.push(sandboxStatus(info, this.s.network));
    }
    for (const c of holders.filter((x) => ownsNetwork(x.labels))) {
      const taken = this.s.owned.get(c.id)?.sandbox;
      if (taken !== undefined && holderIds.has(taken)) continue;
      const info = await engine.inspect(c.id);
      if (info) out.push(this.ownerStatus(info));
    }
    return out;
  }

  async findPodSandbox(podUid: string): Promise<string | undefined> {
    const known = this.s.ready.sandboxOf(podUid);
    if (known) return known;
    const found = (await this.s.o.engine.list({ ...this.s.base, [LABEL.podUid]: podUid })).filter(
      (c) => c.state === 'running',
    );
    return (found.find((c) => c.labels[LABEL.role] === 'sandbox') ?? found.find((c) => ownsNetwork(c.labels)))?.id;
  }

  /** Pauses every running container of this node (sandboxes and containers, by this cluster's and node's labels). */
  async suspendNode(): Promise<void> {
    const { engine } = this.s.o;
    const all = await engine.list(this.s.base);
    const podParts = all.filter((c) => c.labels[LABEL.role] === 'sandbox' || c.labels[LABEL.role] === 'container');
    await Promise.all(
      podParts.filter((c) => c.state === 'running').map((c) => engine.pause(c.id).catch(ignoreMissing)),
    );
  }

  /** Unpauses this node's paused containers. */
  async resumeNode(): Promise<void> {
    const { engine } = this.s.o;
    const all = await engine.list(this.s.base);
    await Promise.all(all.filter((c) => c.state === 'paused').map((c) => engine.unpause(c.id).catch(ignoreMissing)));
  }
}

/** Whether the pod has volumes its sandbox prepares (emptyDir, claims with an fsGroup). */
function prepares(config: PodSandboxConfig, clusterId: string): boolean {
  const owner = { clusterId, podUid: config.podUid, namespace: config.namespace };
  return sandboxVolumePrep(owner, config.podSpec).mounts.length > 0;
}
