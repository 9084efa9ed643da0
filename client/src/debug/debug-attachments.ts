import * as vscode from 'vscode';
import type { ActiveForward, PortForwards } from '../forwarding/port-forwards.js';
import { within } from './node-inspector.js';

/** The property of a debug configuration that ties its session to an inspector forward. */
export const ATTACHMENT_PROPERTY = 'kubeWorkbenchAttachment';

interface Attachment {
  /** The workload (or pod) the session debugs: a new session for it replaces this one. */
  key: string;
  forward: ActiveForward;
  session?: vscode.DebugSession;
  /** Stops the forward when no session has started for it in time (the launch failed). */
  unclaimed?: ReturnType<typeof setTimeout>;
}

/**
 * The debug sessions that run through an inspector forward: the forward stops
 * when its session ends (or when no session starts for it), and a new session
 * for the same workload stops the earlier one and its forward first.
 */
export class DebugAttachments implements vscode.Disposable {
  private readonly byId = new Map<number, Attachment>();
  private next = 1;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly forwards: PortForwards,
    private readonly log: (message: string) => void,
    private readonly claimTimeoutMs = 60_000,
  ) {
    this.subscriptions = [
      vscode.debug.onDidStartDebugSession((session) => this.started(session)),
      vscode.debug.onDidTerminateDebugSession((session) => this.terminated(session)),
    ];
  }

  /** Registers a forward for a session about to start; returns the id its configuration must carry. */
  add(key: string, forward: ActiveForward): number {
    const id = this.next++;
    const attachment: Attachment = { key, forward };
    attachment.unclaimed = setTimeout(() => {
      if (attachment.session) return;
      this.log(`debugger: no session started for ${forward.label}; its forward stops`);
      void this.release(id);
    }, this.claimTimeoutMs);
    this.byId.set(id, attachment);
    return id;
  }

  /** Stops the sessions and forwards of `key` (a new session for the same workload replaces them). */
  async replace(key: string): Promise<void> {
    for (const [id, a] of [...this.byId])
      if (a.key === key) {
        this.log(`debugger: replacing the session on ${a.forward.label}`);
        if (a.session) await vscode.debug.stopDebugging(a.session);
        await this.release(id);
      }
  }

  /** Starts the debug session of attachment `id` (bounded); its forward stops when the session does not start. */
  async startDebugging(id: number, config: vscode.DebugConfiguration): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    let started = false;
    try {
      started = await within(
        Promise.resolve(vscode.debug.startDebugging(folder, config)),
        30_000,
        'VS Code did not start the debug session within 30 s',
      );
    } finally {
      if (!started) await this.release(id);
    }
    if (!started) throw new Error('VS Code did not start the debug session');
  }

  /** Stops the forward of an attachment whose session will not start. */
  async release(id: number): Promise<void> {
    const a = this.byId.get(id);
    if (!a) return;
    this.byId.delete(id);
    clearTimeout(a.unclaimed);
    await this.forwards.stop(a.forward);
  }

  /** The attachment a session's configuration names (its id, or the forward's local port). */
  private idOf(session: vscode.DebugSession): number | undefined {
    const config = session.configuration;
    const marked = Number(config[ATTACHMENT_PROPERTY]);
    if (this.byId.has(marked)) return marked;
    for (const [id, a] of this.byId)
      if (config.request === 'attach' && Number(config.port) === a.forward.listener.localPort) return id;
    return undefined;
  }

  private started(session: vscode.DebugSession): void {
    if (session.parentSession) return; // js-debug's child sessions belong to the root one
    const id = this.idOf(session);
    const a = id === undefined ? undefined : this.byId.get(id);
    if (!a || a.session) return;
    a.session = session;
    clearTimeout(a.unclaimed);
  }

  private terminated(session: vscode.DebugSession): void {
    if (session.parentSession) return;
    const id = this.idOf(session);
    if (id === undefined || this.byId.get(id)?.session?.id !== session.id) return;
    void this.release(id);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    for (const a of this.byId.values()) clearTimeout(a.unclaimed);
    this.byId.clear(); // the forwards themselves stop with ctx.forwards
  }
}
