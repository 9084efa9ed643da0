import type * as vscode from 'vscode';
import type { PortForwardListener } from './port-forward-listener.js';

/** One active forward: a local listener, and what else lives as long as it (an inspector relay). */
export interface ActiveForward {
  readonly label: string;
  readonly listener: PortForwardListener;
  readonly extra?: { close(): void };
}

/** The active port-forwards; Ctx owns them and stops every one on dispose. */
export class PortForwards implements vscode.Disposable {
  private readonly active: ActiveForward[] = [];

  add(forward: ActiveForward): ActiveForward {
    this.active.push(forward);
    return forward;
  }

  list(): readonly ActiveForward[] {
    return this.active;
  }

  async stop(forward: ActiveForward): Promise<void> {
    const i = this.active.indexOf(forward);
    if (i < 0) return;
    this.active.splice(i, 1);
    forward.extra?.close();
    await forward.listener.close();
  }

  dispose(): void {
    for (const f of [...this.active]) void this.stop(f);
  }
}
