import * as vscode from 'vscode';
import { errorText } from '../kube/cluster-error.js';
import type { CommandTable } from '../command.js';
import { podTarget } from './pod-target.js';
import { openPodShell, type PodShell } from './pod-terminal.js';
import { attachSession, startDebugContainer } from './debug-shell.js';
import { readConfig } from '../config.js';

export const shellCommands: CommandTable = {
  /** A terminal with a shell in the container (exec with a TTY); returns the shell (its terminal and transcript). */
  'kubeWorkbench.openShell':
    (ctx) =>
    async (arg?: unknown): Promise<PodShell | undefined> => {
      try {
        const target = await podTarget(ctx, arg, 'Open a shell in which container?');
        if (!target) return undefined;
        const shell = openPodShell(await ctx.clusters.connection(), target, `${target.pod} (${target.container})`);
        ctx.push(shell.terminal);
        shell.terminal.show();
        return shell;
      } catch (error) {
        void vscode.window.showErrorMessage(`Kube Workbench: shell: ${errorText(error)}`);
        return undefined;
      }
    },

  /** A new ephemeral debug container (`kubectl debug -it --target`) in the pod, attached in a terminal. */
  'kubeWorkbench.debugShell':
    (ctx) =>
    async (arg?: unknown): Promise<PodShell | undefined> => {
      try {
        const target = await podTarget(ctx, arg, 'Debug which container (its processes are shared)?');
        if (!target) return undefined;
        const conn = await ctx.clusters.connection();
        const image = readConfig().debugShellImage;
        const container = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: `Starting a debug container (${image})…` },
          () => startDebugContainer(conn, target, image),
        );
        const shell = openPodShell(
          conn,
          target,
          `debug ${target.pod} (${target.container})`,
          attachSession(conn, target, container),
        );
        ctx.push(shell.terminal);
        shell.terminal.show();
        return shell;
      } catch (error) {
        void vscode.window.showErrorMessage(`Kube Workbench: debug shell: ${errorText(error)}`);
        return undefined;
      }
    },
};
