/**
 * `kube-workbench validate` on files of any size and encoding (issue #17,
 * item 11): a 40 MB file is checked document by document under a small heap
 * (memory bounded by the largest document, not the file), bytes that are not
 * UTF-8 are an error at their line, and UTF-16 with a byte order mark is
 * read. Needs `npm run build` first (server/out/cli.js).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'scripts', 'kube-workbench.js');
const TIME = '/usr/bin/time';

interface Run {
  code: number | null;
  out: string;
  err: string;
  /** Peak resident set size in KiB, when /usr/bin/time is there to measure it. */
  maxRssKiB: number | undefined;
}

/** Runs validate under a V8 heap cap, through /usr/bin/time when present to read the peak RSS. */
function validate(cwd: string, heapMiB: number, ...args: string[]): Run {
  const node = [`--max-old-space-size=${heapMiB}`, BIN, 'validate', ...args];
  const measured = existsSync(TIME);
  const r = measured
    ? spawnSync(TIME, ['-f', 'maxrss=%M', process.execPath, ...node], { cwd, encoding: 'utf8', timeout: 50_000 })
    : spawnSync(process.execPath, node, { cwd, encoding: 'utf8', timeout: 50_000 });
  assert.equal(r.error, undefined, `validate did not finish: ${String(r.error)}`);
  const rss = /maxrss=(\d+)/.exec(r.stderr)?.[1];
  return { code: r.status, out: r.stdout, err: r.stderr, maxRssKiB: rss === undefined ? undefined : Number(rss) };
}

const configMap = (name: string): string =>
  [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    `  name: ${name}`,
    'data:',
    ...Array.from({ length: 20 }, (_, k) => `  key${k}: ${'x'.repeat(180)}`),
    '',
  ].join('\n');

describe('validate on large files and other encodings', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kw-validate-large-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('checks every document of a 40 MB file under a 48 MB heap and reports the invalid one near the end', (t) => {
    const fd = openSync(join(dir, 'big.yaml'), 'w');
    let size = 0;
    let docs = 0;
    while (size < 40 * 1024 * 1024) {
      const text = `${docs === 0 ? '' : '---\n'}${configMap(`settings-${docs}`)}`;
      writeSync(fd, text);
      size += text.length;
      docs++;
    }
    writeSync(fd, `---\n${configMap('Bad_Name')}---\n${configMap('last')}`);
    closeSync(fd);
    const run = validate(dir, 48, 'big.yaml');
    const line = docs * 26 + 4; // 25 lines and a marker per document; the name is the 4th line
    assert.equal(run.out, `big.yaml:${line}:9: error invalid-name ${/invalid-name (.*)\n/.exec(run.out)?.[1] ?? ''}\n`);
    assert.match(run.out, /metadata\.name: Invalid value: "Bad_Name"/);
    assert.equal(run.code, 1, run.err);
    t.diagnostic(
      `40 MB, ${docs + 2} documents: peak RSS ${run.maxRssKiB === undefined ? 'not measured' : `${Math.round(run.maxRssKiB / 1024)} MiB`}`,
    );
  });

  it('reports bytes that are not UTF-8 at their line and column, and still checks the rest', () => {
    const bytes = Buffer.concat([
      Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  greeting: caf'),
      Buffer.from([0xe9]), // Latin-1 é: a UTF-8 lead byte whose continuation is missing
      Buffer.from('\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: B\n'),
    ]);
    writeFileSync(join(dir, 'latin1.yaml'), bytes);
    const run = validate(dir, 256, 'latin1.yaml');
    const lines = run.out.trim().split('\n');
    assert.match(lines[0] ?? '', /^latin1\.yaml:6:16: error invalid-encoding invalid trailing UTF-8 octet: /);
    assert.match(lines[1] ?? '', /^latin1\.yaml:11:9: error invalid-name /);
    assert.equal(lines.length, 2, run.out);
    assert.equal(run.code, 1);
  });

  it('reads UTF-16 with a byte order mark, little- and big-endian, at the right lines', () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Nö\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    // Other names in the second file: the same objects twice would (rightly) be duplicates across files.
    const other = text.replace('name: ok', 'name: ok-2').replace('name: Nö', 'name: Nä');
    const be = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(other, 'utf16le')]).swap16();
    writeFileSync(join(dir, 'le.yaml'), le);
    writeFileSync(join(dir, 'be.yaml'), be);
    const run = validate(dir, 256, 'le.yaml', 'be.yaml');
    assert.deepEqual(
      run.out
        .trim()
        .split('\n')
        .map((l) => l.split(' ').slice(0, 3).join(' ')),
      ['le.yaml:9:9: error invalid-name', 'be.yaml:9:9: error invalid-name'],
    );
  });
});
