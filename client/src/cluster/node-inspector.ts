/**
 * The Node.js inspector of a container, for "Attach Debugger": its port from
 * `--inspect` in the container's command, args or NODE_OPTIONS; starting it
 * with SIGUSR1 through exec when the spec has no `--inspect`; and a relay in
 * the container for runtimes whose port-forward reaches the pod's IP rather
 * than its loopback (the inspector listens on 127.0.0.1). No `vscode` here.
 */
import { request } from 'node:http';
import { Writable } from 'node:stream';
import type { ClusterConnection } from './cluster-connection.js';

export const DEFAULT_INSPECTOR_PORT = 9229;

export interface ContainerSpec {
  name?: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string }[];
  workingDir?: string;
}

export interface ExecTarget {
  namespace: string;
  pod: string;
  container: string;
}

const INSPECT = /(?:^|\s)--inspect(?:-brk|-wait)?(?:=(?:\[[^\]]*\]:|[^\s:]*:)?(\d+))?(?=\s|$)/;

/** The inspector port a container's spec asks for (`--inspect[=[host:]port]`), or undefined when it asks for none. */
export function inspectorPort(container: ContainerSpec): number | undefined {
  const nodeOptions = container.env?.find((e) => e.name === 'NODE_OPTIONS')?.value ?? '';
  for (const text of [...(container.command ?? []), ...(container.args ?? []), nodeOptions]) {
    const m = INSPECT.exec(text);
    if (m) return m[1] === undefined ? DEFAULT_INSPECTOR_PORT : Number(m[1]);
  }
  return undefined;
}

/** Runs a command in the container and resolves with its output once it ends; rejects when it fails. */
export function execOutput(conn: ClusterConnection, target: ExecTarget, command: string[]): Promise<string> {
  let out = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      out += chunk.toString('utf8');
      done();
    },
  });
  return new Promise((resolve, reject) => {
    conn
      .exec(target, command, { stdout: sink, stderr: sink, stdin: null, tty: false }, (status) => {
        if (status.status === 'Success') resolve(out);
        else reject(new Error(`${command.join(' ')}: ${out.trim() || status.message || 'failed'}`));
      })
      .catch(reject);
  });
}

/** Sends SIGUSR1 to the container's node process (pid 1 when `pidof` finds none), which opens the inspector on 127.0.0.1:9229. */
export async function startInspector(conn: ClusterConnection, target: ExecTarget): Promise<void> {
  try {
    await execOutput(conn, target, ['sh', '-c', 'kill -USR1 $(pidof node 2>/dev/null || echo 1)']);
  } catch {
    await execOutput(conn, target, ['kill', '-USR1', '1']);
  }
}

/** A Node script that listens on all addresses at `listen` and pipes each connection to 127.0.0.1:`inspector`. */
export function relayScript(listen: number, inspector: number): string {
  return [
    "const n = require('net');",
    'n.createServer((s) => {',
    `  const c = n.connect(${inspector}, '127.0.0.1');`,
    '  s.pipe(c).pipe(s);',
    '  s.on("error", () => c.destroy());',
    '  c.on("error", () => s.destroy());',
    `}).listen(${listen}, '0.0.0.0', () => console.log('relay ready'));`,
  ].join('\n');
}

/**
 * Starts the relay with `node -e` over exec: it lives as long as that exec,
 * so closing the returned handle stops it. Resolves once it listens.
 */
export async function startInspectorRelay(
  conn: ClusterConnection,
  target: ExecTarget,
  listen: number,
  inspector: number,
): Promise<{ close(): void }> {
  let ready: () => void = () => undefined;
  let failed: (error: Error) => void = () => undefined;
  const listening = new Promise<void>((resolve, reject) => ((ready = resolve), (failed = reject)));
  let out = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      out += chunk.toString('utf8');
      if (out.includes('relay ready')) ready();
      done();
    },
  });
  const socket = await conn.exec(
    target,
    ['node', '-e', relayScript(listen, inspector)],
    { stdout: sink, stderr: sink, stdin: null, tty: false },
    (status) => failed(new Error(`the inspector relay ended: ${out.trim() || status.message || status.status}`)),
  );
  try {
    await listening;
  } catch (error) {
    socket.close();
    throw error;
  }
  return socket;
}

/** The inspector's `/json/version` through a local port (the Node version line), or undefined when it does not answer. */
export function inspectorVersion(localPort: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port: localPort, path: '/json/version', headers: { connection: 'close' }, timeout: 5000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => {
          try {
            resolve((JSON.parse(body) as { Browser?: string }).Browser ?? 'node');
          } catch {
            resolve(undefined);
          }
        });
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}
