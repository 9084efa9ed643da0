/**
 * "Debug Shell" on a pod (or a container under one): adds an ephemeral container running `sh`
 * with stdin and a TTY (`pods/ephemeralcontainers`, as `kubectl debug -it --target` does), sharing
 * the chosen container's processes, waits for it to run and attaches a terminal to it. The image is
 * the `kubeWorkbench.debugShell.image` setting; by default the busybox image the embedded cluster
 * makes locally (protocol/debug-shell-image.ts).
 */
import { randomBytes } from 'node:crypto';
import type { ClusterConnection } from '../kube/cluster-connection.js';
import type { KubeObject } from '../kube/kube-object.js';
import type { ShellTarget, TerminalSession } from './pod-terminal.js';

interface EphemeralStatus {
  name?: string;
  state?: {
    running?: unknown;
    terminated?: { exitCode?: number; reason?: string };
    waiting?: { reason?: string; message?: string };
  };
}

/** The name of a new debug container: `debugger-` and five random letters, as kubectl picks. */
export function debugContainerName(): string {
  const letters = 'bcdfghjklmnpqrstvwxz2456789';
  return `debugger-${[...randomBytes(5)].map((b) => letters[b % letters.length]).join('')}`;
}

/** The ephemeral container "Debug Shell" adds to a pod. */
export function debugContainer(name: string, image: string, target: string): Record<string, unknown> {
  return {
    name,
    image,
    command: ['sh'],
    stdin: true,
    tty: true,
    targetContainerName: target,
    terminationMessagePolicy: 'File',
  };
}

/** Why a debug container will not run (its waiting reason), or undefined while it may still start. */
export function notStarting(status: EphemeralStatus | undefined): string | undefined {
  const waiting = status?.state?.waiting;
  if (!waiting?.reason || waiting.reason === 'ContainerCreating' || waiting.reason === 'PodInitializing')
    return undefined;
  return `${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}`;
}

/** Adds the debug container and resolves once it runs; throws with the reason when it cannot. */
export async function startDebugContainer(
  conn: ClusterConnection,
  target: ShellTarget,
  image: string,
  timeoutMs = 60_000,
): Promise<string> {
  const name = debugContainerName();
  const ref = { apiVersion: 'v1', kind: 'Pod', namespace: target.namespace, name: target.pod };
  await conn.writer.patch(
    ref,
    { spec: { ephemeralContainers: [debugContainer(name, image, target.container)] } },
    'strategic',
    'ephemeralcontainers',
  );
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pod: KubeObject | undefined = await conn.reader.get(ref);
    if (!pod) throw new Error(`pod ${target.pod} is gone`);
    const statuses = (pod.status as { ephemeralContainerStatuses?: EphemeralStatus[] } | undefined)
      ?.ephemeralContainerStatuses;
    const status = statuses?.find((s) => s.name === name);
    if (status?.state?.running) return name;
    const terminated = status?.state?.terminated;
    if (terminated)
      throw new Error(
        `debug container ${name} ended at once (${terminated.reason ?? 'exit'} ${terminated.exitCode ?? ''})`,
      );
    const why = notStarting(status);
    if (why) throw new Error(`debug container ${name} cannot start: ${why}`);
    if (Date.now() > deadline) throw new Error(`debug container ${name} did not start within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The terminal session of an attached debug container. */
export function attachSession(conn: ClusterConnection, target: ShellTarget, container: string): TerminalSession {
  return async ({ stdout, stdin }, ended) => {
    const socket = await conn.pods.attach({ ...target, container }, { stdout, stdin, tty: true }, () =>
      ended(
        `debug shell ended; the container ${container} stays in the pod's spec (ephemeral containers cannot be removed)`,
      ),
    );
    stdin.write('\r'); // the shell printed its prompt before we attached: ask for another
    return socket;
  };
}
