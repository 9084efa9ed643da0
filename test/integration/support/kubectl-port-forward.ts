/**
 * The real `kubectl port-forward` as a child process in its own process
 * group: started against a cluster's kubeconfig, ready once it printed a
 * "Forwarding from 127.0.0.1:PORT -> N" line for every port, stopped by
 * signalling the whole group. Shared by the port-forward tests and benchmarks.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface KubectlPortForward {
  child: ChildProcess;
  /** The local port of each requested port, in order (kubectl picks them for ":N"). */
  localPorts: number[];
  stdout(): string;
  stderr(): string;
  /** Resolves with kubectl's exit code (or signal name) when it ends. */
  exited: Promise<number | string>;
  /** SIGTERM to the process group; resolves once kubectl has exited. */
  stop(): Promise<number | string>;
}

export function startKubectlPortForward(
  kubeconfig: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<KubectlPortForward> {
  const ports = args.filter((a) => /^\d*:?\d+$/.test(a)).length;
  const child = spawn('kubectl', ['--kubeconfig', kubeconfig, 'port-forward', ...args], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let out = '';
  let err = '';
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  const stop = async () => {
    try {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null)
        process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    return exited;
  };
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`kubectl port-forward did not get ready:\n${out}\n${err}`));
    }, 30_000);
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const local = [...out.matchAll(/^Forwarding from 127\.0\.0\.1:(\d+) -> \d+$/gm)].map((m) => Number(m[1]));
      if (local.length === ports) {
        clearTimeout(timer);
        resolve({ child, localPorts: local, stdout: () => out, stderr: () => err, exited, stop });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`kubectl port-forward exited with ${code}:\n${out}\n${err}`));
    });
  });
}

/** Whether any process of the group led by `pid` is still alive. */
export function processGroupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}
