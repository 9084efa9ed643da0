/**
 * Pod sandboxes on Docker: a small `kw-infra pause` container per pod on the cluster's bridge network,
 * holding the pod's network namespace and IP (its create body: docker-sandbox-spec.ts). Adopted after an
 * orchestrator restart when still running; removed with the pod's containers, volumes and files. Also
 * the node's simulated outage: its sandboxes and containers paused, then unpaused.
 */
import { rmSync } from 'node:fs';
import { engineMessage, ignoreMissing, throwIfUnreachable } from './docker-errors';
import { LABEL } from './docker-labels';
import type { DockerRuntimeState } from './docker-runtime-state';
import { sandboxCreateBody, sandboxStatus } from './docker-sandbox-spec';
import type { PodSandboxConfig, PodSandboxStatus } from './runtime';

export class DockerSandboxes {
  /**
   * The pods that had a sandbox on this node when all were listed (undefined until then), and those this runtime
   * made one for: only this runtime makes them, so a pod in neither has none to adopt or remove.
   */
  private listedPods: Set<string> | undefined;
  private readonly madeFor = new Set<string>();

  constructor(private readonly s: DockerRuntimeState) {}

  /** `whileStarting` (the pod's app containers are created then) runs beside a new sandbox's start. */
  async runPodSandbox(
    config: PodSandboxConfig,
    whileStarting?: (sandboxId: string) => Promise<void>,
  ): Promise<PodSandboxStatus> {
    const { o, network } = this.s;
    await this.s.session.ready();
    this.s.sandboxes.set(config.podUid, config);
    // Adopt a running sandbox of this pod (after an orchestrator restart); drop a dead one. None to look for when
    // every sandbox of this node was listed and none was this pod's, nor made for it since.
    const unseen =
      this.listedPods !== undefined && !this.listedPods.has(config.podUid) && !this.madeFor.has(config.podUid);
    this.madeFor.add(config.podUid);
    for (const s of unseen
      ? []
      : await o.engine.list({ ...this.s.base, [LABEL.role]: 'sandbox', [LABEL.podUid]: config.podUid })) {
      const info = await o.engine.inspect(s.id);
      if (info?.running && info.ips[network]) return this.s.ready.remember(sandboxStatus(info, network));
      await this.removeSandboxContainers(s.id);
    }
    const body = sandboxCreateBody(config, {
      labels: this.s.base,
      network,
      image: await o.infraImage(),
      suffix: this.s.uniqueSuffix(),
      clusterId: o.clusterId,
    });
    let id: string;
    try {
      id = await o.engine.create(body);
      const sandboxId = id;
      // A failed start leaves what was made meanwhile to the next sync, which removes the sandbox and its containers.
      await Promise.all([this.s.startOwn(sandboxId), whileStarting?.(sandboxId)]);
    } catch (error) {
      throwIfUnreachable(error);
      throw new Error(`failed to create the pod sandbox: ${engineMessage(error)}`);
    }
    const info = await o.engine.inspect(id);
    if (!info) throw new Error(`the pod sandbox ${id} vanished`);
    return this.s.ready.remember(sandboxStatus(info, network));
  }

  async stopPodSandbox(sandboxId: string): Promise<void> {
    this.s.ready.forget(sandboxId);
    await this.s.o.engine.stop(sandboxId, 0).catch(ignoreMissing);
  }

  async removePodSandbox(sandboxId: string): Promise<void> {
    const { o } = this.s;
    this.s.ready.forget(sandboxId);
    const info = await o.engine.inspect(sandboxId);
    if (info && info.labels[LABEL.cluster] !== o.clusterId) return;
    await this.removeSandboxContainers(sandboxId);
    const podUid = info?.labels[LABEL.podUid];
    if (podUid) {
      this.s.sandboxes.delete(podUid);
      const left = await o.engine.list({ ...this.s.base, [LABEL.role]: 'sandbox', [LABEL.podUid]: podUid });
      if (left.length === 0) {
        this.listedPods?.delete(podUid);
        this.madeFor.delete(podUid);
        for (const v of await o.engine.volumesByLabels({
          [LABEL.cluster]: o.clusterId,
          [LABEL.podUid]: podUid,
        }))
          await o.engine.removeVolume(v).catch(() => undefined);
        rmSync(this.s.podDir(podUid), { recursive: true, force: true });
      }
    }
  }

  private async removeSandboxContainers(sandboxId: string): Promise<void> {
    const { engine } = this.s.o;
    for (const c of await engine.list({ ...this.s.base, [LABEL.sandbox]: sandboxId }))
      await engine.remove(c.id).catch(ignoreMissing);
    await engine.remove(sandboxId).catch(ignoreMissing);
  }

  async podSandboxStatus(sandboxId: string): Promise<PodSandboxStatus | undefined> {
    await this.s.session.ready();
    const info = await this.s.o.engine.inspect(sandboxId);
    if (!info || info.labels[LABEL.cluster] !== this.s.o.clusterId) return undefined;
    return sandboxStatus(info, this.s.network);
  }

  async listPodSandboxes(): Promise<PodSandboxStatus[]> {
    const { engine } = this.s.o;
    await this.s.session.ready();
    const all = await engine.list(this.s.base);
    this.listedPods ??= new Set();
    for (const c of all) this.listedPods.add(c.labels[LABEL.podUid] ?? '');
    const sandboxIds = new Set(all.filter((c) => c.labels[LABEL.role] === 'sandbox').map((c) => c.id));
    // Containers whose sandbox is gone are orphans.
    for (const c of all)
      if (c.labels[LABEL.role] === 'container' && !sandboxIds.has(c.labels[LABEL.sandbox] ?? ''))
        await engine.remove(c.id).catch(ignoreMissing);
    const out: PodSandboxStatus[] = [];
    for (const id of sandboxIds) {
      const info = await engine.inspect(id);
      if (info) out.push(sandboxStatus(info, this.s.network));
    }
    return out;
  }

  async findPodSandbox(podUid: string): Promise<string | undefined> {
    const known = this.s.ready.sandboxOf(podUid);
    if (known) return known;
    const found = await this.s.o.engine.list({ ...this.s.base, [LABEL.role]: 'sandbox', [LABEL.podUid]: podUid });
    return found.find((c) => c.state === 'running')?.id;
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
