import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Makes `ref` a local image from a root file system that `fill` writes into
 * the given folder, with `docker import` (no registry is reachable, nothing
 * is pulled). Does nothing when the image is already there. Returns false,
 * saying why, when the image cannot be made.
 */
export function importImage(
  ref: string,
  changes: readonly string[],
  fill: (root: string) => void,
  timeoutMs: number,
): boolean {
  try {
    execFileSync('docker', ['image', 'inspect', ref], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    // not there yet
  }
  const work = mkdtempSync(join(tmpdir(), 'kw-e2e-image-'));
  try {
    const root = join(work, 'rootfs');
    fill(root);
    const tar = join(work, 'rootfs.tar');
    execFileSync('tar', ['-C', root, '-cf', tar, '.']);
    execFileSync('docker', ['import', ...changes.flatMap((c) => ['-c', c]), tar, ref], {
      stdio: 'ignore',
      timeout: timeoutMs,
    });
    return true;
  } catch (error) {
    console.log(`cannot build ${ref}: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
