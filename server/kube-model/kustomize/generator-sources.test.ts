import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadPairs, parseEnvFile, parseFileSource, parseLiteral, SourceError } from './generator-sources';
import { memoryHost } from './memory-host';

const problem = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof SourceError, String(e));
    return e.problem;
  }
  return assert.fail('expected a SourceError');
};

describe('generator sources', () => {
  it('reads env files as kustomize does', () => {
    assert.deepEqual(parseEnvFile('\ufeffA=1\n# comment\n\n   B = 2 \r\nC\nD=x=y\n\ufeffE=5'), [
      { key: 'A', value: '1' },
      { key: 'B ', value: ' 2 ' },
      { key: 'C', value: '' },
      { key: 'D', value: 'x=y' },
      { key: '\ufeffE', value: '5' },
    ]);
  });

  it('reads literals and removes one pair of matching quotes', () => {
    assert.deepEqual(parseLiteral('k="v"', 0), { key: 'k', value: 'v' });
    assert.deepEqual(parseLiteral("k='v'", 0), { key: 'k', value: 'v' });
    assert.deepEqual(parseLiteral('k="v\'', 0), { key: 'k', value: '"v\'' });
    assert.deepEqual(parseLiteral('k=a=b', 0), { key: 'k', value: 'a=b' });
    assert.deepEqual(parseLiteral('k=', 0), { key: 'k', value: '' });
    assert.equal(problem(() => parseLiteral('=v', 3)).index, 3);
    assert.equal(problem(() => parseLiteral('novalue', 1)).field, 'literals');
  });

  it('reads file sources with and without a key', () => {
    assert.deepEqual(parseFileSource('dir/app.conf', 0), { key: 'app.conf', file: 'dir/app.conf' });
    assert.deepEqual(parseFileSource('cfg=dir/app.conf', 0), { key: 'cfg', file: 'dir/app.conf' });
    for (const bad of ['=f', 'k=', 'a=b=c']) assert.equal(problem(() => parseFileSource(bad, 2)).index, 2, bad);
  });

  it('loads envs, then literals, then files, inside the kustomization folder only', () => {
    const host = memoryHost({ '/k/a.env': 'E=1\n', '/k/conf/x.txt': 'text\n', '/outside.env': 'S=1' });
    const { pairs, files } = loadPairs({ literals: ['L=2'], files: ['conf/x.txt'], envs: ['a.env'] }, host, '/k');
    assert.deepEqual(pairs, [
      { key: 'E', value: '1' },
      { key: 'L', value: '2' },
      { key: 'x.txt', value: 'text\n' },
    ]);
    assert.deepEqual(files, ['/k/a.env', '/k/conf/x.txt']);
    assert.match(problem(() => loadPairs({ envs: ['../outside.env'] }, host, '/k')).message, /not in or below/);
    assert.deepEqual(
      problem(() => loadPairs({ files: ['missing.txt'] }, host, '/k')),
      {
        field: 'files',
        index: 0,
        message: "cannot read file 'missing.txt' (missing, unreadable or a folder)",
      },
    );
    assert.equal(problem(() => loadPairs({ files: ['conf'] }, host, '/k')).field, 'files', 'a folder is not a file');
    assert.equal(problem(() => loadPairs({ literals: 'a=b' }, host, '/k')).field, 'literals');
    assert.equal(problem(() => loadPairs({ literals: ['a=b', 7] }, host, '/k')).index, 1);
  });
});
