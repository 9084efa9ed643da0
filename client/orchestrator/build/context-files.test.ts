import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { contentHash } from './content-hash';
import { ContextError, DEFAULT_LIMITS, listContext } from './context-files';
import { contextTar } from './context-tar';

const dir = mkdtempSync(join(tmpdir(), 'kw-context-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function context(name: string, files: Record<string, string>): string {
  const root = join(dir, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('build context', () => {
  it('honours .dockerignore but always sends the Dockerfile, and hashes content only', async () => {
    const root = context('a', {
      Dockerfile: 'FROM x\n',
      '.dockerignore': 'Dockerfile\nsecrets\n*.md\n!README.md\n',
      'app.py': 'print(1)\n',
      'secrets/key': 'k',
      'notes.md': 'n',
      'README.md': 'r',
    });
    const listing = await listContext(root);
    assert.deepEqual(
      listing.entries.map((e) => e.path),
      ['.dockerignore', 'Dockerfile', 'README.md', 'app.py'],
    );
    const artifact = { image: 'web', context: root };
    const first = await contentHash(listing, artifact);
    writeFileSync(join(root, 'notes.md'), 'changed but ignored');
    assert.equal(await contentHash(await listContext(root), artifact), first);
    assert.notEqual(await contentHash(listing, { ...artifact, buildArgs: { A: '1' } }), first);
    writeFileSync(join(root, 'app.py'), 'print(2)\n');
    assert.notEqual(await contentHash(await listContext(root), artifact), first);
  });

  it('sends links as links (a loop reads nothing), skips FIFOs with a warning, and makes a tar that tar reads', async () => {
    const root = context('b', { Dockerfile: 'FROM x\n', [`${'deep/'.repeat(30)}file.txt`]: 'x' });
    symlinkSync('loop', join(root, 'loop'));
    symlinkSync('/etc/passwd', join(root, 'outside'));
    execFileSync('mkfifo', [join(root, 'pipe')]);
    const listing = await listContext(root);
    assert.deepEqual(listing.warnings, ['pipe: skipped, it is a FIFO']);
    assert.equal(listing.entries.find((e) => e.path === 'loop')?.type, 'symlink');
    const chunks: Buffer[] = [];
    for await (const c of contextTar(listing.entries)) chunks.push(c as Buffer);
    const names = execFileSync('tar', ['-t'], { input: Buffer.concat(chunks) })
      .toString()
      .split('\n');
    assert.ok(names.includes(`${'deep/'.repeat(30)}file.txt`), 'a long path survives (PAX header)');
    assert.ok(names.includes('outside') && names.includes('loop'));
  });

  it('refuses a Dockerfile outside the context, a missing context and a file over the limit', async () => {
    const root = context('c', { Dockerfile: 'FROM x\n', 'big.bin': 'x'.repeat(2048) });
    await assert.rejects(
      listContext(root, '../a/Dockerfile'),
      (e) => e instanceof ContextError && /outside/.test(e.message),
    );
    await assert.rejects(listContext(join(dir, 'none')), ContextError);
    await assert.rejects(
      listContext(root, 'Dockerfile', { ...DEFAULT_LIMITS, maxFileBytes: 1024 }),
      /big\.bin is 2048 bytes/,
    );
  });
});
