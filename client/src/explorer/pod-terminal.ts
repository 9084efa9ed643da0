import { PassThrough } from 'node:stream';
import * as vscode from 'vscode';
import type { ClusterConnection } from '../kube/cluster-connection.js';
import { errorText } from '../kube/cluster-error.js';

export interface ShellTarget {
  namespace: string;
  pod: string;
  container: string;
}

/** A shell in a container as a VS Code terminal: the API's exec WebSocket with a TTY, resized with the terminal. */
export interface PodShell {
  readonly terminal: vscode.Terminal;
  /** Everything the terminal has shown so far (output of the shell and our own status lines). */
  transcript(): string;
  /** Resolves with the shell's exit status once it ends. */
  readonly exited: Promise<string>;
}

const SHELL = ['sh', '-c', 'if command -v bash >/dev/null 2>&1; then exec bash; else exec sh; fi'];
const MAX_TRANSCRIPT = 1 << 20;

/** Connects a terminal's streams to a process in the pod; calls `ended` with a status line when it ends. */
export type TerminalSession = (
  io: { stdout: PassThrough & { columns: number; rows: number }; stdin: PassThrough },
  ended: (status: string) => void,
) => Promise<{ close(): void }>;

/** The exec session of a shell (bash when the image has it). */
function execShell(conn: ClusterConnection, target: ShellTarget): TerminalSession {
  return ({ stdout, stdin }, ended) =>
    conn.pods.exec(target, SHELL, { stdout, stderr: stdout, stdin, tty: true }, (status) => {
      ended(`shell ended: ${status.status === 'Success' ? 'exit 0' : (status.message ?? status.status ?? 'ended')}`);
    });
}

export function openPodShell(
  conn: ClusterConnection,
  target: ShellTarget,
  label: string,
  session: TerminalSession = execShell(conn, target),
): PodShell {
  const write = new vscode.EventEmitter<string>();
  const close = new vscode.EventEmitter<number | void>();
  const stdin = new PassThrough();
  // client-node resizes the remote TTY from a stdout stream that has `columns`/`rows` and emits 'resize'.
  const stdout = Object.assign(new PassThrough(), { columns: 80, rows: 24 });
  let transcript = '';
  let socket: { close(): void } | undefined;
  let resolveExit: (status: string) => void = () => undefined;
  const exited = new Promise<string>((resolve) => (resolveExit = resolve));
  const show = (text: string) => {
    transcript = (transcript + text).slice(-MAX_TRANSCRIPT);
    write.fire(text.replace(/\r?\n/g, '\r\n'));
  };
  stdout.on('data', (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    transcript = (transcript + text).slice(-MAX_TRANSCRIPT);
    write.fire(text);
  });
  const finish = (status: string) => {
    show(`\n[${status}]\n`);
    resolveExit(status);
  };
  const pty: vscode.Pseudoterminal = {
    onDidWrite: write.event,
    onDidClose: close.event,
    open: (dimensions) => {
      if (dimensions) Object.assign(stdout, { columns: dimensions.columns, rows: dimensions.rows });
      show(`Connecting to ${target.namespace}/${target.pod} (${target.container})…\n`);
      session({ stdout, stdin }, finish).then(
        (s) => (socket = s),
        (error: unknown) => finish(`cannot open a shell: ${errorText(error)}`),
      );
    },
    close: () => {
      socket?.close();
      stdin.end();
    },
    handleInput: (data) => stdin.write(data),
    setDimensions: (dimensions) => {
      Object.assign(stdout, { columns: dimensions.columns, rows: dimensions.rows });
      stdout.emit('resize');
    },
  };
  const terminal = vscode.window.createTerminal({ name: label, pty });
  void exited.then(() => {
    write.dispose();
    close.dispose();
  });
  return { terminal, transcript: () => transcript, exited };
}
