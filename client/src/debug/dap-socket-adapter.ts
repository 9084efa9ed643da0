/**
 * The `kube-workbench-dap` adapter: the debugger in the container, reached
 * over a TCP connection to the port-forward, with the Debug Adapter
 * Protocol's framing (`Content-Length` headers) done here. VS Code's own
 * `DebugAdapterServer` would do the same, but one message must change on its
 * way: stopping a session sends `disconnect` with `terminateDebuggee: true`,
 * which makes debugpy and Delve kill the program — the container's main
 * process, so the pod restarts. Here `disconnect` always leaves the program
 * running; the debugger stays in the container for the next session.
 */
import { connect, type Socket } from 'node:net';
import * as vscode from 'vscode';
import { DapFramer, frame, keepDebuggee, type DapMessage } from './dap-framing.js';

export class DapSocketAdapter implements vscode.DebugAdapter {
  private readonly emitter = new vscode.EventEmitter<vscode.DebugProtocolMessage>();
  readonly onDidSendMessage = this.emitter.event;
  private readonly socket: Socket;
  private readonly framer = new DapFramer();

  /** Whether VS Code asked to disconnect (a user's stop), as opposed to the connection dropping (the pod went away). */
  private disconnecting = false;

  /** `onLost` hears when the connection closes without VS Code having asked to disconnect. */
  constructor(port: number, onLost: () => void = () => undefined) {
    this.socket = connect(port, '127.0.0.1');
    this.socket.on('data', (chunk: Buffer) => {
      try {
        for (const message of this.framer.push(chunk)) this.emitter.fire(message as vscode.DebugProtocolMessage);
      } catch (error) {
        this.disconnecting = true; // not DAP: nothing to re-attach to
        this.fail(error instanceof Error ? error.message : String(error));
      }
    });
    this.socket.on('error', (error) => this.fail(error.message));
    this.socket.on('close', () => {
      this.emitter.fire({ type: 'event', event: 'terminated', seq: 0 });
      if (!this.disconnecting) onLost();
    });
  }

  handleMessage(message: vscode.DebugProtocolMessage): void {
    const m = message as DapMessage;
    if (m.type === 'request' && (m.command === 'disconnect' || m.command === 'terminate')) this.disconnecting = true;
    if (!this.socket.destroyed) this.socket.write(frame(keepDebuggee(message as DapMessage)));
  }

  private fail(reason: string): void {
    this.emitter.fire({
      type: 'event',
      event: 'output',
      seq: 0,
      body: { category: 'stderr', output: `Kube Workbench: connection to the debugger: ${reason}\n` },
    });
    this.socket.destroy();
  }

  dispose(): void {
    this.disconnecting = true;
    this.socket.destroy();
    this.emitter.dispose();
  }
}
