import * as vscode from 'vscode';
import { chartCommands } from './charts/chart-commands.js';
import { debugCommands } from './debug/debug-commands.js';
import { devCommands } from './dev/dev-commands.js';
import { editCommands } from './editor/edit-commands.js';
import { referenceCommands } from './editor/reference-commands.js';
import { nodeCommands } from './explorer/node-commands.js';
import { resourceCommands } from './explorer/resource-commands.js';
import { shellCommands } from './explorer/shell-commands.js';
import { portForwardCommands } from './forwarding/port-forward-commands.js';
import { namedForwardCommands } from './forwarding/named-forward-commands.js';
import { clusterCommands } from './kube/cluster-commands.js';
import { kustomizeCommands } from './run/kustomize-commands.js';
import { manifestCommands } from './run/manifest-commands.js';
import type { CommandTable } from './command.js';
import type { Ctx } from './ctx.js';

/** Every command the extension contributes, by id. package.json lists the same ids. */
export const commands: CommandTable = {
  'kubeWorkbench.showOutput': (ctx) => () => ctx.output.show(),
  'kubeWorkbench.restartServer': (ctx) => async () => {
    const client = ctx.client;
    if (!client) {
      void vscode.window.showWarningMessage('Kube Workbench: the language server is not running.');
      return;
    }
    await client.restart();
  },
  ...manifestCommands,
  ...kustomizeCommands,
  ...clusterCommands,
  ...resourceCommands,
  ...nodeCommands,
  ...chartCommands,
  ...referenceCommands,
  ...shellCommands,
  ...portForwardCommands,
  ...namedForwardCommands,
  ...debugCommands,
  ...editCommands,
  ...devCommands,
};

export function registerCommands(ctx: Ctx): void {
  for (const [id, command] of Object.entries(commands)) {
    ctx.push(vscode.commands.registerCommand(id, command(ctx)));
  }
}
