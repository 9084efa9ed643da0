/**
 * The container runtime on a real Docker engine. A pod sandbox is a small
 * `kw-infra pause` container on the cluster's bridge network holding the
 * pod's network namespace and IP; every container of the pod joins it
 * (`NetworkMode: container:<sandbox>`), so they talk over localhost. On a
 * cluster network made with a range of fixed pod IPs, a pod of one app
 * container has that container own its network instead, until it stops and
 * a sandbox with the same IP takes over (owned-networks.ts). Every
 * object it makes carries the cluster's labels, and it only ever looks at
 * objects with them. This class assembles the parts: what they share
 * (docker-runtime-state.ts), sandboxes and the simulated outage
 * (docker-sandboxes.ts), images and containers, with logs, exec, attach and
 * probes (docker-containers.ts), and the port-forward dial
 * (docker-port-forward.ts). What goes to the engine is built by
 * docker-sandbox-spec.ts and docker-container-spec.ts; probes and preStop
 * hooks run through docker-probes.ts; volumes come from pod-volumes.ts
 * (subPaths in named volumes: volume-subpaths.ts).
 */
import type { Duplex, Readable } from 'node:stream';
import type { JsonObject } from '../store/object';
import { DockerContainers } from './docker-containers';
import { dialPodPort } from './docker-port-forward';
import { DockerRuntimeState, type DockerRuntimeOptions } from './docker-runtime-state';
import { DockerSandboxes } from './docker-sandboxes';
import { refreshProjectedVolumes } from './pod-volumes';
import type {
  ContainerConfig,
  ContainerRuntime,
  ContainerStats,
  ContainerStatus,
  ExecSession,
  ImageResult,
  LogOptions,
  PodSandboxConfig,
  PodSandboxStatus,
  ProbeKind,
  ProbeResult,
  RuntimeEvent,
  RuntimeStatus,
  WhileStarting,
} from './runtime';

export class DockerRuntime implements ContainerRuntime {
  readonly name = 'docker';
  readonly network: string;
  private readonly s: DockerRuntimeState;
  private readonly pods: DockerSandboxes;
  private readonly containers: DockerContainers;

  constructor(private readonly o: DockerRuntimeOptions) {
    this.s = new DockerRuntimeState(o);
    this.network = this.s.network;
    this.pods = new DockerSandboxes(this.s);
    this.containers = new DockerContainers(this.s, this.pods);
  }

  get version(): string {
    return this.s.session.version;
  }

  /** Whether the engine answers: its ping, with the socket and what to do in the message when it does not. */
  async status(): Promise<RuntimeStatus> {
    try {
      await this.o.engine.ping(5000);
      return { ready: true };
    } catch (error) {
      return { ready: false, message: error instanceof Error ? error.message : String(error) };
    }
  }

  // ---- sandboxes (docker-sandboxes.ts) ----

  /** `whileStarting` (the pod's app containers are created then) runs beside a new sandbox's start. */
  runPodSandbox(config: PodSandboxConfig, whileStarting?: WhileStarting): Promise<PodSandboxStatus> {
    return this.pods.runPodSandbox(config, whileStarting);
  }

  stopPodSandbox(sandboxId: string): Promise<void> {
    return this.pods.stopPodSandbox(sandboxId);
  }

  removePodSandbox(sandboxId: string): Promise<void> {
    return this.pods.removePodSandbox(sandboxId);
  }

  podSandboxStatus(sandboxId: string): Promise<PodSandboxStatus | undefined> {
    return this.pods.podSandboxStatus(sandboxId);
  }

  listPodSandboxes(): Promise<PodSandboxStatus[]> {
    return this.pods.listPodSandboxes();
  }

  findPodSandbox(podUid: string): Promise<string | undefined> {
    return this.pods.findPodSandbox(podUid);
  }

  /** Pauses every running container of this node (sandboxes and containers, by this cluster's and node's labels). */
  suspendNode(): Promise<void> {
    return this.pods.suspendNode();
  }

  /** Unpauses this node's paused containers. */
  resumeNode(): Promise<void> {
    return this.pods.resumeNode();
  }

  // ---- images and containers (docker-containers.ts) ----

  ensureImage(image: string, pullPolicy: string): Promise<ImageResult> {
    return this.containers.ensureImage(image, pullPolicy);
  }

  createContainer(sandboxId: string, config: ContainerConfig, sandbox: PodSandboxConfig): Promise<string> {
    return this.containers.createContainer(sandboxId, config, sandbox);
  }

  startContainer(containerId: string): Promise<void> {
    return this.containers.startContainer(containerId);
  }

  stopContainer(containerId: string, timeoutSeconds: number): Promise<void> {
    return this.containers.stopContainer(containerId, timeoutSeconds);
  }

  removeContainer(containerId: string): Promise<void> {
    return this.containers.removeContainer(containerId);
  }

  containerStatus(containerId: string): Promise<ContainerStatus | undefined> {
    return this.containers.containerStatus(containerId);
  }

  containerStats(containerId: string): Promise<ContainerStats | undefined> {
    return this.containers.containerStats(containerId);
  }

  listContainers(sandboxId: string): Promise<ContainerStatus[]> {
    return this.containers.listContainers(sandboxId);
  }

  logs(containerId: string, options: LogOptions): Promise<Readable> {
    return this.containers.logs(containerId, options);
  }

  exec(containerId: string, command: string[], options: { stdin: boolean; tty: boolean }): Promise<ExecSession> {
    return this.containers.exec(containerId, command, options);
  }

  attach(containerId: string, options: { stdin: boolean; tty: boolean }): Promise<ExecSession> {
    return this.containers.attach(containerId, options);
  }

  probe(containerId: string, _kind: ProbeKind, probe: Readonly<JsonObject>, podIp: string): Promise<ProbeResult> {
    return this.containers.probe(containerId, probe, podIp);
  }

  // ---- port-forward (docker-port-forward.ts), Services, volumes, events ----

  /** A connection to the pod's port; the sandbox's IP is remembered, and looked up again if it refuses. */
  portForward(sandboxId: string, port: number): Promise<Duplex> {
    return dialPodPort(this.s.ready, (id) => this.podSandboxStatus(id), sandboxId, port);
  }

  /** Cluster IPs are not routed on Docker: pods reach a Service's proxy by its DNS alias. */
  serviceHost(namespace: string, name: string): string | undefined {
    if (namespace === 'default' && name === 'kubernetes') return undefined; // not proxied
    return `${name}.${namespace}.svc.cluster.local`;
  }

  /** Rewrites the configMap and secret files of every pod that mounts `namespace/name`. */
  refreshVolumes(namespace: string): void {
    for (const s of this.s.sandboxes.values())
      if (s.namespace === namespace) refreshProjectedVolumes(this.s.volumeContext(s));
  }

  onEvent(listener: (event: RuntimeEvent) => void): () => void {
    this.s.listeners.add(listener);
    return () => this.s.listeners.delete(listener);
  }

  close(): Promise<void> {
    this.s.session.close();
    this.s.listeners.clear();
    return Promise.resolve();
  }
}
