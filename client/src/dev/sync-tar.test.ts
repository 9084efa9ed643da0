import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { after, describe, it } from 'node:test';
import { tarStream } from './sync-tar';

const dir = mkdtempSync(join(tmpdir(), 'kw-sync-tar-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function extract(archive: Buffer, tool: string[]): string {
  const out = mkdtempSync(join(dir, 'out-'));
  execFileSync(tool[0]!, [...tool.slice(1), '-x', '-m', '-o', '-f', '-', '-C', out], { input: archive });
  return out;
}

const longFolder = Array.from({ length: 8 }, (_, i) => `folder-${i}-${'x'.repeat(20)}`).join('/');
const files = [
  { source: 'a.py', name: 'srv/app/a.py', content: 'print("hi")\n' },
  { source: 'empty', name: 'srv/empty', content: '' },
  { source: 'exact', name: 'srv/block', content: 'z'.repeat(512) },
  { source: 'big', name: 'srv/big.bin', content: 'q'.repeat(200_000) },
  { source: 'uni', name: 'srv/données/é.txt', content: 'ünïcode' },
  { source: 'long1', name: `${'p'.repeat(120)}/${'n'.repeat(90)}.txt`, content: 'ustar prefix' },
  { source: 'long2', name: `${longFolder}/${'y'.repeat(120)}.txt`, content: 'gnu long name' },
];
for (const f of files) writeFileSync(join(dir, f.source), f.content);

describe('sync tar stream', () => {
  for (const tool of [['tar'], ['busybox', 'tar']]) {
    it(`${tool.join(' ')} extracts every file, in new folders, with long and non-ASCII names`, async () => {
      const archive = await buffer(tarStream(files.map((f) => ({ source: join(dir, f.source), name: `/${f.name}` }))));
      assert.equal(archive.length % 512, 0);
      const out = extract(archive, tool);
      for (const f of files) assert.equal(readFileSync(join(out, f.name), 'utf8'), f.content, f.name);
    });
  }

  it('refuses a FIFO and a symbolic link instead of blocking on or following them', async () => {
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    symlinkSync('/etc/passwd', join(dir, 'link'));
    await assert.rejects(buffer(tarStream([{ source: join(dir, 'fifo'), name: 'f' }])), /not a regular file/);
    await assert.rejects(buffer(tarStream([{ source: join(dir, 'link'), name: 'l' }])), /ELOOP/);
  });

  it('ends with the error of a file that is gone', async () => {
    mkdirSync(join(dir, 'sub'), { recursive: true });
    await assert.rejects(buffer(tarStream([{ source: join(dir, 'sub', 'missing'), name: 'm' }])), /ENOENT/);
  });
});
