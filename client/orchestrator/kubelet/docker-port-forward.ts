/** `kubectl port-forward` on Docker: a TCP connection to a port of the pod's sandbox IP on the cluster network. */
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ReadySandboxes } from './ready-sandboxes';
import type { PodSandboxStatus } from './runtime';

/**
 * A connection to the pod's port; the sandbox's IP is remembered (`ready`), and looked up again
 * (`sandboxStatus`, an engine inspect) when there is none or the remembered one refuses.
 */
export async function dialPodPort(
  ready: ReadySandboxes,
  sandboxStatus: (sandboxId: string) => Promise<PodSandboxStatus | undefined>,
  sandboxId: string,
  port: number,
): Promise<Duplex> {
  const dial = (host: string) =>
    new Promise<Duplex>((resolve, reject) => {
      const socket = connect({ host, port }, () => resolve(socket));
      socket.once('error', reject);
    });
  const known = ready.ipOf(sandboxId);
  if (known) {
    try {
      return await dial(known);
    } catch {
      ready.forget(sandboxId); // a sandbox replaced behind our back: ask the engine
    }
  }
  const status = await sandboxStatus(sandboxId);
  if (!status?.ip) throw new Error(`pod sandbox ${sandboxId} has no IP`);
  if (status.state === 'ready') ready.remember(status);
  return dial(status.ip);
}
