import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { expandGlobs } from './manifest-globs.js';

const root = mkdtempSync(join(tmpdir(), 'kw-globs-'));
after(() => rmSync(root, { recursive: true, force: true }));
for (const f of ['k8s/a.yaml', 'k8s/b.yml', 'k8s/notes.txt', 'k8s/deep/c.yaml', 'k8s/.hidden.yaml']) {
  mkdirSync(join(root, f, '..'), { recursive: true });
  writeFileSync(join(root, f), 'x');
}
symlinkSync(join(root, 'k8s'), join(root, 'k8s', 'deep', 'loop'));

describe('manifest globs', () => {
  it('takes *, ** and plain paths, skips hidden files, does not follow folder links, and names globs that match nothing', async () => {
    const r = await expandGlobs([join(root, 'k8s/*.yaml'), join(root, 'k8s/**/*.y?ml'), join(root, 'none/*.yaml')]);
    assert.deepEqual(
      r.files.map((f) => f.slice(root.length + 1)),
      ['k8s/a.yaml', 'k8s/deep/c.yaml'],
    );
    assert.deepEqual(r.unmatched, [join(root, 'none/*.yaml')]);
    const folder = await expandGlobs([join(root, 'k8s')]);
    assert.deepEqual(
      folder.files.map((f) => f.slice(root.length + 1)),
      ['k8s/.hidden.yaml', 'k8s/a.yaml', 'k8s/b.yml'],
    );
  });
});
