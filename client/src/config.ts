import * as vscode from 'vscode';

/** Every setting the extension reads, in one place. */
export const CONFIG_SECTION = 'kubeWorkbench';

export interface Config {
  readonly traceServer: 'off' | 'messages' | 'verbose';
}

export function readConfig(): Config {
  const section = vscode.workspace.getConfiguration(CONFIG_SECTION);
  return {
    traceServer: section.get<'off' | 'messages' | 'verbose'>('trace.server', 'off'),
  };
}
