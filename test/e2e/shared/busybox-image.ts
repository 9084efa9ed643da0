import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importImage } from './import-image.js';

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
  return importImage(
    ref,
    ['ENV PATH=/bin', 'CMD ["/bin/sh"]'],
    (root) => {
      for (const dir of ['bin', 'www', 'tmp', 'etc']) mkdirSync(join(root, dir), { recursive: true });
      copyFileSync('/bin/busybox', join(root, 'bin', 'busybox'));
      chmodSync(join(root, 'bin', 'busybox'), 0o755);
      for (const applet of APPLETS) symlinkSync('busybox', join(root, 'bin', applet));
      writeFileSync(join(root, 'www', 'index.html'), 'hello from the cluster e2e suite\n');
      writeFileSync(join(root, 'etc', 'passwd'), 'root:x:0:0:root:/:/bin/sh\n');
    },
    60_000,
  );
}
