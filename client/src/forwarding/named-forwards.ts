/**
 * The named port-forwards of a workspace: added, stopped, started and removed by name, saved
 * (through `save`, the workspace state in the extension) after every change and restored from
 * what was saved, which is read as untrusted input: an entry that is not a valid forward is
 * skipped with a message, never half-used. No `vscode` here.
 */
import { WORKLOAD_KINDS, type TargetKind } from './forward-target.js';
import { LastingForward, type ForwardSpec, type LastingForwardOptions } from './lasting-forward.js';

/** What is saved of a forward: its spec, and whether the user stopped it. */
export interface SavedForward extends ForwardSpec {
  stopped?: boolean;
}

const KINDS: readonly TargetKind[] = ['Pod', 'Service', ...(Object.keys(WORKLOAD_KINDS) as TargetKind[])];
const NAME = /^[A-Za-z0-9][A-Za-z0-9 ._:/-]{0,62}$/;
const OBJECT_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const isPort = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535;

/** Why `spec` is not a valid forward, or undefined when it is. */
export function specProblem(spec: unknown): string | undefined {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) return 'not an object';
  const s = spec as Record<string, unknown>;
  if (typeof s.name !== 'string' || !NAME.test(s.name))
    return 'name: 1 to 63 letters, digits, spaces or ._:/- (starting with a letter or digit)';
  if (!isPort(s.localPort)) return 'localPort: a port, 1 to 65535';
  const t = s.target as Record<string, unknown> | undefined;
  if (typeof t !== 'object' || t === null || Array.isArray(t)) return 'target: not an object';
  if (typeof t.kind !== 'string' || !KINDS.includes(t.kind as TargetKind))
    return `target.kind: one of ${KINDS.join(', ')}`;
  if (typeof t.namespace !== 'string' || !OBJECT_NAME.test(t.namespace))
    return 'target.namespace: not a namespace name';
  if (typeof t.name !== 'string' || !OBJECT_NAME.test(t.name)) return 'target.name: not an object name';
  if (!isPort(t.port)) return 'target.port: a port, 1 to 65535';
  return undefined;
}

export class NamedForwards {
  private readonly forwards: LastingForward[] = [];

  constructor(
    private readonly options: LastingForwardOptions,
    private readonly save: (saved: SavedForward[]) => void | PromiseLike<void>,
  ) {}

  list(): readonly LastingForward[] {
    return this.forwards;
  }

  get(name: string): LastingForward | undefined {
    return this.forwards.find((f) => f.spec.name === name);
  }

  /** Adds and starts a forward; throws when the spec is invalid or its name or local port is in use. */
  async add(spec: ForwardSpec): Promise<LastingForward> {
    const problem = specProblem(spec);
    if (problem) throw new Error(`invalid port-forward: ${problem}`);
    if (this.get(spec.name)) throw new Error(`a port-forward named "${spec.name}" exists already`);
    const same = this.forwards.find((f) => f.spec.localPort === spec.localPort);
    if (same) throw new Error(`local port ${spec.localPort} is the port-forward "${same.spec.name}"'s already`);
    const forward = new LastingForward(structuredClone(spec), this.options);
    this.forwards.push(forward);
    await this.persist();
    await forward.start();
    return forward;
  }

  async stop(name: string): Promise<void> {
    await this.get(name)?.stop();
    await this.persist();
  }

  async start(name: string): Promise<void> {
    const f = this.get(name);
    if (!f) return;
    const started = f.start();
    await this.persist();
    await started;
  }

  async remove(name: string): Promise<void> {
    const i = this.forwards.findIndex((f) => f.spec.name === name);
    if (i < 0) return;
    const [f] = this.forwards.splice(i, 1);
    await f?.stop();
    await this.persist();
  }

  /** Restores saved forwards (those not stopped start); returns a message per entry skipped. */
  async restore(saved: unknown): Promise<string[]> {
    const skipped: string[] = [];
    if (saved === undefined) return skipped;
    if (!Array.isArray(saved)) return ['saved port-forwards: not a list; ignored'];
    const starting: Promise<void>[] = [];
    for (const [i, entry] of saved.entries()) {
      const problem = specProblem(entry);
      const e = entry as SavedForward;
      if (problem) skipped.push(`saved port-forward ${i + 1}: ${problem}; skipped`);
      else if (this.get(e.name) || this.forwards.some((f) => f.spec.localPort === e.localPort))
        skipped.push(`saved port-forward ${i + 1} ("${e.name}"): its name or local port is taken; skipped`);
      else {
        const spec: ForwardSpec = {
          name: e.name,
          localPort: e.localPort,
          target: { kind: e.target.kind, namespace: e.target.namespace, name: e.target.name, port: e.target.port },
        };
        const forward = new LastingForward(spec, this.options);
        this.forwards.push(forward);
        if (e.stopped !== true) starting.push(forward.start());
      }
    }
    await Promise.all(starting);
    return skipped;
  }

  /** Stops every forward (the window closes); what is saved stays as it is. */
  async dispose(): Promise<void> {
    const running = this.forwards.filter((f) => f.isRunning);
    await Promise.all(running.map((f) => f.stop()));
  }

  private async persist(): Promise<void> {
    await this.save(
      this.forwards.map((f) => ({ ...structuredClone(f.spec), ...(f.isRunning ? {} : { stopped: true }) })),
    );
  }
}
