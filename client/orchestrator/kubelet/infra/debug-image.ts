/**
 * The default debug-shell image (`protocol/debug-shell-image.ts`), made on first use with
 * `docker import` from this machine's static busybox (Debian/Ubuntu: `busybox-static`) and every
 * applet it lists, so an ephemeral debug container has `sh`, `ps`, `top`, `wget`, `nc`... without a
 * registry. Built once; a user who wants other tools names another image.
 */
import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { DockerEngine } from '../docker-client';

const run = promisify(execFile);
const BUSYBOX = '/bin/busybox';

/** Builds the image unless it exists; throws with what to install when it cannot. */
export async function ensureDebugShellImage(engine: DockerEngine, ref: string, busybox = BUSYBOX): Promise<void> {
  if (await engine.imageExists(ref)) return;
  let applets: string[];
  try {
    applets = (await run(busybox, ['--list'])).stdout.split('\n').filter((a) => /^[a-z0-9_.[-]+$/i.test(a));
  } catch {
    throw new Error(
      `cannot make the debug image ${ref}: ${busybox} is missing or not runnable (Debian/Ubuntu: apt-get install busybox-static), or name another image`,
    );
  }
  const work = mkdtempSync(join(tmpdir(), 'kw-debug-image-'));
  try {
    const root = join(work, 'rootfs');
    for (const dir of ['bin', 'tmp', 'etc', 'root']) mkdirSync(join(root, dir), { recursive: true });
    copyFileSync(busybox, join(root, 'bin', 'busybox'));
    chmodSync(join(root, 'bin', 'busybox'), 0o755);
    for (const applet of applets) if (applet !== 'busybox') symlinkSync('busybox', join(root, 'bin', applet));
    writeFileSync(
      join(root, 'etc', 'passwd'),
      'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n',
    );
    writeFileSync(join(root, 'etc', 'group'), 'root:x:0:\nnobody:x:65534:\n');
    const tar = join(work, 'rootfs.tar');
    await run('tar', ['-C', root, '-cf', tar, '.']);
    await engine.importImage(tar, ref, ['CMD ["/bin/sh"]', 'ENV PATH=/bin', 'WORKDIR /root']);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
