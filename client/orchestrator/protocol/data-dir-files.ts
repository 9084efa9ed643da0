/** The files of the data directory that another process reads (names relative to the directory). */
import { join } from 'node:path';
import { readUntrustedFile } from './untrusted-file';

export const DATA_DIR_FILES = {
  /** The pid of the process holding the directory, one line. */
  lock: 'lock',
  /** A kubeconfig for the cluster (server URL, CA, token). */
  kubeconfig: 'kubeconfig',
  /** The ready record (ready-record.ts): present while a started cluster serves. */
  ready: 'ready.json',
} as const;

/**
 * The pid a lock file holds (one line): the process that took it, which may have
 * died since. Undefined when there is no such file or it holds no pid.
 */
export async function pidInFile(path: string): Promise<number | undefined> {
  const text = await readUntrustedFile(path, 64).catch(() => undefined);
  const pid = Number(text?.trim());
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

/** The pid in the data directory's lock file. */
export function lockHolder(dataDir: string): Promise<number | undefined> {
  return pidInFile(join(dataDir, DATA_DIR_FILES.lock));
}
