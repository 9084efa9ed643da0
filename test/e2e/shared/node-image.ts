import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { importImage } from './import-image.js';

const APPLETS = ['sh', 'cat', 'echo', 'sleep', 'kill', 'pidof', 'ps', 'true'];

/**
 * Makes `ref` a local image holding this machine's Node.js (the binary and
 * the shared libraries `ldd` names) and busybox: the debugger tests need a
 * real Node process. Returns false when that is not possible.
 */
export function ensureNodeImage(ref: string, nodeBinary = '/usr/bin/node'): boolean {
  return importImage(
    ref,
    ['ENV PATH=/usr/bin:/bin', 'WORKDIR /app'],
    (root) => {
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
    },
    120_000,
  );
}
