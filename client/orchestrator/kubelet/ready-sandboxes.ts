/**
 * The Docker runtime's memory of each pod's running sandbox and its IP, so a
 * port-forward connection needs no engine call. An entry is forgotten when
 * its sandbox dies, is stopped or removed, or the engine's events had a gap.
 */
import type { PodSandboxStatus } from './runtime';

export class ReadySandboxes {
  /** Pod uid -> its running sandbox and IP. */
  private readonly byPod = new Map<string, { id: string; ip: string }>();

  /** Remembers a sandbox that has an IP; returns the status it was given. */
  remember(status: PodSandboxStatus): PodSandboxStatus {
    if (status.ip) this.byPod.set(status.podUid, { id: status.id, ip: status.ip });
    return status;
  }

  /** A container of the pod changed: forgotten if it is the remembered sandbox. */
  changed(podUid: string, containerId: string): void {
    if (this.byPod.get(podUid)?.id === containerId) this.byPod.delete(podUid);
  }

  forget(sandboxId: string): void {
    for (const [uid, s] of this.byPod) if (s.id === sandboxId) this.byPod.delete(uid);
  }

  clear(): void {
    this.byPod.clear();
  }

  sandboxOf(podUid: string): string | undefined {
    return this.byPod.get(podUid)?.id;
  }

  ipOf(sandboxId: string): string | undefined {
    for (const s of this.byPod.values()) if (s.id === sandboxId) return s.ip;
    return undefined;
  }
}
