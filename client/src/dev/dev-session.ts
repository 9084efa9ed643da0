/**
 * Dev mode after the first run: watches every build context (and the
 * manifests), and for each batch of saved files either syncs them into every
 * running container of the artifact's image (every changed file is covered by
 * a sync rule: no restart) or rebuilds the image and re-applies the manifests
 * so the new content-hash tag rolls out (anything else in the context). A
 * manifest's change re-applies. One operation runs at a time; batches that come
 * in meanwhile are merged into the next. Stopping ends the watch and waits for
 * the operation under way; the cluster and its workloads stay.
 *
 * vscode-free: the editor's "Run in Dev Mode" and `kube-workbench run --watch`
 * both drive it and show its events.
 */
import { readFile } from 'node:fs/promises';
import { lstat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { ContainerTarget, SyncChange } from './sync-copy.js';
import { FileWatcher, type WatchBatch } from './file-watcher.js';
import { SyncRules, type SyncSpec } from './sync-rules.js';
import type { DevEvent, FileProblem } from './dev-events.js';

export interface DevArtifact {
  /** Image name without a tag. */
  image: string;
  /** Absolute build context. */
  context: string;
  /** Absolute Dockerfile path. */
  dockerfile: string;
  target?: string;
  sync?: SyncSpec;
}

export interface RedeployProgress {
  /** An image is built (or was up to date), before the apply. */
  built(image: string, tag: string, seconds: number, cached: boolean): void;
  /** A line of progress (build steps, rollout states). */
  progress(message: string): void;
}

export interface RedeployResult {
  ok: boolean;
  /** Image name → the reference now applied (content-hash tag). */
  tags: Record<string, string>;
  error?: string;
  /** Where the failure is, when a file's line says (a Dockerfile step). */
  problems?: FileProblem[];
}

export interface DevSessionOptions {
  artifacts: readonly DevArtifact[];
  /** Manifest files: a change re-applies them. */
  manifests: readonly string[];
  /** Image name → the reference applied now (none before the first run, `deployAll`). */
  tags?: Record<string, string>;
  /**
   * Builds `images` (none: a manifest changed) and re-applies every manifest with
   * the built references over `tags` (the ones applied now), waiting for the rollout.
   */
  redeploy(
    images: readonly string[],
    tags: Readonly<Record<string, string>>,
    progress: RedeployProgress,
    signal: AbortSignal,
  ): Promise<RedeployResult>;
  /** The running containers of an image reference. */
  findTargets(reference: string): Promise<ContainerTarget[]>;
  /** Sends a change into one container. */
  copy(target: ContainerTarget, change: SyncChange): Promise<void>;
  report(event: DevEvent): void;
  debounceMs?: number;
  /** A clock for durations (tests). */
  now?: () => number;
}

interface Work {
  sync: Map<string, { files: Set<string>; deleted: Set<string> }>;
  rebuild: Set<string>;
  reapply: boolean;
}

export class DevSession {
  private watcher: FileWatcher | undefined;
  private readonly rules = new Map<string, SyncRules>();
  private readonly tags: Record<string, string>;
  private readonly abort = new AbortController();
  private queued: WatchBatch[] = [];
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly now: () => number;

  constructor(private readonly options: DevSessionOptions) {
    this.tags = { ...options.tags };
    this.now = options.now ?? (() => performance.now());
  }

  /** The references applied now (they change with each rebuild). */
  get currentTags(): Readonly<Record<string, string>> {
    return this.tags;
  }

  /** How many folders are watched (none once stopped). */
  get watchedFolders(): number {
    return this.watcher?.folderCount ?? 0;
  }

  /** Reads the sync rules and starts watching; resolves once the watch is in place. */
  async start(): Promise<void> {
    for (const a of this.options.artifacts) {
      const dockerfile = await readFile(a.dockerfile, 'utf8').catch(() => undefined);
      const rules = SyncRules.from(a.sync, dockerfile, a.target);
      for (const problem of rules.problems) this.options.report({ type: 'problem', message: `${a.image}: ${problem}` });
      this.rules.set(a.image, rules);
    }
    const manifests = new Set(this.options.manifests.map((m) => resolve(m)));
    const contexts = this.options.artifacts.map((a) => resolve(a.context));
    const roots = [...new Set([...contexts, ...[...manifests].map(parentOf)])];
    // Only the contexts are watched whole; beside a manifest, only the manifest.
    const ignore = (path: string, isFolder: boolean) =>
      !contexts.some((c) => path === c || path.startsWith(c + sep)) &&
      !(isFolder ? roots.includes(path) : manifests.has(path));
    this.watcher = await FileWatcher.start({
      roots,
      ignore,
      onBatch: (batch) => this.enqueue(batch),
      onProblem: (message) => this.options.report({ type: 'problem', message }),
      debounceMs: this.options.debounceMs ?? 100,
    });
    this.options.report({
      type: 'watching',
      images: this.options.artifacts.map((a) => a.image),
      folders: this.watcher.folderCount,
    });
  }

  /** Stops watching and waits for the operation under way (a rollout in progress is no longer waited for). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.watcher?.close();
    this.abort.abort();
    this.queued = [];
    await this.running;
    this.options.report({ type: 'stopped' });
  }

  /** Resolves once every batch seen so far has been handled (tests). */
  async idle(): Promise<void> {
    await this.watcher?.settled();
    while (this.running) await this.running;
  }

  private enqueue(batch: WatchBatch): void {
    if (this.stopped) return;
    this.queued.push(batch);
    this.running ??= this.drain().finally(() => (this.running = undefined));
  }

  private async drain(): Promise<void> {
    while (this.queued.length > 0 && !this.stopped) {
      const batches = this.queued;
      this.queued = [];
      const work = await this.classify(batches);
      try {
        await this.perform(work);
      } catch (error) {
        this.options.report({ type: 'problem', message: error instanceof Error ? error.message : String(error) });
      }
    }
  }

  /** Decides, per artifact, between a sync and a rebuild; a manifest's change re-applies. */
  async classify(batches: readonly WatchBatch[]): Promise<Work> {
    const changed = new Set(batches.flatMap((b) => b.changed));
    const deleted = new Set(batches.flatMap((b) => b.deleted));
    for (const d of deleted) changed.delete(d);
    for (const c of changed) deleted.delete(c);
    const manifests = new Set(this.options.manifests.map((m) => resolve(m)));
    const work: Work = { sync: new Map(), rebuild: new Set(), reapply: false };
    for (const path of [...changed, ...deleted]) if (manifests.has(path)) work.reapply = true;
    for (const a of this.options.artifacts) {
      const rules = this.rules.get(a.image)!;
      const files = new Set<string>();
      const gone = new Set<string>();
      let rebuild = false;
      for (const [path, isDeleted] of [
        ...[...changed].map((p) => [p, false] as const),
        ...[...deleted].map((p) => [p, true] as const),
      ]) {
        const rel = relative(resolve(a.context), path);
        if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) continue;
        const dest =
          resolve(path) === resolve(a.dockerfile) ? undefined : rules.destinationOf(rel.split(sep).join('/'));
        if (dest === undefined) rebuild = true;
        else if (isDeleted) gone.add(dest);
        else if ((await lstat(path).catch(() => undefined))?.isFile()) files.add(`${path}\0${dest}`);
        else rebuild = true; // a link, FIFO or socket: only the build knows what to make of it
      }
      // Never deployed (the first run failed): nothing runs to sync into.
      if (rebuild || ((files.size > 0 || gone.size > 0) && this.tags[a.image] === undefined)) work.rebuild.add(a.image);
      else if (files.size > 0 || gone.size > 0) work.sync.set(a.image, { files, deleted: gone });
    }
    return work;
  }

  private async perform(work: Work): Promise<void> {
    for (const [image, change] of work.sync) if (!work.rebuild.has(image)) await this.sync(image, change);
    if (work.rebuild.size > 0 || work.reapply) await this.redeploy([...work.rebuild]);
  }

  private async sync(image: string, change: { files: Set<string>; deleted: Set<string> }): Promise<void> {
    const started = this.now();
    const reference = this.tags[image];
    if (reference === undefined) return;
    const files = [...change.files].map((f) => {
      const [source, name] = f.split('\0') as [string, string];
      return { source, name };
    });
    const count = files.length + change.deleted.size;
    const targets = await this.options.findTargets(reference);
    if (targets.length === 0) {
      this.options.report({ type: 'no-pods', image, files: count });
      return;
    }
    const results = await Promise.allSettled(
      targets.map((t) => this.options.copy(t, { files, deleted: [...change.deleted] })),
    );
    const failed = results.flatMap((r) => (r.status === 'rejected' ? [errorMessage(r.reason)] : []));
    const pods = new Set(
      targets.filter((_t, i) => results[i]!.status === 'fulfilled').map((t) => `${t.namespace}/${t.pod}`),
    );
    if (pods.size > 0)
      this.options.report({
        type: 'synced',
        image,
        files: count,
        pods: pods.size,
        ms: Math.round(this.now() - started),
      });
    for (const message of failed) this.options.report({ type: 'sync-failed', image, message });
  }

  /** The first run: builds every image and applies the manifests; whether it rolled out. */
  async deployAll(): Promise<boolean> {
    return this.redeploy(
      this.options.artifacts.map((a) => a.image),
      true,
    );
  }

  private async redeploy(images: string[], first = false): Promise<boolean> {
    const started = this.now();
    if (images.length > 0) this.options.report({ type: 'building', images, first });
    const result = await this.options.redeploy(
      images,
      { ...this.tags },
      {
        built: (image, tag, seconds, cached) =>
          this.options.report({ type: 'built', image, tag, seconds, cached, first }),
        progress: (message) => this.options.report({ type: 'progress', message }),
      },
      this.abort.signal,
    );
    if (this.stopped) return false;
    Object.assign(this.tags, result.tags);
    if (result.ok) this.options.report({ type: 'rolled-out', images, ms: Math.round(this.now() - started) });
    else
      this.options.report({
        type: 'deploy-failed',
        images,
        message: result.error ?? 'failed',
        ...(result.problems !== undefined ? { problems: result.problems } : {}),
      });
    return result.ok;
  }
}

function parentOf(path: string): string {
  return resolve(path, '..');
}

function errorMessage(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}
