/**
 * The infrastructure image (pod sandboxes and Service proxies): `kw-infra.c`
 * compiled with `cc -static` and put into an image with `docker import`,
 * tagged by the source's hash so it is built once and reused. Nothing is
 * pulled: on Linux a C compiler with a static libc is all it needs (see
 * docs/orchestrator.md for macOS / Docker Desktop).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { DockerEngine } from '../docker-client';

const run = promisify(execFile);
export const INFRA_BINARY = '/kw-infra';

/** Where the C source is: beside this file (tests, tsx), or beside the bundle in client/out (build.mjs copies it). */
export function infraSourcePath(): string {
  const candidates = [
    join(__dirname, 'kw-infra.c'),
    join(__dirname, 'infra', 'kw-infra.c'),
    join(__dirname, '..', 'orchestrator', 'kubelet', 'infra', 'kw-infra.c'),
  ];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`kw-infra.c not found (looked in ${candidates.join(', ')})`);
  return found;
}

export function infraImageRef(source: string): string {
  return `kube-workbench/infra:${createHash('sha256').update(source).digest('hex').slice(0, 12)}`;
}

/** Builds the image unless it exists; resolves with its reference. */
export async function ensureInfraImage(engine: DockerEngine, sourcePath = infraSourcePath()): Promise<string> {
  const source = readFileSync(sourcePath, 'utf8');
  const ref = infraImageRef(source);
  if (await engine.imageExists(ref)) return ref;
  const work = mkdtempSync(join(tmpdir(), 'kw-infra-'));
  try {
    const root = join(work, 'rootfs');
    mkdirSync(join(root, 'etc'), { recursive: true });
    mkdirSync(join(root, 'tmp'), { recursive: true });
    writeFileSync(join(root, 'etc', 'passwd'), 'root:x:0:0:root:/:/kw-infra\n');
    const binary = join(root, 'kw-infra');
    try {
      await run('cc', ['-static', '-O2', '-o', binary, sourcePath]);
    } catch (error) {
      throw new Error(
        `cannot build the infrastructure image ${ref}: 'cc -static' failed (${(error as Error).message.split('\n')[0] ?? ''}). ` +
          `Install a C compiler and static libc (Debian/Ubuntu: apt-get install build-essential).`,
      );
    }
    const tar = join(work, 'rootfs.tar');
    await run('tar', ['-C', root, '-cf', tar, '.']);
    await engine.importImage(tar, ref, [`CMD ["${INFRA_BINARY}", "pause"]`]);
    return ref;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
