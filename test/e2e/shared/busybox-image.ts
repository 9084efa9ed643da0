import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const APPLETS = ['sh', 'ls', 'cat', 'echo', 'sleep', 'httpd', 'wget', 'env', 'hostname', 'kill', 'ps', 'true', 'false'];

/** Whether a Docker engine answers the `docker` command line. */
export function dockerAnswers(): boolean {
  try {
    execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes `ref` a local image of the host's static busybox (`docker import`, so
 * nothing is pulled) with a page in /www; returns false when that is not possible.
 */
export function ensureBusyboxImage(ref: string): boolean {
  try {
    execFileSync('docker', ['image', 'inspect', ref], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    // not there yet
  }
  const work = mkdtempSync(join(tmpdir(), 'kw-e2e-image-'));
  try {
    const root = join(work, 'rootfs');
    for (const dir of ['bin', 'www', 'tmp', 'etc']) mkdirSync(join(root, dir), { recursive: true });
    copyFileSync('/bin/busybox', join(root, 'bin', 'busybox'));
    chmodSync(join(root, 'bin', 'busybox'), 0o755);
    for (const applet of APPLETS) symlinkSync('busybox', join(root, 'bin', applet));
    writeFileSync(join(root, 'www', 'index.html'), 'hello from the cluster e2e suite\n');
    writeFileSync(join(root, 'etc', 'passwd'), 'root:x:0:0:root:/:/bin/sh\n');
    const tar = join(work, 'rootfs.tar');
    execFileSync('tar', ['-C', root, '-cf', tar, '.']);
    execFileSync('docker', ['import', '-c', 'ENV PATH=/bin', '-c', 'CMD ["/bin/sh"]', tar, ref], {
      stdio: 'ignore',
      timeout: 60_000,
    });
    return true;
  } catch (error) {
    console.log(`cannot build ${ref}: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
