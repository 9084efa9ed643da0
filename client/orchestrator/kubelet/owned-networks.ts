/**
 * Pods without a sandbox on Docker: on a cluster network with a range of fixed pod IPs (pod-ips.ts), a pod of one
 * app container and nothing for a sandbox to prepare starts that container owning the pod's network namespace
 * (hostname, DNS search list and aliases, hostPorts, the pod's fixed IP): one container start instead of two.
 * When it stops and must start again (its restart policy), or a debug container comes while it does not run, a
 * sandbox is made with the same IP (free once the container stopped) and everything after joins it: from then on the
 * pod is like any sandboxed pod. The kubelet knows the pod's network by the id of what holds it: the owner's, then
 * the sandbox's (`podSandboxStatus` of the owner answers with the sandbox, see ContainerRuntime).
 *
 * This file: which pods qualify, the owner's create body, and the runtime's record of these pods.
 */
import type { JsonObject } from '../store/object';
import type { CreateBody } from './docker-engine-types';
import { LABEL } from './docker-labels';
import type { PodSandboxConfig } from './runtime';

/** A pod whose network its app container held first, by the ids of what held it. */
export interface OwnedNetwork {
  readonly podUid: string;
  readonly ip: string;
  /** The app container that held the network first (running, or stopped). */
  readonly owner: string;
  /** The sandbox holding the network since the owner stopped (with the same IP). */
  sandbox?: string;
}

/** A new pod's owner while the kubelet creates it (through `createContainer` with a stand-in sandbox id). */
export interface PendingOwner {
  readonly config: PodSandboxConfig;
  readonly ip: string;
  owner?: string;
}

const count = (spec: Readonly<JsonObject>, key: string) => (Array.isArray(spec[key]) ? spec[key].length : 0);

/**
 * Whether a pod's app container can own its network: one container, no init or debug containers, and nothing for
 * the sandbox to prepare (`prepared`: emptyDir and fsGroup claims are readied by the sandbox's `pause`).
 */
export function canOwnNetwork(podSpec: Readonly<JsonObject>, prepared: boolean): boolean {
  return (
    !prepared &&
    count(podSpec, 'containers') === 1 &&
    count(podSpec, 'initContainers') === 0 &&
    count(podSpec, 'ephemeralContainers') === 0 &&
    podSpec.hostNetwork !== true &&
    podSpec.shareProcessNamespace !== true
  );
}

/** The sandbox's body given the pod's fixed IP on `network`, and labelled with it. */
export function withFixedIp(body: CreateBody, network: string, ip: string): CreateBody {
  const endpoints = (body.NetworkingConfig as { EndpointsConfig: Record<string, JsonObject> }).EndpointsConfig;
  return {
    ...body,
    Labels: { ...(body.Labels as Record<string, string>), [LABEL.podIp]: ip },
    NetworkingConfig: {
      EndpointsConfig: { ...endpoints, [network]: { ...endpoints[network], IPAMConfig: { IPv4Address: ip } } },
    },
  };
}

/**
 * The app container's body as the owner of the pod's network: its own body (docker-container-spec.ts), with what
 * the sandbox's would hold (hostname, domain, DNS search list, aliases, hostPorts, the fixed IP) and without a
 * sandbox to join.
 */
export function ownerCreateBody(container: CreateBody, sandbox: CreateBody, network: string, ip: string): CreateBody {
  const c = container.HostConfig as JsonObject;
  const s = sandbox.HostConfig as JsonObject;
  const labels: Record<string, string> = { ...(container.Labels as Record<string, string>) };
  delete labels[LABEL.sandbox];
  const fixed = withFixedIp(sandbox, network, ip);
  return {
    ...container,
    Hostname: sandbox.Hostname,
    ...(sandbox.Domainname !== undefined ? { Domainname: sandbox.Domainname } : {}),
    ExposedPorts: sandbox.ExposedPorts,
    Labels: { ...labels, [LABEL.ownsNetwork]: 'true', [LABEL.podIp]: ip },
    HostConfig: { ...c, NetworkMode: network, PortBindings: s.PortBindings, DnsSearch: s.DnsSearch },
    NetworkingConfig: fixed.NetworkingConfig,
  };
}

/** The runtime's record of the pods whose app container owns (or owned) the network, by owner and sandbox id. */
export class OwnedNetworks {
  private readonly byId = new Map<string, OwnedNetwork>();
  /** Stand-in sandbox ids of new pods' owners being created. */
  readonly pending = new Map<string, PendingOwner>();
  /** Owners started with their pod's network, whose `startContainer` from the kubelet is then no news. */
  readonly started = new Set<string>();

  get(id: string): OwnedNetwork | undefined {
    return this.byId.get(id);
  }

  /** Records an owner (made now, or found by its labels). */
  owner(id: string, labels: Readonly<Record<string, string>>): OwnedNetwork {
    const known = this.byId.get(id);
    if (known) return known;
    const net: OwnedNetwork = { podUid: labels[LABEL.podUid] ?? '', ip: labels[LABEL.podIp] ?? '', owner: id };
    this.byId.set(id, net);
    return net;
  }

  /** Records a sandbox that took the network over (made now, or found by its `takesOver` label). */
  takenOver(sandboxId: string, labels: Readonly<Record<string, string>>): OwnedNetwork | undefined {
    const owner = labels[LABEL.takesOver];
    if (!owner) return undefined;
    const net = this.owner(owner, labels);
    net.sandbox = sandboxId;
    this.byId.set(sandboxId, net);
    return net;
  }

  /** Forgets a pod's record once what held its network is removed. */
  forget(id: string): void {
    const net = this.byId.get(id);
    if (!net) return;
    this.byId.delete(net.owner);
    if (net.sandbox) this.byId.delete(net.sandbox);
    this.started.delete(net.owner);
  }

  /** Whether the containers of `net` include the one labelled with `sandboxLabel` (joined the owner or its sandbox). */
  static joined(net: OwnedNetwork, sandboxLabel: string | undefined): boolean {
    return sandboxLabel !== undefined && (sandboxLabel === net.owner || sandboxLabel === net.sandbox);
  }
}

/** Whether labels are those of an app container owning its pod's network. */
export const ownsNetwork = (labels: Readonly<Record<string, string>>) => labels[LABEL.ownsNetwork] === 'true';
