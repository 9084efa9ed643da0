import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';

/** A bare HTTPS client for a kube-workbench kubeconfig (server, CA data, bearer token), for setup and cleanup. */
export class KubeApi {
  readonly server: string;
  private readonly ca: string;
  private readonly token: string;

  constructor(kubeconfigPath: string) {
    const text = readFileSync(kubeconfigPath, 'utf8');
    const field = (name: string): string => {
      const value = new RegExp(`^\\s*${name}: (\\S+)$`, 'm').exec(text)?.[1];
      if (!value) throw new Error(`${kubeconfigPath} has no ${name}`);
      return value;
    };
    this.server = field('server');
    this.ca = Buffer.from(field('certificate-authority-data'), 'base64').toString('utf8');
    this.token = field('token');
  }

  call(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    return new Promise((resolve, reject) => {
      const req = request(
        new URL(path, this.server),
        {
          method,
          ca: this.ca,
          timeout: 10_000,
          headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: unknown = text;
            try {
              json = JSON.parse(text);
            } catch {
              // not JSON
            }
            resolve({ status: res.statusCode ?? 0, json });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in 10 s`)));
      req.on('error', reject);
      if (body !== undefined) req.write(JSON.stringify(body));
      req.end();
    });
  }

  /** Names of the pods in `namespace` whose name starts with `prefix`. */
  async podNames(namespace: string, prefix: string): Promise<string[]> {
    const { json } = await this.call('GET', `/api/v1/namespaces/${namespace}/pods`);
    const items = (json as { items?: { metadata: { name: string } }[] }).items ?? [];
    return items.map((p) => p.metadata.name).filter((n) => n.startsWith(prefix));
  }
}

/** A second orchestrator process (fake runtime) standing in for a user's real cluster. */
export interface SecondCluster {
  kubeconfig: string;
  stop(): Promise<void>;
}

export function startSecondCluster(
  cliScript: string,
  dataDir: string,
  extraArgs: readonly string[] = [],
): Promise<SecondCluster> {
  const child: ChildProcess = spawn(
    process.execPath,
    [cliScript, 'cluster', 'start', '--data-dir', dataDir, '--port', '0', '--runtime', 'fake', ...extraArgs],
    { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the second cluster did not start: ${out}`));
    }, 30_000);
    const seen = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const kubeconfig = /^kubeconfig: (\S+)$/m.exec(out)?.[1];
      if (kubeconfig && /^api: /m.test(out)) {
        clearTimeout(timer);
        resolve({ kubeconfig, stop });
      }
    };
    child.stdout?.on('data', seen);
    child.stderr?.on('data', seen);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the second cluster exited with ${code}: ${out}`));
    });
  });
}
