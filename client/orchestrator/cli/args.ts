/** Options of `kube-workbench cluster start`. */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from './command';
import { bytes, isQuantity, milliCpu } from '../../../server/kube-model/quantity';
import { RUNTIMES, START_FLAGS, START_USAGE, type RuntimeName, type StartArgs } from '../protocol/command-line';

export const USAGE = START_USAGE;

/** The parsed command line (protocol/command-line.ts), with the defaults filled in. */
export interface StartOptions extends StartArgs {
  dataDir: string;
  port: number;
  nodes: number;
}

export { UsageError, type Output } from './command';

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

/** A duration as cluster-autoscaler's flags take it: `90s`, `10m`, `1h`, `500ms` (at most a day); its milliseconds. */
export function durationMs(text: string): number | undefined {
  const m = /^(\d{1,8})(ms|s|m|h)$/.exec(text);
  if (!m) return undefined;
  const ms = Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  return ms <= 86_400_000 ? ms : undefined;
}

function quantityFlag(flag: string, text: string | undefined, amount: (v: string) => number, max: number): string {
  const n = text !== undefined && isQuantity(text) ? amount(text) : NaN;
  if (text === undefined || !Number.isFinite(n) || n <= 0 || n > max)
    throw new UsageError(`${flag} needs a positive quantity such as 2, 1500m or 4Gi, not '${text ?? ''}'`);
  return text;
}

function durationFlag(flag: string, text: string | undefined): string {
  if (text === undefined || durationMs(text) === undefined)
    throw new UsageError(`${flag} needs a duration such as 30s or 10m (at most 24h), not '${text ?? ''}'`);
  return text;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go-style duration with one unit (`4s`, `500ms`, `1m`), from 100 ms to 1 h, in milliseconds. */
function duration(flag: string, value: string | undefined): number {
  const m = /^(\d{1,7})(ms|s|m|h)$/.exec(value ?? '');
  const ms = m ? Number(m[1]) * UNIT_MS[m[2]!]! : NaN;
  if (!(ms >= 100 && ms <= 3_600_000))
    throw new UsageError(`${flag} needs a duration from 100ms to 1h such as 40s, not '${value ?? ''}'`);
  return ms;
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
      case START_FLAGS.maxNodes:
        options.maxNodes = integer(START_FLAGS.maxNodes, value(), 1, 100);
        break;
      case START_FLAGS.nodeCpu:
        options.nodeCpu = quantityFlag(START_FLAGS.nodeCpu, value(), milliCpu, 1_000_000);
        break;
      case START_FLAGS.nodeMemory:
        options.nodeMemory = quantityFlag(START_FLAGS.nodeMemory, value(), bytes, 2 ** 50);
        break;
      case START_FLAGS.scaleDownUnneededTime:
        options.scaleDownUnneededTime = durationFlag(START_FLAGS.scaleDownUnneededTime, value());
        break;
      case START_FLAGS.scaleDownDelayAfterAdd:
        options.scaleDownDelayAfterAdd = durationFlag(START_FLAGS.scaleDownDelayAfterAdd, value());
        break;
      case START_FLAGS.nodeMonitorGracePeriodMs:
        options.nodeMonitorGracePeriodMs = duration(START_FLAGS.nodeMonitorGracePeriodMs, value());
        break;
      case START_FLAGS.defaultTolerationSeconds:
        options.defaultTolerationSeconds = integer(START_FLAGS.defaultTolerationSeconds, value(), 0, 86_400);
        break;
      case START_FLAGS.metricResolution:
        options.metricResolution = integer(START_FLAGS.metricResolution, value(), 1, 3600);
        break;
      case START_FLAGS.hpaSyncPeriod:
        options.hpaSyncPeriod = integer(START_FLAGS.hpaSyncPeriod, value(), 1, 3600);
        break;
      default:
        throw new UsageError(`unknown flag: ${arg}`);
    }
  }
  if (options.maxNodes !== undefined && options.maxNodes < options.nodes)
    throw new UsageError(
      `${START_FLAGS.maxNodes} (${options.maxNodes}) is below ${START_FLAGS.nodes} (${options.nodes})`,
    );
  return options;
}
