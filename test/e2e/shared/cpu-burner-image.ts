import { chmodSync, copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importImage } from './import-image.js';

/**
 * Makes `ref` a local image of the host's static busybox serving, with
 * `httpd -p 8080 -h /www`, `/cgi-bin/burn`: each request spins the CPU for a
 * while before answering, so load shows up as CPU usage.
 */
export function ensureCpuBurnerImage(ref: string): boolean {
  return importImage(
    ref,
    ['ENV PATH=/bin', 'CMD ["/bin/httpd", "-f", "-p", "8080", "-h", "/www"]'],
    (root) => {
      for (const dir of ['bin', 'www/cgi-bin', 'tmp', 'etc']) mkdirSync(join(root, dir), { recursive: true });
      copyFileSync('/bin/busybox', join(root, 'bin', 'busybox'));
      chmodSync(join(root, 'bin', 'busybox'), 0o755);
      for (const applet of ['sh', 'httpd', 'printf', 'cat', 'sleep']) symlinkSync('busybox', join(root, 'bin', applet));
      writeFileSync(join(root, 'www', 'index.html'), 'cpu burner\n');
      writeFileSync(
        join(root, 'www', 'cgi-bin', 'burn'),
        '#!/bin/sh\ni=0\nwhile [ $i -lt 20000 ]; do i=$((i+1)); done\nprintf "Content-Type: text/plain\\r\\n\\r\\nburned %s\\n" "$i"\n',
      );
      chmodSync(join(root, 'www', 'cgi-bin', 'burn'), 0o755);
      writeFileSync(join(root, 'etc', 'passwd'), 'root:x:0:0:root:/:/bin/sh\n');
    },
    60_000,
  );
}
