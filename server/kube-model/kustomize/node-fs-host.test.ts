import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { nodeFsHost } from './node-fs-host';

describe('nodeFsHost', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kz-host-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const host = nodeFsHost();

  it('reads regular files and says what is a directory', () => {
    writeFileSync(join(dir, 'a.yaml'), 'kind: ConfigMap\n');
    assert.equal(host.readFile(join(dir, 'a.yaml')), 'kind: ConfigMap\n');
    assert.equal(host.isDirectory(dir), true);
    assert.equal(host.isDirectory(join(dir, 'a.yaml')), false);
  });

  it('reads missing files, directories, FIFOs and symlink loops as undefined, without blocking or throwing', () => {
    assert.equal(host.readFile(join(dir, 'missing.yaml')), undefined);
    assert.equal(host.readFile(dir), undefined);
    execFileSync('mkfifo', [join(dir, 'fifo.yaml')]);
    assert.equal(host.readFile(join(dir, 'fifo.yaml')), undefined);
    symlinkSync(join(dir, 'loop2'), join(dir, 'loop1'));
    symlinkSync(join(dir, 'loop1'), join(dir, 'loop2'));
    assert.equal(host.readFile(join(dir, 'loop1')), undefined);
    assert.equal(host.isDirectory(join(dir, 'loop1')), false);
    assert.equal(host.readFile('/dev/zero'), undefined);
  });
});
