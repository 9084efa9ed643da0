/** Options of `kube-workbench cluster start`. */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { RUNTIMES, START_FLAGS, START_USAGE, type RuntimeName, type StartArgs } from '../protocol/command-line';

export const USAGE = START_USAGE;

/** The parsed command line (protocol/command-line.ts), with the defaults filled in. */
export interface StartOptions extends StartArgs {
  dataDir: string;
  port: number;
  nodes: number;
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
      case START_FLAGS.dataDir: {
        const dir = value();
        if (!dir) throw new UsageError(`${START_FLAGS.dataDir} needs a directory`);
        options.dataDir = dir;
        break;
      }
      case START_FLAGS.port:
        options.port = integer(START_FLAGS.port, value(), 0, 65535);
        break;
      case START_FLAGS.nodes:
        options.nodes = integer(START_FLAGS.nodes, value(), 1, 100);
        break;
      case START_FLAGS.ingressPort:
        options.ingressPort = integer(START_FLAGS.ingressPort, value(), 0, 65535);
        break;
      case START_FLAGS.runtime: {
        const runtime = value();
        if (!RUNTIMES.includes(runtime as RuntimeName))
          throw new UsageError(`${START_FLAGS.runtime} is ${RUNTIMES.join(' or ')}, not '${runtime ?? ''}'`);
        options.runtime = runtime as RuntimeName;
        break;
      }
      case START_FLAGS.kubernetesVersion: {
        const version = value();
        if (!version || !/^\d+\.\d+$/.test(version))
          throw new UsageError(`${START_FLAGS.kubernetesVersion} needs a version such as 1.34, not '${version ?? ''}'`);
        options.kubernetesVersion = version;
        break;
      }
      case START_FLAGS.allowHostPath:
        options.allowHostPath = true;
        break;
      case START_FLAGS.recover:
        options.recover = true;
        break;
      case START_FLAGS.metricResolution:
        options.metricResolution = integer(START_FLAGS.metricResolution, value(), 1, 3600);
        break;
      case START_FLAGS.hpaSyncPeriod:
        options.hpaSyncPeriod = integer(START_FLAGS.hpaSyncPeriod, value(), 1, 3600);
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
