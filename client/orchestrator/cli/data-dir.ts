/** Files the cluster keeps in its data directory besides the store: token, lock, kubeconfig. */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { selfSignedCertificate, stillValid, type TlsMaterial } from '../api/certificate';
import { DATA_DIR_FILES, lockHolder } from '../protocol/data-dir-files';
import { clusterProcessFor, processAlive } from '../protocol/liveness';
import { readDataDirFile } from './data-dir-file';

/** Writes through a temporary file and a rename, so readers never see half a file. */
export async function writeFileAtomic(path: string, text: string, mode = 0o600): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await fs.writeFile(tmp, text, { mode });
  await fs.chmod(tmp, mode); // a stale temporary file keeps its own mode
  await fs.rename(tmp, path);
}

/**
 * Makes the data directory private (700): it holds the token, the key and every Secret.
 * An existing directory is tightened; one this user cannot change is refused, saying why.
 */
export async function makeDataDirPrivate(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const { mode } = await fs.stat(dir);
  if ((mode & 0o777) === 0o700) return;
  try {
    await fs.chmod(dir, 0o700);
  } catch (error) {
    throw new Error(
      `${dir} is readable by other users (mode ${(mode & 0o777).toString(8)}) and could not be made private: ${(error as Error).message}`,
    );
  }
}

/** An existing secret file from an older run is made private too. */
async function keepPrivate(path: string): Promise<void> {
  await fs.chmod(path, 0o600).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}

/** The bearer token of this data directory, made on first start. */
export async function loadOrCreateToken(dir: string): Promise<string> {
  const path = join(dir, 'token');
  const existing = readDataDirFile(path)?.trim();
  if (existing) {
    await keepPrivate(path);
    return existing;
  }
  const token = randomBytes(32).toString('hex');
  await writeFileAtomic(path, `${token}\n`);
  return token;
}

/**
 * Takes the data directory for this process; fails when a live cluster process
 * holds it. A lock naming a dead process, or a live one that is not a cluster
 * of this directory (its pid reused), is stale: taken over, saying so through
 * `note`. Returns the release function.
 */
export async function lockDataDir(dir: string, note: (line: string) => void = () => {}): Promise<() => Promise<void>> {
  const path = join(dir, DATA_DIR_FILES.lock);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fs.writeFile(path, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      return () => fs.rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = await lockHolder(dir);
      if (holder !== undefined && holder !== process.pid && processAlive(holder)) {
        if (clusterProcessFor(holder, dir) !== 'no')
          throw new Error(
            `${dir} is in use by process ${holder} (a kube-workbench cluster); stop it first, or use another --data-dir`,
          );
        note(
          `the lock of ${dir} names process ${holder}, which is not a kube-workbench cluster of this directory; taking over the stale lock`,
        );
      }
      await fs.rm(path, { force: true });
    }
  }
  throw new Error(`could not lock ${dir}`);
}

/** The API server's key and certificate, made on first start (or when expiring). */
export async function loadOrCreateTls(dir: string): Promise<TlsMaterial> {
  const key = readDataDirFile(join(dir, 'apiserver.key'));
  const cert = readDataDirFile(join(dir, 'apiserver.crt'));
  if (key && cert && stillValid({ key, cert })) {
    await keepPrivate(join(dir, 'apiserver.key'));
    return { key, cert };
  }
  const fresh = selfSignedCertificate('kube-workbench');
  await writeFileAtomic(join(dir, 'apiserver.key'), fresh.key);
  await writeFileAtomic(join(dir, 'apiserver.crt'), fresh.cert, 0o644);
  return fresh;
}

export function kubeconfigText(server: string, token: string, caPem: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: kube-workbench',
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${Buffer.from(caPem).toString('base64')}`,
    'users:',
    '- name: kube-workbench',
    '  user:',
    `    token: ${token}`,
    'contexts:',
    '- name: kube-workbench',
    '  context:',
    '    cluster: kube-workbench',
    '    user: kube-workbench',
    '    namespace: default',
    'current-context: kube-workbench',
    'preferences: {}',
    '',
  ].join('\n');
}
