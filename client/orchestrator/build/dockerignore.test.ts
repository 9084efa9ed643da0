import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DockerignoreError, isIgnored, parseDockerignore } from './dockerignore';

const ignored = (text: string, path: string) => isIgnored(parseDockerignore(text), path);

describe('.dockerignore', () => {
  it('matches a path or any of its parent folders, with comments and blank lines skipped', () => {
    const text = '# comment\n\nnode_modules\n/build/\n*.log\n';
    assert.equal(ignored(text, 'node_modules'), true);
    assert.equal(ignored(text, 'node_modules/a/b.js'), true);
    assert.equal(ignored(text, 'build/out.js'), true);
    assert.equal(ignored(text, 'app.log'), true);
    assert.equal(ignored(text, 'src/app.log'), false, '* does not cross a folder');
    assert.equal(ignored(text, 'src/main.py'), false);
  });

  it('takes ** across folders and the last matching pattern, ! exceptions included', () => {
    const text = '**/*.pyc\ndocs\n!docs/keep.md\n';
    assert.equal(ignored(text, 'a/b/c.pyc'), true);
    assert.equal(ignored(text, 'c.pyc'), true);
    assert.equal(ignored(text, 'docs/other.md'), true);
    assert.equal(ignored(text, 'docs/keep.md'), false);
    assert.equal(ignored('*\n!app.py\n', 'app.py'), false);
    assert.equal(ignored('!app.py\n*\n', 'app.py'), true, 'a later pattern wins');
  });

  it('reads ?, classes and escapes', () => {
    assert.equal(ignored('file?.txt', 'file1.txt'), true);
    assert.equal(ignored('file?.txt', 'file/.txt'), false);
    assert.equal(ignored('[a-c].txt', 'b.txt'), true);
    assert.equal(ignored('[^a-c].txt', 'b.txt'), false);
    assert.equal(ignored('\\*.txt', '*.txt'), true);
    assert.equal(ignored('\\*.txt', 'a.txt'), false);
  });

  it('refuses a broken pattern naming its line, and hostile sizes', () => {
    assert.throws(
      () => parseDockerignore('ok\n[abc\n'),
      (e: unknown) => e instanceof DockerignoreError && /:2:/.test(e.message),
    );
    assert.throws(() => parseDockerignore(`${'a'.repeat(5000)}\n`), /longer than/);
    // Many ** in a row compile to one, so matching stays linear.
    assert.equal(ignored(`${'**/'.repeat(200)}x`, 'a/b/x'), true);
  });
});
