import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const APPLETS = ['sh', 'cat', 'echo', 'sleep', 'kill', 'pidof', 'ps', 'true'];

/**
 * Makes `ref` a local image holding this machine's Node.js (the binary and
 * the shared libraries `ldd` names) and busybox, with `docker import`: no
 * registry is reachable, and the debugger tests need a real Node process.
 * Returns false when that is not possible.
 */
export function ensureNodeImage(ref: string, nodeBinary = '/usr/bin/node'): boolean {
  try {
    execFileSync('docker', ['image', 'inspect', ref], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    // not there yet
  }
  const work = mkdtempSync(join(tmpdir(), 'kw-e2e-node-image-'));
  try {
    const root = join(work, 'rootfs');
    for (const dir of ['bin', 'usr/bin', 'tmp', 'etc', 'app']) mkdirSync(join(root, dir), { recursive: true });
    copyFileSync('/bin/busybox', join(root, 'bin', 'busybox'));
    chmodSync(join(root, 'bin', 'busybox'), 0o755);
    for (const applet of APPLETS) symlinkSync('busybox', join(root, 'bin', applet));
    copyFileSync(nodeBinary, join(root, 'usr', 'bin', 'node'));
    chmodSync(join(root, 'usr', 'bin', 'node'), 0o755);
    const libraries = execFileSync('ldd', [nodeBinary], { encoding: 'utf8' })
      .split('\n')
      .map((line) => /(\/\S+) \(0x/.exec(line)?.[1])
      .filter((path): path is string => path !== undefined);
    for (const lib of libraries) {
      mkdirSync(join(root, dirname(lib)), { recursive: true });
      copyFileSync(lib, join(root, lib));
    }
    const tar = join(work, 'rootfs.tar');
    execFileSync('tar', ['-C', root, '-cf', tar, '.']);
    execFileSync('docker', ['import', '-c', 'ENV PATH=/usr/bin:/bin', '-c', 'WORKDIR /app', tar, ref], {
      stdio: 'ignore',
      timeout: 120_000,
    });
    return true;
  } catch (error) {
    console.log(`cannot build ${ref}: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
