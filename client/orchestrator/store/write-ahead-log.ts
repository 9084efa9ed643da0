/**
 * Durable storage in a data directory: an append-only log of committed writes
 * (one JSON line each) plus a snapshot the log is compacted into.
 *
 * - `append` resolves only after the line is fsynced; concurrent appends share
 *   one write and one fsync (group commit).
 * - When the log passes `compactBytes` and no write is waiting, the caller's
 *   state is written to `snapshot.json` (temp file, fsync, rename, fsync dir)
 *   and the log is truncated. Replay skips log lines at or below the
 *   snapshot's resourceVersion, so a crash between the two steps is harmless.
 * - `load` tolerates a torn last line (never acknowledged) and cuts it off.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from './object';

export interface WalRecord {
  /** The global resourceVersion this write produced. */
  rv: number;
  /** `group/resource`, e.g. `apps/deployments` or `/pods`. */
  r: string;
  /** `namespace/name` (`/name` when cluster scoped). */
  k: string;
  /** The object after the write; null when it was removed. */
  o: KubeObject | null;
}

export interface SnapshotState {
  rv: number;
  /** Every stored object with its resource and key. */
  entries: [r: string, k: string, o: KubeObject][];
}

export interface LoadedState extends SnapshotState {
  /** Log lines replayed on top of the snapshot. */
  replayed: number;
  /** True when an incomplete last line was dropped. */
  tornTail: boolean;
}

const LOG = 'wal.jsonl';
const SNAPSHOT = 'snapshot.json';

interface Pending {
  line: string;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export class WriteAheadLog {
  private pending: Pending[] = [];
  private writing = false;
  private failure: unknown;
  private closed = false;
  private idle: (() => void)[] = [];

  private constructor(
    private readonly dir: string,
    private readonly file: fs.FileHandle,
    private size: number,
    private readonly compactBytes: number,
    private readonly snapshotSource: () => SnapshotState,
  ) {}

  /** Opens (creating) the log in `dir` and returns what was stored. */
  static async open(
    dir: string,
    snapshotSource: () => SnapshotState,
    options: { compactBytes?: number } = {},
  ): Promise<{ wal: WriteAheadLog; state: LoadedState }> {
    await fs.mkdir(dir, { recursive: true });
    await fs.rm(join(dir, `${SNAPSHOT}.tmp`), { force: true });
    const state = await load(dir);
    const file = await fs.open(join(dir, LOG), 'a');
    const { size } = await file.stat();
    const wal = new WriteAheadLog(dir, file, size, options.compactBytes ?? 8 * 1024 * 1024, snapshotSource);
    return { wal, state };
  }

  append(record: WalRecord): Promise<void> {
    if (this.failure !== undefined)
      return Promise.reject(
        this.failure instanceof Error
          ? this.failure
          : new Error(`write-ahead log failed: ${JSON.stringify(this.failure)}`),
      );
    if (this.closed) return Promise.reject(new Error('the write-ahead log is closed'));
    return new Promise((resolve, reject) => {
      this.pending.push({ line: `${JSON.stringify(record)}\n`, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  /** Resolves once every append made so far is durable. */
  flushed(): Promise<void> {
    if (!this.writing && this.pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  async close(): Promise<void> {
    await this.flushed();
    this.closed = true;
    await this.file.close();
  }

  /** Writes a snapshot now and truncates the log (normally done on size). */
  async compact(): Promise<void> {
    await this.flushed();
    this.writing = true;
    try {
      await this.compactNow();
    } finally {
      this.writing = false;
      if (this.pending.length > 0) void this.drain();
      else this.wakeIdle();
    }
  }

  private async drain(): Promise<void> {
    this.writing = true;
    // Let requests arriving in the same turn join this batch.
    await new Promise<void>((r) => setImmediate(r));
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0);
      const bytes = Buffer.from(batch.map((p) => p.line).join(''));
      try {
        await this.file.write(bytes);
        await this.file.datasync();
        this.size += bytes.length;
        for (const p of batch) p.resolve();
      } catch (error) {
        this.failure = error;
        for (const p of batch.concat(this.pending.splice(0))) p.reject(error);
      }
      if (this.pending.length === 0 && this.size >= this.compactBytes && this.failure === undefined) {
        try {
          await this.compactNow();
        } catch (error) {
          // The log still holds everything; try again after the next batch.
          process.stderr.write(`kube-workbench: snapshot failed: ${String(error)}\n`);
        }
      }
    }
    this.writing = false;
    this.wakeIdle();
  }

  private wakeIdle(): void {
    for (const wake of this.idle.splice(0)) wake();
  }

  private async compactNow(): Promise<void> {
    // Called only when no append is waiting, so the source equals what is durable.
    const state = this.snapshotSource();
    const tmp = join(this.dir, `${SNAPSHOT}.tmp`);
    const out = await fs.open(tmp, 'w');
    try {
      await out.write(JSON.stringify(state));
      await out.datasync();
    } finally {
      await out.close();
    }
    await fs.rename(tmp, join(this.dir, SNAPSHOT));
    await syncDir(this.dir);
    await this.file.truncate(0);
    await this.file.datasync();
    this.size = 0;
  }
}

async function syncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function readIfExists(path: string): Promise<Buffer | undefined> {
  try {
    return await fs.readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Reads snapshot + log; cuts an incomplete last log line off the file. */
export async function load(dir: string): Promise<LoadedState> {
  const snapshotBytes = await readIfExists(join(dir, SNAPSHOT));
  const snapshot: SnapshotState = snapshotBytes
    ? (JSON.parse(snapshotBytes.toString('utf8')) as SnapshotState)
    : { rv: 0, entries: [] };
  const objects = new Map<string, [string, string, KubeObject]>();
  for (const entry of snapshot.entries) objects.set(`${entry[0]}\u0000${entry[1]}`, entry);
  let rv = snapshot.rv;
  let replayed = 0;
  let tornTail = false;

  const logPath = join(dir, LOG);
  const log = await readIfExists(logPath);
  if (log) {
    let start = 0;
    let good = 0;
    while (start < log.length) {
      const end = log.indexOf(0x0a, start);
      const last = end === -1;
      let record: WalRecord | undefined;
      try {
        record = last ? undefined : (JSON.parse(log.subarray(start, end).toString('utf8')) as WalRecord);
      } catch {
        record = undefined;
      }
      if (record === undefined) {
        const restIsBlank = last || log.indexOf(0x0a, end + 1) === -1;
        if (!restIsBlank) throw new Error(`${logPath}: unreadable record at byte ${start}`);
        tornTail = true;
        break;
      }
      if (record.rv > snapshot.rv) {
        const key = `${record.r}\u0000${record.k}`;
        if (record.o === null) objects.delete(key);
        else objects.set(key, [record.r, record.k, record.o]);
        rv = Math.max(rv, record.rv);
        replayed++;
      }
      start = end + 1;
      good = start;
    }
    if (tornTail) await fs.truncate(logPath, good);
  }
  return { rv, entries: [...objects.values()], replayed, tornTail };
}
