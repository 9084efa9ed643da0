import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Glob, GlobError } from './sync-glob';

const m = (pattern: string, path: string) => new Glob(pattern).matches(path);

describe('sync globs', () => {
  it('matches * and ? within one segment only', () => {
    assert.equal(m('*.py', 'app.py'), true);
    assert.equal(m('*.py', 'src/app.py'), false);
    assert.equal(m('src/?.py', 'src/a.py'), true);
    assert.equal(m('src/?.py', 'src/ab.py'), false);
  });
  it('matches ** as any number of segments, none included', () => {
    assert.equal(m('**/*.py', 'app.py'), true);
    assert.equal(m('**/*.py', 'a/b/c/app.py'), true);
    assert.equal(m('src/**', 'src/a/b'), true);
    assert.equal(m('src/**/x.py', 'src/x.py'), true);
    assert.equal(m('src/**/x.py', 'lib/x.py'), false);
  });
  it('reads classes, ranges, negation, alternatives and escapes', () => {
    assert.equal(m('[a-c].txt', 'b.txt'), true);
    assert.equal(m('[!a-c].txt', 'b.txt'), false);
    assert.equal(m('[^a-c].txt', 'd.txt'), true);
    assert.equal(m('*.{js,css}', 'site.css'), true);
    assert.equal(m('*.{js,css}', 'site.html'), false);
    assert.equal(m('\\*.txt', '*.txt'), true);
    assert.equal(m('\\*.txt', 'a.txt'), false);
    assert.equal(m('./static/*', 'static/a'), true);
  });
  it('tells the folder a pattern matches inside a path', () => {
    assert.equal(new Glob('sta*').matchedPrefix('static/css/a.css'), 'static');
    assert.equal(new Glob('lib').matchedPrefix('static/a'), undefined);
  });
  it('refuses malformed and oversized patterns with a reason', () => {
    assert.throws(() => new Glob('a[bc'), /'\[' in 'a\[bc' is not closed/);
    assert.throws(() => new Glob('{a,b'), /column 1 is not closed/);
    assert.throws(() => new Glob('{a,{b}}'), /nested/);
    assert.throws(() => new Glob('[z-a]'), /runs backwards/);
    assert.throws(() => new Glob('x'.repeat(2000)), GlobError);
    assert.throws(() => new Glob('{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}'), /more than 64 alternatives/);
  });
  it('takes a pattern written to make a backtracking matcher hang in one pass', () => {
    const glob = new Glob('**/' + '*a'.repeat(40) + 'b');
    const path = Array.from({ length: 30 }, () => 'a'.repeat(60)).join('/');
    assert.equal(glob.matches(path), false);
  });
});
