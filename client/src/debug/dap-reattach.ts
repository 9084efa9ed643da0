/**
 * A rollout re-attaches: when the connection to a Python or Go debugger
 * drops without the user having stopped the session (the pod was replaced,
 * or its container restarted), the workload's next running pod is found and
 * a new session attaches to its debugger, under the same name. Bounded: after
 * two minutes without a pod that answers, it says so and stops trying.
 */
import * as vscode from 'vscode';
import { errorText } from '../kube/cluster-error.js';
import { ATTACHMENT_PROPERTY } from './debug-attachments.js';
import { attachDap, takeReattach } from './dap-attach.js';
import { findDebugPod } from './debug-pod.js';
import { containerToDebug } from './node-attach.js';

const GIVE_UP_MS = 120_000;

export async function reattachLost(
  ctx: { log(message: string): void },
  config: vscode.DebugConfiguration,
): Promise<void> {
  const found = takeReattach(Number(config[ATTACHMENT_PROPERTY]));
  if (!found?.request.workload) return;
  const { conn, request } = found;
  const workload = request.workload!;
  const previous = request.target.pod;
  const end = Date.now() + GIVE_UP_MS;
  ctx.log(
    `debugger: the connection to ${previous} dropped; attaching to the next pod of ${workload.kind} ${workload.name}`,
  );
  let last = '';
  while (Date.now() < end) {
    try {
      const pod = await findDebugPod(conn, workload, { timeoutMs: Math.max(1_000, end - Date.now()) });
      const chosen = containerToDebug(pod, request.target.container);
      // The old pod can still look running for a moment after its container stopped.
      if (chosen.target.pod === previous && Date.now() < end - GIVE_UP_MS / 2) {
        await new Promise((r) => setTimeout(r, 1_000));
        continue;
      }
      const result = await attachDap(found.ctx, conn, { ...request, target: chosen.target });
      ctx.log(`debugger: re-attached ${request.name} to ${result.pod} (${result.container})`);
      return;
    } catch (error) {
      last = errorText(error);
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
  ctx.log(`debugger: could not re-attach ${request.name}: ${last}`);
  void vscode.window.showWarningMessage(`Kube Workbench: could not re-attach ${request.name}: ${last}`);
}
