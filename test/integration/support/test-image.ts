import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  copyFileSync,
  chmodSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DockerClient } from '../../../client/orchestrator/kubelet/docker-client.js';

/** Busybox applets the test image links, enough for shells, HTTP servers and probes. */
const APPLETS = [
  'sh',
  'ls',
  'cat',
  'echo',
  'sleep',
  'httpd',
  'wget',
  'nc',
  'env',
  'hostname',
  'kill',
  'ps',
  'true',
  'false',
  'id',
  'mkdir',
  'printf',
];
const BUSYBOX = '/bin/busybox';

/**
 * Builds (once per content) a local image from Debian's static busybox with
 * `docker import`: no registry is reachable here, so tests never pull.
 * Returns the image reference.
 */
export async function ensureBusyboxImage(docker: DockerClient): Promise<string> {
  let busybox: Buffer;
  try {
    busybox = readFileSync(BUSYBOX);
  } catch {
    throw new Error(`${BUSYBOX} is missing: install it with 'apt-get install -y busybox-static'`);
  }
  const hash = createHash('sha256').update(busybox).update(APPLETS.join(',')).digest('hex').slice(0, 12);
  const ref = `kube-workbench-test/busybox:${hash}`;
  if (await docker.imageExists(ref)) return ref;

  const work = mkdtempSync(join(tmpdir(), 'kw-image-'));
  try {
    const root = join(work, 'rootfs');
    for (const dir of ['bin', 'www', 'tmp', 'etc']) mkdirSync(join(root, dir), { recursive: true });
    copyFileSync(BUSYBOX, join(root, 'bin', 'busybox'));
    chmodSync(join(root, 'bin', 'busybox'), 0o755);
    for (const applet of APPLETS) symlinkSync('busybox', join(root, 'bin', applet));
    writeFileSync(join(root, 'www', 'index.html'), 'hello from kube-workbench\n');
    writeFileSync(join(root, 'etc', 'passwd'), 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n');
    const tarPath = join(work, 'rootfs.tar');
    execFileSync('tar', ['-C', root, '-cf', tarPath, '.']);
    await docker.importImage(tarPath, ref, ['CMD ["/bin/sh"]', 'ENV PATH=/bin']);
    return ref;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
