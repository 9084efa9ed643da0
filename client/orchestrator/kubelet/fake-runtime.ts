/**
 * An in-memory container runtime for tests and scale runs: sandboxes get pod
 * IPs from 10.244.0.0/16, containers "run" until told to exit, logs are
 * lines kept in memory, exec echoes its command, and probe results, start
 * delays, failures and exit codes come from a configurable behaviour.
 *
 * Without a configured behaviour (`cluster start --runtime fake`), a pod's
 * annotations say how its containers end, so a test through kubectl can run
 * Jobs: `fake.kube-workbench.io/exit-code: "N"` makes every container of the
 * pod exit with N, after `fake.kube-workbench.io/exit-after-ms` (default 0).
 * Without them containers run until stopped.
 */
import { createHash, randomFillSync } from 'node:crypto';
import { PassThrough, Readable, type Duplex } from 'node:stream';
import type { Clock } from '../clock';
import { BoundedMap } from '../machinery/bounded-map';
import type { JsonObject } from '../store/object';
import {
  ContainerStartError,
  ImagePullError,
  RuntimeUnavailableError,
  type ContainerConfig,
  type ContainerRuntime,
  type ContainerStats,
  type ContainerStatus,
  type ExecSession,
  type ImageResult,
  type LogOptions,
  type PodSandboxConfig,
  type PodSandboxStatus,
  type ProbeKind,
  type ProbeResult,
  type RuntimeEvent,
  type RuntimeFactory,
  type RuntimeStatus,
} from './runtime';
import { FakeUsageMeter } from './fake-usage';

export interface FakeBehaviour {
  /** Delay before a started container is running (ms, on the injected clock). */
  startDelayMs?: number;
  /** Exit this long after starting, with `exitCode` (default 0); never when undefined. */
  exitAfterMs?: number;
  exitCode?: number;
  /** Fail image pulls with this message. */
  pullError?: string;
  /** Fail the start with this message (RunContainerError). */
  startError?: string;
  logs?: string[];
}

export const FAKE_EXIT_CODE = 'fake.kube-workbench.io/exit-code';
export const FAKE_EXIT_AFTER_MS = 'fake.kube-workbench.io/exit-after-ms';

/** How a pod's annotations say its containers behave (see the header); none when it has neither. */
export function annotatedBehaviour(sandbox: PodSandboxConfig): FakeBehaviour {
  const code = sandbox.annotations[FAKE_EXIT_CODE];
  const after = sandbox.annotations[FAKE_EXIT_AFTER_MS];
  if (code === undefined && after === undefined) return {};
  return { exitAfterMs: Math.max(0, Number(after ?? 0) || 0), exitCode: Number(code ?? 0) || 0 };
}

export interface FakeRuntimeOptions {
  clock: Clock;
  /** How each container behaves; by default it runs until stopped. */
  behaviour?: (container: ContainerConfig, sandbox: PodSandboxConfig) => FakeBehaviour;
  /** Probe results; by default every probe succeeds. */
  probe?: (container: ContainerStatus, kind: ProbeKind, probe: Readonly<JsonObject>) => ProbeResult;
}

interface FakeContainer extends ContainerStatus {
  behaviour: FakeBehaviour;
  logLines: { at: number; line: string }[];
  timer?: object;
}

/** One fake runtime per node, sharing one pod IP range. */
export function fakeRuntimeFactory(options: FakeRuntimeOptions): RuntimeFactory {
  let next = 0;
  const allocate = () => {
    const n = next++;
    return `10.244.${Math.floor(n / 254) % 256}.${(n % 254) + 1}`;
  };
  return () => new FakeRuntime(options, allocate);
}

export class FakeRuntime implements ContainerRuntime {
  readonly name = 'fake';
  readonly version = '1.0.0';
  private readonly sandboxes = new Map<string, PodSandboxStatus>();
  private readonly containers = new Map<string, FakeContainer>();
  /** Each sandbox's containers, in the order they were created (a node of 100 pods is not scanned per pod). */
  private readonly bySandbox = new Map<string, Set<FakeContainer>>();
  private readonly listeners = new Set<(e: RuntimeEvent) => void>();
  private readonly usage = new FakeUsageMeter();
  /** Why the runtime is unreachable, while it is (tests: an engine that went away). */
  private unavailable: string | undefined;

  constructor(
    private readonly options: FakeRuntimeOptions,
    private readonly allocateIp: () => string,
  ) {}

  /** Makes the runtime unreachable with this message (its containers keep running), or reachable again. */
  setUnavailable(message: string | undefined): void {
    this.unavailable = message;
  }

  /** In a simulated outage (nothing to freeze in memory: tests see that the kubelet asked). */
  suspended = false;

  suspendNode(): Promise<void> {
    this.suspended = true;
    return Promise.resolve();
  }

  resumeNode(): Promise<void> {
    this.suspended = false;
    return Promise.resolve();
  }

  status(): Promise<RuntimeStatus> {
    return Promise.resolve(
      this.unavailable === undefined ? { ready: true } : { ready: false, message: this.unavailable },
    );
  }

  /** Rejects every call while the runtime is unreachable. */
  private reachable(): Promise<void> {
    return this.unavailable === undefined
      ? Promise.resolve()
      : Promise.reject(new RuntimeUnavailableError(this.unavailable));
  }

  /** 64 random hex digits, as an engine's ids look (drawn from a pool: not a hash per container). */
  private id(): string {
    if (idPoolAt === idPool.length) {
      randomFillSync(idPool);
      idPoolAt = 0;
    }
    idPoolAt += 32;
    return idPool.toString('hex', idPoolAt - 32, idPoolAt);
  }

  private containersOf(sandboxId: string): Iterable<FakeContainer> {
    return this.bySandbox.get(sandboxId) ?? [];
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<PodSandboxStatus> {
    await this.reachable();
    const status: PodSandboxStatus = {
      id: this.id(),
      podUid: config.podUid,
      state: 'ready',
      ip: this.allocateIp(),
      createdAt: this.options.clock.now(),
    };
    this.sandboxes.set(status.id, status);
    return Promise.resolve({ ...status });
  }

  async stopPodSandbox(sandboxId: string): Promise<void> {
    await this.reachable();
    const sandbox = this.sandboxes.get(sandboxId);
    if (sandbox) sandbox.state = 'notready';
    for (const c of this.containersOf(sandboxId)) if (c.state === 'running') this.exit(c, 137, 'Error', false);
    return Promise.resolve();
  }

  async removePodSandbox(sandboxId: string): Promise<void> {
    await this.reachable();
    this.sandboxes.delete(sandboxId);
    for (const c of this.containersOf(sandboxId)) this.containers.delete(c.id);
    this.bySandbox.delete(sandboxId);
    return Promise.resolve();
  }

  async podSandboxStatus(sandboxId: string): Promise<PodSandboxStatus | undefined> {
    await this.reachable();
    const s = this.sandboxes.get(sandboxId);
    return Promise.resolve(s ? { ...s } : undefined);
  }

  async listPodSandboxes(): Promise<PodSandboxStatus[]> {
    await this.reachable();
    return Promise.resolve([...this.sandboxes.values()].map((s) => ({ ...s })));
  }

  ensureImage(image: string): Promise<ImageResult> {
    return Promise.resolve({ imageRef: imageRefOf(image), pulled: false });
  }

  async createContainer(sandboxId: string, config: ContainerConfig, sandbox: PodSandboxConfig): Promise<string> {
    await this.reachable();
    if (!this.sandboxes.has(sandboxId))
      throw new ContainerStartError('CreateContainerError', `sandbox ${sandboxId} not found`);
    const behaviour = this.options.behaviour?.(config, sandbox) ?? annotatedBehaviour(sandbox);
    if (behaviour.pullError) throw new ImagePullError(behaviour.pullError);
    const { imageRef } = await this.ensureImage(config.image);
    const id = this.id();
    const container: FakeContainer = {
      id,
      sandboxId,
      name: config.name,
      state: 'created',
      attempt: config.attempt,
      createdAt: this.options.clock.now(),
      image: config.image,
      imageRef,
      behaviour,
      logLines: [],
    };
    this.containers.set(id, container);
    let inSandbox = this.bySandbox.get(sandboxId);
    if (!inSandbox) this.bySandbox.set(sandboxId, (inSandbox = new Set()));
    inSandbox.add(container);
    return id;
  }

  startContainer(containerId: string): Promise<void> {
    const c = this.containers.get(containerId);
    if (!c) return Promise.reject(new ContainerStartError('RunContainerError', `container ${containerId} not found`));
    if (c.behaviour.startError) {
      this.exit(c, 128, 'StartError', false);
      return Promise.reject(new ContainerStartError('RunContainerError', c.behaviour.startError));
    }
    const run = () => {
      c.state = 'running';
      c.startedAt = this.options.clock.now();
      for (const line of c.behaviour.logs ?? [`${c.name} started`]) this.log(c, line);
      if (c.behaviour.exitAfterMs !== undefined) {
        c.timer = this.options.clock.setTimeout(() => this.exit(c, c.behaviour.exitCode ?? 0), c.behaviour.exitAfterMs);
      }
    };
    const delay = c.behaviour.startDelayMs ?? 0;
    if (delay > 0) {
      return new Promise((resolve) => {
        this.options.clock.setTimeout(() => {
          run();
          resolve();
        }, delay);
      });
    }
    run();
    return Promise.resolve();
  }

  async stopContainer(containerId: string): Promise<void> {
    await this.reachable();
    const c = this.containers.get(containerId);
    if (c && (c.state === 'running' || c.state === 'created'))
      this.exit(c, c.state === 'running' ? 137 : 0, c.state === 'running' ? 'Error' : 'Completed', false);
    return Promise.resolve();
  }

  removeContainer(containerId: string): Promise<void> {
    const c = this.containers.get(containerId);
    if (c) this.bySandbox.get(c.sandboxId)?.delete(c);
    this.containers.delete(containerId);
    this.usage.forget(containerId);
    return Promise.resolve();
  }

  async containerStatus(containerId: string): Promise<ContainerStatus | undefined> {
    await this.reachable();
    const c = this.containers.get(containerId);
    return Promise.resolve(c ? statusOf(c) : undefined);
  }

  async listContainers(sandboxId: string): Promise<ContainerStatus[]> {
    await this.reachable();
    return Promise.resolve(Array.from(this.containersOf(sandboxId), statusOf));
  }

  logs(containerId: string, options: LogOptions): Promise<Readable> {
    const c = this.containers.get(containerId);
    if (!c) return Promise.reject(new Error(`container ${containerId} not found`));
    const since =
      options.sinceSeconds !== undefined ? this.options.clock.now() - options.sinceSeconds * 1000 : -Infinity;
    let lines = c.logLines.filter((l) => l.at >= since);
    if (options.tailLines !== undefined) lines = lines.slice(Math.max(0, lines.length - options.tailLines));
    const text = lines
      .map((l) => (options.timestamps ? `${new Date(l.at).toISOString()} ${l.line}\n` : `${l.line}\n`))
      .join('');
    return Promise.resolve(Readable.from([Buffer.from(text)]));
  }

  exec(containerId: string, command: string[]): Promise<ExecSession> {
    const c = this.containers.get(containerId);
    if (!c || c.state !== 'running') return Promise.reject(new Error(`container ${containerId} is not running`));
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    stdout.end(`${command.join(' ')}\n`);
    stderr.end();
    return Promise.resolve({ stdout, stderr, exitCode: Promise.resolve(0) });
  }

  /** The fake container's process: what it logged so far, then each stdin line echoed, until stdin ends. */
  attach(containerId: string, options: { stdin: boolean; tty: boolean }): Promise<ExecSession> {
    const c = this.containers.get(containerId);
    if (!c || c.state !== 'running') return Promise.reject(new Error(`container ${containerId} is not running`));
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    for (const l of c.logLines) stdout.write(`${l.line}\n`);
    if (!options.stdin) {
      stdout.end();
      stderr.end();
      return Promise.resolve({ stdout, stderr, exitCode: Promise.resolve(0) });
    }
    const stdin = new PassThrough();
    stdin.pipe(stdout);
    const exitCode = new Promise<number>((resolve) => stdin.once('end', () => resolve(0)));
    stdin.once('end', () => stderr.end());
    return Promise.resolve({ stdin, stdout, stderr, exitCode });
  }

  async probe(containerId: string, kind: ProbeKind, probe: Readonly<JsonObject>): Promise<ProbeResult> {
    await this.reachable();
    const c = this.containers.get(containerId);
    if (!c || c.state !== 'running') return Promise.resolve({ success: false, message: 'container is not running' });
    return Promise.resolve(this.options.probe?.(statusOf(c), kind, probe) ?? { success: true });
  }

  /** A sample of the container's counters, its usage driven by the pod's annotations (fake-usage.ts). */
  async containerStats(
    containerId: string,
    podAnnotations: Readonly<Record<string, string>>,
  ): Promise<ContainerStats | undefined> {
    await this.reachable();
    const c = this.containers.get(containerId);
    if (!c || c.state !== 'running') return undefined;
    return this.usage.sample(containerId, c.name, podAnnotations, this.options.clock.now());
  }

  portForward(sandboxId: string, port: number): Promise<Duplex> {
    if (!this.sandboxes.has(sandboxId)) return Promise.reject(new Error(`sandbox ${sandboxId} not found`));
    const stream = new PassThrough();
    stream.write(`fake port ${port}\n`);
    return Promise.resolve(stream);
  }

  onEvent(listener: (event: RuntimeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): Promise<void> {
    for (const c of this.containers.values()) if (c.timer) this.options.clock.clearTimeout(c.timer);
    this.listeners.clear();
    return Promise.resolve();
  }

  /** Makes a running container exit now, as if its process ended (tests: crashes, `docker kill`). */
  kill(containerId: string, exitCode = 137): void {
    const c = this.containers.get(containerId);
    if (c && c.state === 'running') this.exit(c, exitCode);
  }

  private exit(c: FakeContainer, exitCode: number, reason?: string, notify = true): void {
    if (c.timer) this.options.clock.clearTimeout(c.timer);
    c.state = 'exited';
    c.exitCode = exitCode;
    c.reason = reason ?? (exitCode === 0 ? 'Completed' : 'Error');
    c.finishedAt = this.options.clock.now();
    if (!notify) return;
    const podUid = this.sandboxes.get(c.sandboxId)?.podUid ?? '';
    for (const l of this.listeners) l({ podUid, containerId: c.id });
  }

  private log(c: FakeContainer, line: string): void {
    c.logLines.push({ at: this.options.clock.now(), line });
    if (c.logLines.length > 1000) c.logLines.shift();
  }
}

function statusOf(c: FakeContainer): ContainerStatus {
  const { behaviour: _b, logLines: _l, timer: _t, ...status } = c;
  return { ...status };
}

/** Random bytes for ids, 64 at a time (one call to the system per 64 ids). */
const idPool = Buffer.alloc(32 * 64);
let idPoolAt = idPool.length;

/** Image references already made: one hash and one string per image, not per container (10,000 pods of one image). */
const imageRefs = new BoundedMap<string, string>(1024);

function imageRefOf(image: string): string {
  let ref = imageRefs.get(image);
  if (ref === undefined) {
    imageRefs.set(image, (ref = `sha256:${createHash('sha256').update(image).digest('hex')}`));
  }
  return ref;
}
