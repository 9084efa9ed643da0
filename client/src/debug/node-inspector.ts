/**
 * The Node.js inspector of a container, for "Attach Debugger": its port from
 * `--inspect` in the container's command, args or NODE_OPTIONS; starting it
 * with SIGUSR1 through exec when the spec has no `--inspect`; and a relay in
 * the container for runtimes whose port-forward reaches the pod's IP rather
 * than its loopback (the inspector listens on 127.0.0.1). Every step that
 * waits on the cluster is bounded. No `vscode` here.
 */
import { request } from 'node:http';
import { PassThrough, Writable } from 'node:stream';
import type { ClusterConnection } from '../kube/cluster-connection.js';

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

/** Rejects with `message` when `promise` has not settled within `ms`. */
export function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs a command in the container and resolves with its output once it ends; rejects when it fails or takes longer than `timeoutMs`. */
export function execOutput(
  conn: ClusterConnection,
  target: ExecTarget,
  command: string[],
  timeoutMs = 10_000,
): Promise<string> {
  let out = '';
  let socket: { close(): void } | undefined;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      out += chunk.toString('utf8');
      done();
    },
  });
  const ran = new Promise<string>((resolve, reject) => {
    conn.pods
      .exec(target, command, { stdout: sink, stderr: sink, stdin: null, tty: false }, (status) => {
        if (status.status === 'Success') resolve(out);
        else reject(new Error(`${command.join(' ')}: ${out.trim() || status.message || 'failed'}`));
      })
      .then((s) => (socket = s), reject);
  });
  return within(
    ran,
    timeoutMs,
    `${command[0] ?? 'exec'} in ${target.pod} (${target.container}) did not finish within ${timeoutMs / 1000} s`,
  ).finally(() => socket?.close());
}

/** Signals the oldest node process other than itself (pid 1 when it finds none): no `sh` or `pidof` needed. */
export const SIGNAL_SCRIPT = [
  "const fs = require('fs');",
  'const pids = fs.readdirSync("/proc").filter((d) => /^\\d+$/.test(d)).map(Number).filter((p) => p !== process.pid);',
  'const node = pids.sort((a, b) => a - b).find((p) => {',
  "  try { return /(^|\\/)node(js)?$/.test(fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\\0')[0]); } catch { return false; }",
  '});',
  "process.kill(node ?? 1, 'SIGUSR1');",
].join('\n');

/**
 * Sends SIGUSR1 to the container's node process, which opens the inspector
 * on 127.0.0.1:9229: with `node -e` (a Node image has node), else with `sh`
 * and `pidof`, else `kill -USR1 1`. Each attempt is bounded.
 */
export async function startInspector(conn: ClusterConnection, target: ExecTarget, timeoutMs = 10_000): Promise<void> {
  const attempts = [
    ['node', '-e', SIGNAL_SCRIPT],
    ['sh', '-c', 'kill -USR1 $(pidof node 2>/dev/null || echo 1)'],
    ['kill', '-USR1', '1'],
  ];
  const failures: string[] = [];
  for (const command of attempts) {
    try {
      await execOutput(conn, target, command, timeoutMs);
      return;
    } catch (error) {
      failures.push(error instanceof Error ? error.message : String(error));
    }
  }
  throw new Error(`could not send SIGUSR1 to node in ${target.pod} (${target.container}): ${failures.join('; ')}`);
}

/**
 * A Node script that listens on all addresses at `listen` and pipes each
 * connection to 127.0.0.1:`inspector`. It exits when its stdin ends, that is
 * when the exec that runs it closes, so no relay outlives its debug session.
 */
export function relayScript(listen: number, inspector: number): string {
  return [
    "const n = require('net');",
    'const server = n.createServer((s) => {',
    `  const c = n.connect(${inspector}, '127.0.0.1');`,
    '  s.pipe(c).pipe(s);',
    '  s.on("error", () => c.destroy());',
    '  c.on("error", () => s.destroy());',
    '});',
    "server.on('error', (e) => { console.log('relay failed: ' + e.code); process.exit(1); });",
    `server.listen(${listen}, '0.0.0.0', () => console.log('relay ready'));`,
    "process.stdin.on('end', () => process.exit(0));",
    "process.stdin.on('close', () => process.exit(0));",
    'process.stdin.resume();',
  ].join('\n');
}

/**
 * Starts the relay with `node -e` over exec, its stdin attached: it lives as
 * long as that exec, so closing the returned handle stops it. Resolves once it
 * listens; rejects when it fails (the port is taken: `EADDRINUSE` in the
 * message) or has not started within `timeoutMs`.
 */
export async function startInspectorRelay(
  conn: ClusterConnection,
  target: ExecTarget,
  listen: number,
  inspector: number,
  timeoutMs = 10_000,
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
  const stdin = new PassThrough();
  let socket: { close(): void } | undefined;
  const close = () => {
    stdin.end();
    socket?.close();
  };
  try {
    socket = await within(
      conn.pods.exec(
        target,
        ['node', '-e', relayScript(listen, inspector)],
        { stdout: sink, stderr: sink, stdin, tty: false },
        (status) => failed(new Error(`the inspector relay ended: ${out.trim() || status.message || status.status}`)),
      ),
      timeoutMs,
      `exec in ${target.pod} (${target.container}) did not open within ${timeoutMs / 1000} s`,
    );
    await within(
      listening,
      timeoutMs,
      `the inspector relay in ${target.pod} (${target.container}) did not start within ${timeoutMs / 1000} s`,
    );
  } catch (error) {
    close();
    throw error;
  }
  return { close };
}

/** The inspector's `/json/version` through a local port (the Node version line), or undefined when it does not answer. */
export function inspectorVersion(localPort: number, timeoutMs = 5_000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: localPort,
        path: '/json/version',
        headers: { connection: 'close' },
        timeout: timeoutMs,
      },
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
