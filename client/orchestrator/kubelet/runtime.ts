/**
 * The container runtime interface the kubelet drives, shaped after the CRI:
 * a pod sandbox holds the pod's network namespace and IP; containers are
 * created in a sandbox, started, stopped and removed; status, logs, exec,
 * probes and port-forward go through the runtime too. The fake runtime
 * implements it in memory; a Docker runtime implements it on real containers.
 */
import type { Duplex, Readable } from 'node:stream';
import type { JsonObject } from '../store/object';
import type { ExecSession, LogOptions } from '../api/pod-io';

export type { ExecSession, LogOptions };

export interface PodSandboxConfig {
  podUid: string;
  namespace: string;
  name: string;
  /** The pod's labels and annotations, for the runtime to put on what it creates. */
  labels: Readonly<Record<string, string>>;
  annotations: Readonly<Record<string, string>>;
  hostname: string;
  /** The pod spec as stored (volumes, DNS, hostPorts, securityContext...). */
  podSpec: Readonly<JsonObject>;
}

export interface PodSandboxStatus {
  id: string;
  podUid: string;
  state: 'ready' | 'notready';
  ip: string;
  createdAt: number;
}

export interface ContainerConfig {
  name: string;
  image: string;
  /** Environment resolved by the kubelet (values, field and resource references). */
  env: { name: string; value: string }[];
  /** The container as the pod spec declares it (command, args, ports, resources, mounts...). */
  spec: Readonly<JsonObject>;
  /** How many times this container was started before in this pod (0 the first time). */
  attempt: number;
  init: boolean;
  /**
   * An ephemeral (debug) container: the process namespace it joins, that of the target container
   * (`targetContainerName`, named in `target`) when it names one, else the sandbox's ('' for none: its own).
   */
  ephemeral?: { pidContainerId: string; target?: string };
}

export type ContainerState = 'created' | 'running' | 'exited' | 'unknown';

export interface ContainerStatus {
  id: string;
  sandboxId: string;
  name: string;
  state: ContainerState;
  attempt: number;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  exitCode?: number;
  /** `Completed`, `Error`, `OOMKilled`... when exited. */
  reason?: string;
  message?: string;
  image: string;
  /** The image's content reference (imageID in the pod status). */
  imageRef: string;
}

export interface ImageResult {
  imageRef: string;
  /** Whether it was pulled now (an event says `Pulled` either way). */
  pulled: boolean;
}

/** Thrown by `ensureImage` when the image cannot be had: the kubelet reports ErrImagePull / ImagePullBackOff. */
export class ImagePullError extends Error {}

/**
 * Thrown when the runtime itself cannot be reached (the Docker engine is
 * stopped or its socket is gone): nothing is wrong with the pod, so the
 * kubelet waits for the runtime instead of failing or restarting anything.
 */
export class RuntimeUnavailableError extends Error {}

/** Whether the runtime answers (the CRI's `Status`); `message` says why not, and what to do. */
export interface RuntimeStatus {
  ready: boolean;
  message?: string;
}

/** Thrown by `createContainer`/`startContainer` for a bad container config (CreateContainerConfigError, RunContainerError). */
export class ContainerStartError extends Error {
  constructor(
    readonly reason: 'CreateContainerError' | 'CreateContainerConfigError' | 'RunContainerError',
    message: string,
  ) {
    super(message);
  }
}

export type ProbeKind = 'startup' | 'liveness' | 'readiness';

export interface ProbeResult {
  success: boolean;
  /** Why it failed, as the kubelet reports it (`HTTP probe failed with statuscode: 500`). */
  message?: string;
}

/** One sample of a container's resource counters (the CRI's ContainerStats). */
export interface ContainerStats {
  /** When the runtime took the sample (ms since the epoch). */
  timestamp: number;
  /** CPU time used since the container started, in nanoseconds (cumulative). */
  cpuUsageNanoSeconds: number;
  /** Working set: memory usage minus inactive file pages, as cAdvisor counts it. */
  memoryWorkingSetBytes: number;
}

/** Something changed in the runtime (a container exited...): the kubelet resyncs that pod. */
export interface RuntimeEvent {
  podUid: string;
  containerId?: string;
}

/** What the kubelet does beside a new sandbox's start: `ip` is the pod's IP when known before it runs. */
export type WhileStarting = (sandboxId: string, ip: string | undefined) => Promise<void>;

export interface ContainerRuntime {
  /** `fake`, `docker`: the scheme of container IDs in pod status (`docker://...`). */
  readonly name: string;
  readonly version: string;

  /** Whether the runtime answers now; the kubelet asks periodically and flips its node's Ready condition. */
  status(): Promise<RuntimeStatus>;

  /**
   * Makes and starts the pod's sandbox, or adopts its running one. A runtime whose containers can be created
   * in a sandbox still starting (Docker) calls `whileStarting` with a new sandbox's id as it starts it (and the
   * pod's IP when it is fixed before the sandbox runs), and resolves once both are done; others never call it.
   */
  runPodSandbox(config: PodSandboxConfig, whileStarting?: WhileStarting): Promise<PodSandboxStatus>;
  stopPodSandbox(sandboxId: string): Promise<void>;
  removePodSandbox(sandboxId: string): Promise<void>;
  /**
   * The status of what holds the pod's network. A runtime may move a pod's network into a new sandbox, keeping its IP
   * and containers (Docker: the pod's app container owned the network, stopped, and a sandbox took the network over):
   * the answer then is the new sandbox's, under its own id, which the kubelet uses from then on.
   */
  podSandboxStatus(sandboxId: string): Promise<PodSandboxStatus | undefined>;
  /** Every sandbox this runtime made (to adopt after a restart and remove orphans). */
  listPodSandboxes(): Promise<PodSandboxStatus[]>;

  ensureImage(image: string, pullPolicy: string): Promise<ImageResult>;
  createContainer(sandboxId: string, config: ContainerConfig, sandbox: PodSandboxConfig): Promise<string>;
  startContainer(containerId: string): Promise<void>;
  /** SIGTERM, then SIGKILL after `timeoutSeconds`. */
  stopContainer(containerId: string, timeoutSeconds: number): Promise<void>;
  removeContainer(containerId: string): Promise<void>;
  containerStatus(containerId: string): Promise<ContainerStatus | undefined>;
  listContainers(sandboxId: string): Promise<ContainerStatus[]>;

  logs(containerId: string, options: LogOptions): Promise<Readable>;
  exec(containerId: string, command: string[], options: { stdin: boolean; tty: boolean }): Promise<ExecSession>;
  /** The container's own process: its output from now on, and its standard input when it keeps one open. */
  attach?(containerId: string, options: { stdin: boolean; tty: boolean }): Promise<ExecSession>;
  /** Runs one probe (exec, httpGet, tcpSocket or grpc from `probe`) against the container. */
  probe(containerId: string, kind: ProbeKind, probe: Readonly<JsonObject>, podIp: string): Promise<ProbeResult>;
  portForward(sandboxId: string, port: number): Promise<Duplex>;
  /**
   * One non-streaming sample of a running container's counters; undefined when it is not running.
   * `podAnnotations` are the pod's current annotations (the fake runtime's usage is driven by them).
   */
  containerStats?(
    containerId: string,
    podAnnotations: Readonly<Record<string, string>>,
  ): Promise<ContainerStats | undefined>;
  /** The running sandbox of a pod, without side effects (`listPodSandboxes` also cleans up). */
  findPodSandbox?(podUid: string): Promise<string | undefined>;
  /**
   * The address containers reach a Service at, for the `NAME_SERVICE_HOST`
   * variables, when it is not the cluster IP (Docker: the proxy's DNS name).
   */
  serviceHost?(namespace: string, name: string): string | undefined;

  /**
   * A simulated outage of the node: everything this runtime made for it stops answering, as on a
   * machine that lost power (Docker: its containers are paused), until `resumeNode`. Nothing else is touched.
   */
  suspendNode?(): Promise<void>;
  /** The end of a simulated outage: the node's containers run on from where they were. */
  resumeNode?(): Promise<void>;

  onEvent(listener: (event: RuntimeEvent) => void): () => void;
  close(): Promise<void>;
}

/** Makes the runtime of one simulated node. */
export type RuntimeFactory = (nodeName: string, nodeIndex: number) => ContainerRuntime;
