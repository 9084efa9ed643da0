/**
 * A local port on 127.0.0.1 that reaches the Node.js inspector of a
 * container: the port of `--inspect` in its spec, or the inspector started
 * with SIGUSR1; straight through the port-forward when the inspector listens
 * on the pod's address, through a relay in the container when it listens on
 * loopback only. Every wait is bounded and fails with a message that says
 * what did not answer. No `vscode` here.
 */
import type { ClusterConnection } from '../kube/cluster-connection.js';
import {
  DEFAULT_INSPECTOR_PORT,
  inspectorVersion,
  startInspector,
  startInspectorRelay,
  type ExecTarget,
} from './node-inspector.js';
import { PortForwardListener } from '../forwarding/port-forward-listener.js';

/** The port the in-container relay listens on when the inspector is reachable on loopback only. */
export const RELAY_PORT = 39229;

export interface InspectorForwardOptions {
  /** The inspector port the spec asks for; undefined sends SIGUSR1 and uses 9229. */
  port?: number | undefined;
  /** How long each step may take (default 10 s). */
  stepTimeoutMs?: number;
  onError?: (error: Error) => void;
}

export interface InspectorForward {
  listener: PortForwardListener;
  /** The relay in the container, when one was needed; closing it ends it. */
  relay?: { close(): void };
  /** The inspector's port in the container. */
  inspectorPort: number;
  /** Whether SIGUSR1 started the inspector. */
  signalled: boolean;
  /** The inspector's version line (`node.js/v20...`). */
  version: string;
}

/** Polls the inspector's `/json/version` through a local port until it answers or `ms` have passed. */
export async function inspectorAnswers(localPort: number, ms: number): Promise<string | undefined> {
  const end = Date.now() + ms;
  for (;;) {
    const version = await inspectorVersion(localPort, Math.max(500, Math.min(3_000, end - Date.now())));
    if (version) return version;
    if (Date.now() >= end) return undefined;
    await new Promise((r) => setTimeout(r, 300));
  }
}

export async function openInspectorForward(
  conn: ClusterConnection,
  target: ExecTarget,
  options: InspectorForwardOptions = {},
): Promise<InspectorForward> {
  const step = options.stepTimeoutMs ?? 10_000;
  const signalled = options.port === undefined;
  if (signalled) await startInspector(conn, target, step);
  const port = options.port ?? DEFAULT_INSPECTOR_PORT;
  let remote = port;
  let probing = true; // refused connections while looking for the way in are expected, not errors
  const listener = await PortForwardListener.listen(conn, {
    target: () => Promise.resolve({ namespace: target.namespace, pod: target.pod, port: remote }),
    onError: (error) => {
      if (!probing) options.onError?.(error);
    },
  });
  let relay: { close(): void } | undefined;
  try {
    // Straight through first: an inspector on 0.0.0.0 (or a runtime whose port-forward reaches loopback).
    let version = await inspectorAnswers(listener.localPort, 1_500);
    if (!version) {
      remote = RELAY_PORT;
      try {
        relay = await startInspectorRelay(conn, target, RELAY_PORT, port, step);
      } catch (error) {
        // A relay of an earlier session that has not exited yet still serves.
        if (!/EADDRINUSE/.test(error instanceof Error ? error.message : String(error))) throw error;
      }
      version = await inspectorAnswers(listener.localPort, step);
    }
    if (!version)
      throw new Error(
        `no Node.js inspector answers on port ${port} in ${target.pod} (${target.container})` +
          (signalled ? ' after SIGUSR1: is the container running node?' : ''),
      );
    probing = false;
    return { listener, ...(relay ? { relay } : {}), inspectorPort: port, signalled, version };
  } catch (error) {
    relay?.close();
    await listener.close();
    throw error;
  }
}
