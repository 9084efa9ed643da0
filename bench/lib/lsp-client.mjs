// A minimal LSP client over stdio for benchmarks: spawns a server, frames
// JSON-RPC messages, answers the server's own requests, and lets a benchmark
// wait for published diagnostics.
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';

export class LspClient {
  #nextId = 1;
  #pending = new Map();
  #buffer = Buffer.alloc(0);
  #diagnosticWaiters = [];
  #settings;

  /** @param {string[]} command  @param {{ settings?: object, cwd?: string }} options */
  constructor(command, options = {}) {
    this.#settings = options.settings ?? {};
    const [bin, ...args] = command;
    this.process = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'], cwd: options.cwd });
    this.process.stdout.on('data', (chunk) => this.#onData(chunk));
    this.process.stderr.on('data', () => {});
    this.exited = new Promise((resolve) => this.process.on('exit', resolve));
  }

  async initialize(rootPath) {
    const rootUri = pathToFileURL(rootPath).href;
    await this.request('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: 'bench' }],
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
        textDocument: {
          publishDiagnostics: { relatedInformation: true },
          synchronization: { dynamicRegistration: true, didSave: true },
          completion: { completionItem: { snippetSupport: true } },
          hover: { contentFormat: ['markdown', 'plaintext'] },
        },
      },
    });
    this.notify('initialized', {});
    this.notify('workspace/didChangeConfiguration', { settings: this.#settings });
  }

  request(method, params) {
    const id = this.#nextId++;
    this.#send({ jsonrpc: '2.0', id, method, params });
    return new Promise((resolve, reject) => this.#pending.set(id, { resolve, reject }));
  }

  notify(method, params) {
    this.#send({ jsonrpc: '2.0', method, params });
  }

  /** Resolves with the next diagnostics published for `uri` that satisfy `accept`. */
  nextDiagnostics(uri, accept = () => true) {
    return new Promise((resolve) => this.#diagnosticWaiters.push({ uri, accept, resolve }));
  }

  async shutdown() {
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

  #send(message) {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.process.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.process.stdin.write(body);
  }

  #onData(chunk) {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const headerEnd = this.#buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const header = this.#buffer.subarray(0, headerEnd).toString('ascii');
      const length = Number(/Content-Length: (\d+)/i.exec(header)?.[1] ?? 0);
      if (this.#buffer.length < headerEnd + 4 + length) return;
      const body = this.#buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
      this.#buffer = this.#buffer.subarray(headerEnd + 4 + length);
      this.#onMessage(JSON.parse(body));
    }
  }

  #onMessage(message) {
    if (message.id !== undefined && message.method === undefined) {
      const pending = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      if (message.error) pending?.reject(new Error(message.error.message));
      else pending?.resolve(message.result);
      return;
    }
    if (message.id !== undefined) {
      this.#send({ jsonrpc: '2.0', id: message.id, result: this.#answer(message) });
      return;
    }
    if (message.method === 'textDocument/publishDiagnostics') {
      const { uri, diagnostics } = message.params;
      const index = this.#diagnosticWaiters.findIndex((w) => w.uri === uri && w.accept(diagnostics));
      if (index >= 0) this.#diagnosticWaiters.splice(index, 1)[0].resolve(diagnostics);
    }
  }

  #answer(request) {
    if (request.method === 'workspace/configuration') {
      return request.params.items.map((item) => (item.section ? (this.#settings[item.section] ?? null) : null));
    }
    return null;
  }
}
