/** Options of `kube-workbench cluster start`. */
import { homedir } from 'node:os';
import { join } from 'node:path';

export const USAGE =
  'usage: kube-workbench cluster start [--data-dir DIR] [--port N] [--nodes N] [--runtime docker|fake] [--ingress-port N] [--allow-host-path] [--kubernetes-version 1.NN]';

export interface StartOptions {
  dataDir: string;
  port: number;
  nodes: number;
  /** Unset: docker when an engine answers, fake otherwise. */
  runtime?: 'docker' | 'fake';
  ingressPort?: number;
  /** Let pods mount hostPath volumes (off: a hostPath gives a container the host). */
  allowHostPath?: boolean;
  /**
   * The Kubernetes version the cluster serves ("1.34", "1.36": a version `schemas/` holds);
   * admission validates against its schemas. Unset: the schemas' default, as the language server's.
   */
  kubernetesVersion?: string;
}

export class UsageError extends Error {}

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const state =
    env.XDG_STATE_HOME && env.XDG_STATE_HOME !== '' ? env.XDG_STATE_HOME : join(homedir(), '.local', 'state');
  return join(state, 'kube-workbench', 'cluster');
}

function integer(flag: string, value: string | undefined, min: number, max: number): number {
  const n = Number(value);
  if (value === undefined || !/^\d+$/.test(value) || n < min || n > max) {
    throw new UsageError(`${flag} needs a whole number from ${min} to ${max}, not '${value ?? ''}'`);
  }
  return n;
}

export function parseStartArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): StartOptions {
  const options: StartOptions = { dataDir: defaultDataDir(env), port: 0, nodes: 1 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq !== -1 ? arg.slice(0, eq) : arg;
    const value = () => (eq !== -1 && arg.startsWith('--') ? arg.slice(eq + 1) : argv[++i]);
    switch (flag) {
      case '--data-dir': {
        const dir = value();
        if (!dir) throw new UsageError('--data-dir needs a directory');
        options.dataDir = dir;
        break;
      }
      case '--port':
        options.port = integer('--port', value(), 0, 65535);
        break;
      case '--nodes':
        options.nodes = integer('--nodes', value(), 1, 100);
        break;
      case '--ingress-port':
        options.ingressPort = integer('--ingress-port', value(), 0, 65535);
        break;
      case '--runtime': {
        const runtime = value();
        if (runtime !== 'docker' && runtime !== 'fake')
          throw new UsageError(`--runtime is docker or fake, not '${runtime ?? ''}'`);
        options.runtime = runtime;
        break;
      }
      case '--kubernetes-version': {
        const version = value();
        if (!version || !/^\d+\.\d+$/.test(version))
          throw new UsageError(`--kubernetes-version needs a version such as 1.34, not '${version ?? ''}'`);
        options.kubernetesVersion = version;
        break;
      }
      case '--allow-host-path':
        options.allowHostPath = true;
        break;
      default:
        throw new UsageError(`unknown option '${arg}'`);
    }
  }
  return options;
}

/** Where the command prints: the process' stdout and stderr, or a test's buffers. */
export interface Output {
  out(line: string): void;
  err(line: string): void;
}
