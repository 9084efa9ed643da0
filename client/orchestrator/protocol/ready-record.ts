/**
 * The ready record: once its API answers, `cluster start` writes this JSON
 * file into its data directory (atomically) and prints it on one stdout line
 * after READY_LINE_PREFIX; it removes the file when it stops. Whoever started
 * it (the extension) waits for a record with the child's pid and a start time
 * after the spawn, so the record of an earlier run is never taken for the new
 * one. A reader treats the file as untrusted: it is size-capped, must be a
 * regular file (not a symlink or a FIFO, which would block a read) and every
 * field is checked.
 */
import { promises as fs, watch, type FSWatcher } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { RUNTIMES, type RuntimeName } from './command-line';
import { DATA_DIR_FILES } from './data-dir-files';
import { readUntrustedFile, UntrustedFileError } from './untrusted-file';

export const READY_RECORD_FORMAT = 1;
/** Prefix of the stdout line that carries the record as JSON. */
export const READY_LINE_PREFIX = 'kube-workbench-ready ';
/** A record is a few hundred bytes; anything larger is not one. */
export const READY_RECORD_MAX_BYTES = 64 * 1024;

export interface ReadyRecord {
  format: typeof READY_RECORD_FORMAT;
  /** The orchestrator's process id. */
  pid: number;
  /** When the process started and when its API answered (ISO 8601). */
  startedAt: string;
  readyAt: string;
  /** The Kubernetes version the API server reports. */
  version: string;
  /** The API server's URL. */
  api: string;
  /** Absolute path of the kubeconfig for this cluster. */
  kubeconfig: string;
  /** The Ingress entry's URL, when one listens. */
  ingress?: string;
  runtime: RuntimeName;
  /** Why the fake runtime is used, when it was chosen for want of a Docker engine. */
  runtimeNote?: string;
}

export class ReadyRecordError extends Error {
  override name = 'ReadyRecordError';
}

export function readyRecordPath(dataDir: string): string {
  return join(dataDir, DATA_DIR_FILES.ready);
}

const MAX_TEXT = 4096;

function text(o: Record<string, unknown>, key: string, optional: true): string | undefined;
function text(o: Record<string, unknown>, key: string): string;
function text(o: Record<string, unknown>, key: string, optional = false): string | undefined {
  const v = o[key];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'string' || v === '' || v.length > MAX_TEXT)
    throw new ReadyRecordError(`its "${key}" is not a string of 1 to ${MAX_TEXT} characters`);
  return v;
}

function url(o: Record<string, unknown>, key: string, optional: true): string | undefined;
function url(o: Record<string, unknown>, key: string): string;
function url(o: Record<string, unknown>, key: string, optional = false): string | undefined {
  const v = optional ? text(o, key, true) : text(o, key);
  if (v === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(v);
  } catch {
    throw new ReadyRecordError(`its "${key}" is not a URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new ReadyRecordError(`its "${key}" is not an http(s) URL`);
  return v;
}

function time(o: Record<string, unknown>, key: string): string {
  const v = text(o, key);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(v) || Number.isNaN(Date.parse(v)))
    throw new ReadyRecordError(`its "${key}" is not an ISO 8601 UTC time`);
  return v;
}

/** Checks a record's JSON text field by field; throws ReadyRecordError saying what is wrong. */
export function parseReadyRecord(json: string): ReadyRecord {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new ReadyRecordError('it is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ReadyRecordError('it is not a JSON object');
  const o = value as Record<string, unknown>;
  if (o['format'] !== READY_RECORD_FORMAT)
    throw new ReadyRecordError(`its format is ${JSON.stringify(o['format'])}, not ${READY_RECORD_FORMAT}`);
  const pid = o['pid'];
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0)
    throw new ReadyRecordError('its "pid" is not a positive whole number');
  const runtime = o['runtime'];
  if (!RUNTIMES.includes(runtime as RuntimeName))
    throw new ReadyRecordError(`its "runtime" is not one of ${RUNTIMES.join(', ')}`);
  const kubeconfig = text(o, 'kubeconfig');
  if (!isAbsolute(kubeconfig)) throw new ReadyRecordError('its "kubeconfig" is not an absolute path');
  const record: ReadyRecord = {
    format: READY_RECORD_FORMAT,
    pid,
    startedAt: time(o, 'startedAt'),
    readyAt: time(o, 'readyAt'),
    version: text(o, 'version'),
    api: url(o, 'api'),
    kubeconfig,
    runtime: runtime as RuntimeName,
  };
  const ingress = url(o, 'ingress', true);
  if (ingress !== undefined) record.ingress = ingress;
  const note = text(o, 'runtimeNote', true);
  if (note !== undefined) record.runtimeNote = note;
  return record;
}

/** The stdout line that carries a record. */
export function readyLine(record: ReadyRecord): string {
  return `${READY_LINE_PREFIX}${JSON.stringify(record)}`;
}

/** The record on a stdout line, or undefined when the line is not a ready line (throws when it is a bad one). */
export function parseReadyLine(line: string): ReadyRecord | undefined {
  return line.startsWith(READY_LINE_PREFIX) ? parseReadyRecord(line.slice(READY_LINE_PREFIX.length)) : undefined;
}

/** Writes the record through a temporary file and a rename, so a reader never sees half of it. */
export async function writeReadyRecord(dataDir: string, record: ReadyRecord): Promise<void> {
  const path = readyRecordPath(dataDir);
  const tmp = `${path}.${process.pid}.tmp`;
  await fs.writeFile(tmp, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  await fs.rename(tmp, path);
}

export async function removeReadyRecord(dataDir: string): Promise<void> {
  await fs.rm(readyRecordPath(dataDir), { force: true });
}

/**
 * The record in a data directory: undefined when there is none, a
 * ReadyRecordError when the file is not a valid record. Never blocks on a
 * FIFO and never reads more than READY_RECORD_MAX_BYTES.
 */
export async function readReadyRecord(dataDir: string): Promise<ReadyRecord | undefined> {
  const path = readyRecordPath(dataDir);
  try {
    const json = await readUntrustedFile(path, READY_RECORD_MAX_BYTES);
    return json === undefined ? undefined : parseReadyRecord(json);
  } catch (error) {
    if (error instanceof UntrustedFileError || error instanceof ReadyRecordError)
      throw new ReadyRecordError(`The ready record ${path} is not valid: ${error.message}.`);
    throw error;
  }
}

/** Whether a record was written by the process `pid` started at or after `startedAfter` (ms since the epoch). */
export function recordOf(record: ReadyRecord, pid: number, startedAfter: number): boolean {
  // A second of slack: the child's clock reading at its start can round below the parent's at spawn.
  return record.pid === pid && Date.parse(record.startedAt) >= startedAfter - 1000;
}

export type ReadyOutcome =
  | { kind: 'ready'; record: ReadyRecord }
  /** How the process ended: `code 1`, `signal SIGKILL`, or why it could not start. */
  | { kind: 'exited'; how: string; invalid?: string }
  | { kind: 'timeout'; invalid?: string };

export interface WaitForReady {
  dataDir: string;
  /** The started process. */
  pid: number;
  /** When it was spawned (ms since the epoch): an older record is an earlier run's. */
  spawnedAt: number;
  /** Settles with how the process ended, if it ends. */
  exited: Promise<string>;
  timeoutMs: number;
  /** How often to look besides file-system events, which some file systems do not deliver. */
  pollMs?: number;
}

/**
 * Waits until the process's record appears in the data directory, it exits,
 * or the time runs out. A record that is not valid is reported with the
 * outcome (`invalid`), not waited on forever.
 */
export function waitForReadyRecord(options: WaitForReady): Promise<ReadyOutcome> {
  return new Promise<ReadyOutcome>((resolve) => {
    let done = false;
    let invalid: string | undefined;
    let watcher: FSWatcher | undefined;
    let reading = false;
    let again = false;
    const finish = (outcome: ReadyOutcome): void => {
      if (done) return;
      done = true;
      clearInterval(poll);
      clearTimeout(timer);
      watcher?.close();
      resolve(outcome);
    };
    const withInvalid = <T extends object>(o: T): T & { invalid?: string } =>
      invalid === undefined ? o : { ...o, invalid };
    const look = (): void => {
      if (done) return;
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      readReadyRecord(options.dataDir)
        .then(
          (record) => {
            if (record && recordOf(record, options.pid, options.spawnedAt)) finish({ kind: 'ready', record });
          },
          (error: unknown) => {
            invalid = (error as Error).message;
          },
        )
        .finally(() => {
          reading = false;
          if (again) {
            again = false;
            look();
          }
        });
    };
    const poll = setInterval(look, options.pollMs ?? 500);
    const timer = setTimeout(() => finish(withInvalid({ kind: 'timeout' as const })), options.timeoutMs);
    try {
      watcher = watch(options.dataDir, (_event, name) => {
        if (name === null || String(name) === DATA_DIR_FILES.ready) look();
      });
      watcher.on('error', () => watcher?.close());
    } catch {
      // No watching here: the poll finds the record.
    }
    const exitedAs = (how: string): void => {
      // One last look, to say what was wrong with a record that is there.
      readReadyRecord(options.dataDir).then(
        () => finish(withInvalid({ kind: 'exited' as const, how })),
        (error: unknown) => {
          invalid = (error as Error).message;
          finish(withInvalid({ kind: 'exited' as const, how }));
        },
      );
    };
    options.exited.then(exitedAs, (error: unknown) => exitedAs(String(error)));
    look();
  });
}
