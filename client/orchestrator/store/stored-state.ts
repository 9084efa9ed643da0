/**
 * Reading a store directory back: the snapshot, then the log records after it.
 *
 * The log's records carry consecutive resourceVersions, and after a compaction
 * its first line is a header naming the snapshot's resourceVersion. So a
 * missing, empty or truncated snapshot, a record missing from the middle or a
 * corrupt line before the last are all seen. Each is refused with a
 * `StoreDamageError` naming the file, unless `recover` is set: then the damaged
 * files are renamed aside (never deleted) and what could be read is returned,
 * with one line per problem in `recovered`. A torn last line (an append a
 * crash interrupted, never acknowledged) is cut off, as always.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { applyDelta, type DeltaOp } from './object-delta';
import { isObject, type KubeObject } from './object';

export interface WalRecordBase {
  /** The global resourceVersion this write produced. */
  rv: number;
  /** `group/resource`, e.g. `apps/deployments` or `/pods`. */
  r: string;
  /** `namespace/name` (`/name` when cluster scoped). */
  k: string;
}

/** A write logged whole: the object after it, or null when it was removed. */
export interface WholeRecord extends WalRecordBase {
  o: KubeObject | null;
}

/**
 * An update logged as what it changed (object-delta.ts) from the version of resourceVersion `b`, which is
 * always the one before it in the log or the snapshot: the store logs a delta only against the version it
 * holds, a version it holds is in the log or the snapshot before any write after it, and a write that
 * fails takes every write queued after it with it.
 */
export interface DeltaRecord extends WalRecordBase {
  b: number;
  p: DeltaOp[];
}

export type WalRecord = WholeRecord | DeltaRecord;

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
  /** With `recover`: each problem found and what was done, one line each (empty when the files were whole). */
  recovered: string[];
}

export const LOG = 'wal.jsonl';
export const SNAPSHOT = 'snapshot.json';

/** The log's first line after a compaction: the resourceVersion the snapshot holds. */
export function logHeader(rv: number): string {
  return `${JSON.stringify({ snapshot: rv })}\n`;
}

/** The store's files are damaged and starting would lose acknowledged writes. */
export class StoreDamageError extends Error {}

async function readIfExists(path: string): Promise<Buffer | undefined> {
  try {
    return await fs.readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function parseSnapshot(bytes: Buffer): SnapshotState {
  const value: unknown = JSON.parse(bytes.toString('utf8'));
  if (!isObject(value) || !Number.isSafeInteger(value.rv) || !Array.isArray(value.entries))
    throw new Error('not a snapshot (no rv and entries)');
  for (const e of value.entries as unknown[]) {
    if (!Array.isArray(e) || typeof e[0] !== 'string' || typeof e[1] !== 'string' || !isObject(e[2]))
      throw new Error('an entry is not [resource, key, object]');
  }
  return value as unknown as SnapshotState;
}

function parseLine(text: string): WalRecord | { snapshot: number } | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (!isObject(value)) return undefined;
    if (Object.keys(value).length === 1 && Number.isSafeInteger(value.snapshot))
      return { snapshot: value.snapshot as number };
    const { rv, r, k, o, b, p } = value;
    if (!Number.isSafeInteger(rv) || typeof r !== 'string' || typeof k !== 'string') return undefined;
    const base = { rv: rv as number, r, k };
    if (o === null || isObject(o)) return { ...base, o: o as KubeObject | null };
    if (o === undefined && Number.isSafeInteger(b) && Array.isArray(p))
      return { ...base, b: b as number, p: p as DeltaOp[] };
    return undefined;
  } catch {
    return undefined;
  }
}

interface LogRead {
  header: number | undefined;
  records: { record: WalRecord; at: number }[];
  corrupt: number[];
  /** Bytes up to the end of the last whole line, when the last line is torn. */
  tornAt: number | undefined;
}

function readLog(log: Buffer): LogRead {
  const read: LogRead = { header: undefined, records: [], corrupt: [], tornAt: undefined };
  let start = 0;
  while (start < log.length) {
    const end = log.indexOf(0x0a, start);
    const parsed = end === -1 ? undefined : parseLine(log.subarray(start, end).toString('utf8'));
    if (parsed === undefined) {
      // The last line, or a bad line followed only by an unterminated one: an interrupted append.
      if (end === -1 || log.indexOf(0x0a, end + 1) === -1) {
        read.tornAt = start;
        break;
      }
      read.corrupt.push(start);
    } else if ('snapshot' in parsed) {
      if (start === 0) read.header = parsed.snapshot;
      else read.corrupt.push(start);
    } else read.records.push({ record: parsed, at: start });
    start = end + 1;
  }
  return read;
}

/** Reads snapshot + log; cuts an incomplete last log line off the file. See the file comment for damage. */
export async function load(dir: string, options: { recover?: boolean } = {}): Promise<LoadedState> {
  const snapshotPath = join(dir, SNAPSHOT);
  const logPath = join(dir, LOG);
  const problems: string[] = [];
  const snapshotBytes = await readIfExists(snapshotPath);
  let snapshot: SnapshotState | undefined;
  let snapshotDamaged = false;
  if (snapshotBytes !== undefined) {
    try {
      snapshot = parseSnapshot(snapshotBytes);
    } catch (error) {
      snapshotDamaged = true;
      const why = snapshotBytes.length === 0 ? 'it is empty' : `it cannot be read: ${(error as Error).message}`;
      problems.push(`${snapshotPath}: ${why}; the objects it held are lost`);
    }
  }
  const logBytes = await readIfExists(logPath);
  const log = logBytes ? readLog(logBytes) : { header: undefined, records: [], corrupt: [], tornAt: undefined };
  for (const at of log.corrupt) problems.push(`${logPath}: unreadable record at byte ${at}; it is skipped`);
  if (snapshot === undefined && !snapshotDamaged && log.header !== undefined && log.header > 0)
    problems.push(
      `${snapshotPath} is missing; ${logPath} says it held every write up to resourceVersion ${log.header}`,
    );
  if (snapshot !== undefined && log.header !== undefined && log.header > snapshot.rv)
    problems.push(
      `${snapshotPath} holds writes up to resourceVersion ${snapshot.rv}, but ${logPath} says it should hold up to ${log.header}`,
    );

  const objects = new Map<string, [string, string, KubeObject]>();
  for (const entry of snapshot?.entries ?? []) objects.set(`${entry[0]}\u0000${entry[1]}`, entry);
  // Without a readable snapshot every record is replayed: older versions are better than none.
  const from = snapshot?.rv ?? 0;
  let expected = snapshot?.rv ?? log.header ?? 0;
  let rv = Math.max(from, log.header ?? 0);
  let replayed = 0;
  for (const { record, at } of log.records) {
    if (record.rv <= from) continue;
    if (record.rv > expected + 1)
      problems.push(
        `${logPath}: the records of resourceVersion ${expected + 1} to ${record.rv - 1} are missing (before byte ${at})`,
      );
    else if (record.rv <= expected) problems.push(`${logPath}: resourceVersion ${record.rv} comes again at byte ${at}`);
    expected = Math.max(expected, record.rv);
    const key = `${record.r}\u0000${record.k}`;
    if ('b' in record) {
      const base = objects.get(key)?.[2];
      const meta: unknown = base?.metadata;
      if (base === undefined || !isObject(meta) || meta.resourceVersion !== String(record.b))
        problems.push(
          `${logPath}: the change of resourceVersion ${record.rv} at byte ${at} is to version ${record.b} of ${record.r} ${record.k}, which is not there; it is skipped`,
        );
      else if (!applyDelta(base, record.p))
        problems.push(
          `${logPath}: the change of resourceVersion ${record.rv} at byte ${at} does not fit; it is skipped`,
        );
    } else if (record.o === null) objects.delete(key);
    else objects.set(key, [record.r, record.k, record.o]);
    rv = Math.max(rv, record.rv);
    replayed++;
  }
  const state: LoadedState = { rv, entries: [...objects.values()], replayed, tornTail: false, recovered: [] };

  if (problems.length > 0) {
    if (!options.recover) {
      throw new StoreDamageError(
        `the store in ${dir} is damaged and starting would lose acknowledged writes:\n` +
          problems.map((p) => `  ${p}\n`).join('') +
          `Nothing was changed. Restore the files, or start with --recover to start with the ${state.entries.length} objects that could be read (up to resourceVersion ${rv}); the damaged files are then kept aside.`,
      );
    }
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const aside: string[] = [];
    for (const [path, present] of [
      [snapshotPath, snapshotBytes !== undefined],
      [logPath, logBytes !== undefined],
    ] as const) {
      if (!present) continue;
      await fs.rename(path, `${path}.damaged-${stamp}`);
      aside.push(`${path}.damaged-${stamp}`);
    }
    state.recovered = [
      ...problems,
      `recovered ${state.entries.length} objects up to resourceVersion ${rv}; kept aside: ${aside.join(', ') || 'nothing'}`,
    ];
    return state;
  }
  if (log.tornAt !== undefined) {
    state.tornTail = true;
    await fs.truncate(logPath, log.tornAt);
  }
  return state;
}
