/**
 * Durable storage in a data directory: an append-only log of committed writes
 * (one JSON line each) plus a snapshot the log is compacted into.
 *
 * - `append` resolves only after the line is fsynced; concurrent appends share
 *   one write and one fsync (group commit).
 * - A write or fsync that fails fails its batch and everything queued behind
 *   it (`onFailed` first, so the caller can undo them), and the file is cut
 *   back to its last good record: the next append works.
 * - When the log passes `compactBytes`, and the size of the last snapshot
 *   (so rewriting the state costs at most as many bytes as were appended: a
 *   big state is not rewritten every few MB), and no write is waiting, the caller's
 *   state is written to `snapshot.json` (temp file, fsync, rename, fsync dir)
 *   and the log is cut to a header naming the snapshot's resourceVersion.
 *   Not in the middle of a burst of writes (the snapshot holds every append
 *   back while it is written): once no batch came for `quietMs`, or at once
 *   when the log has grown to four times that size and to 16 times `compactBytes`.
 *   Replay skips log lines at or below the snapshot's resourceVersion, so a
 *   crash between the two steps is harmless.
 * - `load` (stored-state.ts) cuts off a torn last line (never acknowledged) and
 *   refuses any other damage unless told to recover.
 * - Every file is created 600 and the directory 700.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from './object';
import { batchBytes, encodeRecord } from './log-lines';
import { objectDelta } from './object-delta';
import { load, LOG, logHeader, SNAPSHOT, type LoadedState, type SnapshotState, type WalRecord } from './stored-state';

export { batchBytes, encodeRecord } from './log-lines';
export { load, StoreDamageError, type LoadedState, type SnapshotState, type WalRecord } from './stored-state';

/** Store files hold Secrets: only the owner may read them, whatever the umask or an older run left. */
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;
/** Snapshot entries serialized per turn of the event loop. */
const SNAPSHOT_SLICE = 500;

/**
 * The log record of a write: an update as what it changed from the version the store holds (whose
 * resourceVersion the record names: that version is in the log or the snapshot before it), anything
 * else whole.
 */
export function logRecord(
  rv: number,
  r: string,
  k: string,
  next: KubeObject | null,
  old: Readonly<KubeObject> | undefined,
): WalRecord {
  if (next !== null && old !== undefined) {
    const b = Number(old.metadata.resourceVersion);
    if (Number.isSafeInteger(b) && String(b) === old.metadata.resourceVersion) {
      const p = objectDelta(old, next);
      if (p !== undefined) return { rv, r, k, b, p };
    }
  }
  return { rv, r, k, o: next };
}

export interface WalOptions {
  compactBytes?: number;
  /** How long the log waits without a write before compacting (default 1000 ms; see the header). */
  quietMs?: number;
  /** Start with what can be read from damaged files (stored-state.ts) instead of refusing. */
  recover?: boolean;
  /**
   * Called, before their appends reject, with the resourceVersions of records that did not
   * reach the disk: the log is cut back to its last good record and stays usable.
   */
  onFailed?: (rvs: number[]) => void;
}

interface Pending {
  rv: number;
  line: Buffer;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export class WriteAheadLog {
  private pending: Pending[] = [];
  private writing = false;
  private failure: unknown;
  private closed = false;
  private idle: (() => void)[] = [];
  /** Bytes of the last snapshot written by this log. */
  private snapshotBytes = 0;
  /** A compaction due once the writes pause. */
  private quietTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly dir: string,
    private readonly file: fs.FileHandle,
    private size: number,
    private readonly compactBytes: number,
    private readonly snapshotSource: () => SnapshotState,
    private readonly onFailed: (rvs: number[]) => void,
    private readonly quietMs: number,
  ) {}

  /** Opens (creating) the log in `dir` and returns what was stored. */
  static async open(
    dir: string,
    snapshotSource: () => SnapshotState,
    options: WalOptions = {},
  ): Promise<{ wal: WriteAheadLog; state: LoadedState }> {
    await fs.mkdir(dir, { recursive: true, mode: DIR_MODE });
    await fs.chmod(dir, DIR_MODE);
    await fs.rm(join(dir, `${SNAPSHOT}.tmp`), { force: true });
    const state = await load(dir, options.recover ? { recover: true } : {});
    // After a recovery the damaged files are aside: what was read becomes the new snapshot.
    if (state.recovered.length > 0) await writeSnapshot(dir, { rv: state.rv, entries: state.entries });
    const file = await fs.open(join(dir, LOG), 'a', FILE_MODE);
    await file.chmod(FILE_MODE);
    let { size } = await file.stat();
    if (state.recovered.length > 0 && size === 0) {
      const header = Buffer.from(logHeader(state.rv));
      await file.write(header);
      await file.datasync();
      size = header.length;
    }
    const snapshot = join(dir, SNAPSHOT);
    await fs.chmod(snapshot, FILE_MODE).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    const wal = new WriteAheadLog(
      dir,
      file,
      size,
      options.compactBytes ?? 8 * 1024 * 1024,
      snapshotSource,
      options.onFailed ?? (() => undefined),
      options.quietMs ?? 1000,
    );
    return { wal, state };
  }

  /** Appends `record` (its `line` when the caller encoded it already); resolves once it is durable. */
  append(record: WalRecord, line?: Buffer): Promise<void> {
    let text: Buffer;
    try {
      if (this.failure !== undefined)
        throw this.failure instanceof Error
          ? this.failure
          : new Error(`write-ahead log failed: ${JSON.stringify(this.failure)}`);
      if (this.closed) throw new Error('the write-ahead log is closed');
      text = line ?? encodeRecord(record);
    } catch (error) {
      this.onFailed([record.rv]);
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return new Promise((resolve, reject) => {
      this.pending.push({ rv: record.rv, line: text, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  /** Resolves once every append made so far is durable. */
  flushed(): Promise<void> {
    if (!this.writing && this.pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  async close(): Promise<void> {
    clearTimeout(this.quietTimer);
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
      try {
        const bytes = batchBytes(batch);
        await this.file.write(bytes);
        await this.file.datasync();
        this.size += bytes.length;
        for (const p of batch) p.resolve();
      } catch (error) {
        await this.failBatch(batch, error);
      }
      const due = this.compactionDue();
      if (this.pending.length === 0 && due !== undefined) {
        clearTimeout(this.quietTimer);
        if (due === 'now') await this.compactLogged();
        else this.quietTimer = setTimeout(() => void this.compactWhenQuiet(), this.quietMs).unref();
      }
    }
    this.writing = false;
    this.wakeIdle();
  }

  /** Whether the log is big enough to compact: once the writes pause, or now (see the header). */
  private compactionDue(): 'quiet' | 'now' | undefined {
    const due = Math.max(this.compactBytes, this.snapshotBytes);
    if (this.failure !== undefined || this.size < due) return undefined;
    // Not before 16 times compactBytes either (128 MiB by default): a burst of 10,000 pods logs ~75 MB, and a
    // snapshot in its middle would hold every write back for a second or more.
    return this.size >= Math.max(4 * due, 16 * this.compactBytes) ? 'now' : 'quiet';
  }

  /** The writes paused: compacts, unless one is running or was done meanwhile (a new batch rearms the timer). */
  private async compactWhenQuiet(): Promise<void> {
    if (this.closed || this.writing || this.pending.length > 0 || this.compactionDue() === undefined) return;
    this.writing = true;
    try {
      await this.compactLogged();
    } finally {
      this.writing = false;
      if (this.pending.length > 0) void this.drain();
      else this.wakeIdle();
    }
  }

  private async compactLogged(): Promise<void> {
    try {
      await this.compactNow();
    } catch (error) {
      // The log still holds everything; try again after the next batch.
      process.stderr.write(`kube-workbench: snapshot failed: ${String(error)}\n`);
    }
  }

  private wakeIdle(): void {
    for (const wake of this.idle.splice(0)) wake();
  }

  /**
   * A batch did not reach the disk: it and everything queued behind it (which the caller
   * may have built on it) fail, and the file is cut back to its last good record so the
   * next append starts clean. Only when that fails too does the log stay failed.
   */
  private async failBatch(batch: Pending[], error: unknown): Promise<void> {
    const failed = batch.concat(this.pending.splice(0));
    this.onFailed(failed.map((p) => p.rv));
    for (const p of failed) p.reject(error);
    try {
      await this.file.truncate(this.size);
      await this.file.datasync();
    } catch (cutError) {
      this.failure = cutError;
      const rest = this.pending.splice(0);
      if (rest.length > 0) this.onFailed(rest.map((p) => p.rv));
      for (const p of rest) p.reject(cutError);
    }
  }

  private async compactNow(): Promise<void> {
    // Called only when no append is waiting, so the source equals what is durable.
    const state = this.snapshotSource();
    this.snapshotBytes = await writeSnapshot(this.dir, state);
    // The header tells a later load which snapshot this log follows (a missing snapshot is then seen).
    const header = Buffer.from(logHeader(state.rv));
    await this.file.truncate(0);
    await this.file.write(header);
    await this.file.datasync();
    this.size = header.length;
  }
}

/** Writes `snapshot.json` through a temporary file, fsynced, renamed, the directory fsynced; answers its size. */
async function writeSnapshot(dir: string, state: SnapshotState): Promise<number> {
  const tmp = join(dir, `${SNAPSHOT}.tmp`);
  const out = await fs.open(tmp, 'w', FILE_MODE);
  let bytes = 0;
  try {
    // The same JSON as one JSON.stringify(state), made and written in slices with a turn of the event
    // loop between them: 10,000 pods are tens of MB, and one synchronous string of them would hold
    // off every request for that long. The entries are frozen objects, so the state cannot change meanwhile.
    const write = async (text: string): Promise<void> => {
      bytes += (await out.write(text)).bytesWritten;
    };
    await write(`{"rv":${JSON.stringify(state.rv)},"entries":[`);
    for (let i = 0; i < state.entries.length; i += SNAPSHOT_SLICE) {
      const slice = state.entries.slice(i, i + SNAPSHOT_SLICE).map((e) => JSON.stringify(e));
      await write(`${i === 0 ? '' : ','}${slice.join(',')}`);
      await new Promise<void>((r) => setImmediate(r));
    }
    await write(']}');
    await out.datasync();
  } finally {
    await out.close();
  }
  await fs.rename(tmp, join(dir, SNAPSHOT));
  await syncDir(dir);
  return bytes;
}

async function syncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
