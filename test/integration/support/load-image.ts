/**
 * A local image for the autoscaling tests, made with `docker import` from
 * Debian's static busybox (nothing can be pulled): busybox httpd with two CGI
 * scripts, `/cgi-bin/burn` (a shell loop that keeps a CPU busy for a moment)
 * and `/cgi-bin/slow` (answers after 2 s, using no CPU).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DockerClient } from '../../../client/orchestrator/kubelet/docker-client.js';

const BUSYBOX = '/bin/busybox';
const APPLETS = ['sh', 'httpd', 'sleep', 'printf', 'echo'];
const SCRIPTS: Record<string, string> = {
  burn: '#!/bin/sh\ni=0\nwhile [ $i -lt 20000 ]; do i=$((i+1)); done\nprintf "Content-Type: text/plain\\r\\n\\r\\nburned\\n"\n',
  slow: '#!/bin/sh\nsleep 2\nprintf "Content-Type: text/plain\\r\\n\\r\\nslow\\n"\n',
};

export async function ensureLoadImage(docker: DockerClient): Promise<string> {
  const busybox = readFileSync(BUSYBOX);
  const hash = createHash('sha256')
    .update(busybox)
    .update(JSON.stringify([APPLETS, SCRIPTS]))
    .digest('hex')
    .slice(0, 12);
  const ref = `kube-workbench-test/load:${hash}`;
  if (await docker.imageExists(ref)) return ref;
  const work = mkdtempSync(join(tmpdir(), 'kw-load-image-'));
  try {
    const root = join(work, 'rootfs');
    for (const dir of ['bin', 'www/cgi-bin', 'tmp']) mkdirSync(join(root, dir), { recursive: true });
    copyFileSync(BUSYBOX, join(root, 'bin', 'busybox'));
    chmodSync(join(root, 'bin', 'busybox'), 0o755);
    for (const applet of APPLETS) symlinkSync('busybox', join(root, 'bin', applet));
    writeFileSync(join(root, 'www', 'index.html'), 'ok\n');
    for (const [name, text] of Object.entries(SCRIPTS)) {
      writeFileSync(join(root, 'www', 'cgi-bin', name), text);
      chmodSync(join(root, 'www', 'cgi-bin', name), 0o755);
    }
    const tarPath = join(work, 'rootfs.tar');
    execFileSync('tar', ['-C', root, '-cf', tarPath, '.']);
    await docker.importImage(tarPath, ref, ['CMD ["/bin/httpd", "-f", "-p", "8080", "-h", "/www"]', 'ENV PATH=/bin']);
    return ref;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
