/** A container's inspect answer from the engine, reduced to what the runtime reads (`ContainerInfo`). */
import type { ContainerInfo } from './docker-engine-types';

/** The parts of the engine's `GET /containers/{id}/json` answer read here. */
export interface EngineInspect {
  readonly Id: string;
  readonly Name: string;
  readonly Image: string;
  readonly Created: string;
  readonly Config: { readonly Image: string; readonly Labels?: Readonly<Record<string, string>> | null };
  readonly State: {
    readonly Status: string;
    readonly Running: boolean;
    readonly ExitCode: number;
    readonly OOMKilled: boolean;
    readonly StartedAt: string;
    readonly FinishedAt: string;
  };
  readonly NetworkSettings: { readonly Networks?: EngineNetworks | null; readonly Ports?: EnginePorts | null };
}

type EngineNetworks = Readonly<Record<string, { readonly IPAddress: string }>>;
type EnginePorts = Readonly<Record<string, readonly { readonly HostPort: string }[] | null | undefined>>;

/** A time from the engine in ms; undefined for its zero time (`0001-...`) or none. */
const time = (value: string | undefined): number | undefined => {
  if (!value || value.startsWith('0001-')) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
};

/** container port -> host port, from the engine's `NetworkSettings.Ports` (`"80/tcp": [{ HostPort }]`). */
export function hostPorts(published: EnginePorts | null | undefined): Map<number, number> {
  const ports = new Map<number, number>();
  for (const [key, value] of Object.entries(published ?? {})) {
    const hostPort = value?.[0]?.HostPort;
    if (hostPort) ports.set(Number.parseInt(key, 10), Number.parseInt(hostPort, 10));
  }
  return ports;
}

export function containerInfoOf(info: EngineInspect): ContainerInfo {
  const ips: Record<string, string> = {};
  for (const [name, net] of Object.entries(info.NetworkSettings.Networks ?? {}))
    if (net.IPAddress) ips[name] = net.IPAddress;
  const ports = hostPorts(info.NetworkSettings.Ports);
  const state = info.State as EngineInspect['State'] & { Error?: string };
  const startedAt = time(state.StartedAt);
  const finishedAt = time(state.FinishedAt);
  return {
    id: info.Id,
    name: info.Name.replace(/^\//, ''),
    image: info.Config.Image,
    imageId: info.Image,
    labels: info.Config.Labels ?? {},
    status: state.Status,
    running: state.Running,
    exitCode: state.ExitCode,
    oomKilled: state.OOMKilled,
    error: state.Error ?? '',
    createdAt: time(info.Created) ?? 0,
    ...(startedAt !== undefined ? { startedAt } : {}),
    ...(finishedAt !== undefined ? { finishedAt } : {}),
    ips,
    ports,
  };
}
