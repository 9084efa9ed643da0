// A minimal LSP client over stdio for tests and benchmarks: spawns a server,
// frames JSON-RPC messages, answers the server's own requests, and lets a
// caller wait for published diagnostics.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { pathToFileURL } from 'node:url';

interface Message {
  jsonrpc: '2.0';
  id?: number | string;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { message: string };
}

export interface PublishedDiagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity?: number;
  code?: string | number;
  source?: string;
  message: string;
}

interface DiagnosticsWaiter {
  uri: string;
  accept: (diagnostics: PublishedDiagnostic[], version: number | undefined) => boolean;
  resolve: (diagnostics: PublishedDiagnostic[]) => void;
}

export class LspClient {
  readonly process: ChildProcessWithoutNullStreams;
  readonly exited: Promise<number | null>;
  stderr = '';
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private buffer = Buffer.alloc(0);
  private readonly waiters: DiagnosticsWaiter[] = [];
  private readonly settings: Record<string, unknown>;

  constructor(command: readonly string[], options: { settings?: Record<string, unknown>; cwd?: string } = {}) {
    this.settings = options.settings ?? {};
    const [bin = process.execPath, ...args] = command;
    this.process = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'], ...(options.cwd ? { cwd: options.cwd } : {}) });
    this.process.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    this.process.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    this.exited = new Promise((resolve) => this.process.on('exit', resolve));
  }

  async initialize(rootPath: string): Promise<void> {
    const rootUri = pathToFileURL(rootPath).href;
    await this.request('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: 'workspace' }],
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
        textDocument: {
          publishDiagnostics: { relatedInformation: true, versionSupport: true },
          synchronization: { dynamicRegistration: true, didSave: true },
          completion: { completionItem: { snippetSupport: true } },
          hover: { contentFormat: ['markdown', 'plaintext'] },
        },
      },
    });
    this.notify('initialized', {});
    this.notify('workspace/didChangeConfiguration', { settings: this.settings });
  }

  request(method: string, params: unknown): Promise<unknown> {
    const id = this.nextId++;
    this.send({ jsonrpc: '2.0', id, method, params });
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  /** Opens a YAML document at `uri` as an editor does (`textDocument/didOpen`, version 1). */
  openYaml(uri: string, text: string): void {
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  }

  /** Resolves with the next diagnostics published for `uri` that `accept` takes. */
  nextDiagnostics(
    uri: string,
    accept: (diagnostics: PublishedDiagnostic[], version: number | undefined) => boolean = () => true,
  ): Promise<PublishedDiagnostic[]> {
    return new Promise((resolve) => this.waiters.push({ uri, accept, resolve }));
  }

  async shutdown(): Promise<void> {
    try {
      await Promise.race([this.request('shutdown', null), new Promise((r) => setTimeout(r, 2000))]);
      this.notify('exit', null);
    } catch {
      // the server may already be gone
    }
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 2000);
    await this.exited;
    clearTimeout(timer);
  }

  private send(message: Message): void {
    if (!this.process.stdin.writable) return;
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.process.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.process.stdin.write(body);
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const header = this.buffer.subarray(0, headerEnd).toString('ascii');
      const length = Number(/Content-Length: (\d+)/i.exec(header)?.[1] ?? 0);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const body = this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.onMessage(JSON.parse(body) as Message);
    }
  }

  private onMessage(message: Message): void {
    if (message.id !== undefined && message.method === undefined) {
      const pending = this.pending.get(Number(message.id));
      this.pending.delete(Number(message.id));
      if (message.error) pending?.reject(new Error(message.error.message));
      else pending?.resolve(message.result);
      return;
    }
    if (message.id !== undefined) {
      this.send({ jsonrpc: '2.0', id: message.id, result: this.answer(message) });
      return;
    }
    if (message.method === 'textDocument/publishDiagnostics') {
      const { uri, diagnostics, version } = message.params as {
        uri: string;
        diagnostics: PublishedDiagnostic[];
        version?: number;
      };
      const index = this.waiters.findIndex((w) => w.uri === uri && w.accept(diagnostics, version));
      if (index >= 0) this.waiters.splice(index, 1)[0]?.resolve(diagnostics);
    }
  }

  private answer(request: Message): unknown {
    if (request.method === 'workspace/configuration') {
      const items = (request.params as { items: { section?: string }[] }).items;
      return items.map((item) => (item.section ? (this.settings[item.section] ?? null) : null));
    }
    return null;
  }
}
