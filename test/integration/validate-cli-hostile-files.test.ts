/**
 * `kube-workbench validate` on folders a careless or hostile user hands it
 * (issue #12, finding 9): symbolic link loops, folders and files it cannot
 * read, FIFOs, a BOM, CR-only line endings. It must report each, go on with
 * the rest, never hang, and say with its exit code whether it read everything.
 * Needs `npm run build` first (server/out/cli.js).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'scripts', 'kube-workbench.js');
const EXIT = { clean: 0, errorsFound: 1, usage: 2, couldNotRead: 3 };

/** A ConfigMap whose name is invalid at line 4, column 9. */
const BAD_NAME = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: Bad_Name', 'data:', '  a: b', ''];
/** An unknown kind at line 1, column 7. */
const BAD_KIND = ['kind: ConfigMapp', 'apiVersion: v1', 'metadata:', '  name: a', ''];

interface Run {
  code: number | null;
  out: string;
  err: string;
}

function validate(cwd: string, ...args: string[]): Run {
  const r = spawnSync(process.execPath, [BIN, 'validate', ...args], { cwd, encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.error, undefined, `validate did not finish: ${String(r.error)}`);
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function noStackTrace(run: Run): void {
  assert.doesNotMatch(run.err, /\n\s+at /, `a stack trace:\n${run.err}`);
}

describe('validate on hostile folders', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kw-validate-'));
  });
  after(() => {
    chmodSync(join(dir, 'locked', 'secret'), 0o755);
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports a symbolic link loop once, checks every file and exits with the findings’ code', () => {
    const root = join(dir, 'loop');
    mkdirSync(join(root, 'a', 'b'), { recursive: true });
    writeFileSync(join(root, 'a', 'b', 'bad.yaml'), BAD_NAME.join('\n'));
    symlinkSync('../..', join(root, 'a', 'b', 'up')); // back to `loop`
    symlinkSync('self', join(root, 'self')); // a link to itself: ELOOP
    const run = validate(root, '.');
    noStackTrace(run);
    assert.match(run.out, /^a\/b\/bad\.yaml:4:9: error invalid-name [^\n]*\n$/, 'one finding, the file read once');
    assert.match(run.err, /skipped a\/b\/up: it leads back to a folder that contains it/);
    assert.equal(run.code, EXIT.errorsFound, run.err);
  });

  it('names what it cannot read, still reports the other files, and exits 3', () => {
    const root = join(dir, 'locked');
    mkdirSync(join(root, 'secret'), { recursive: true });
    writeFileSync(join(root, 'secret', 'hidden.yaml'), BAD_KIND.join('\n'));
    writeFileSync(join(root, 'good.yaml'), BAD_NAME.join('\n'));
    // Unreadable even as root: a link to nothing, and a file whose read fails (EIO).
    symlinkSync('gone.yaml', join(root, 'dangling.yaml'));
    symlinkSync('/proc/self/mem', join(root, 'io-error.yaml'));
    chmodSync(join(root, 'secret'), 0o000); // root reads it anyway: only checked when not root
    const run = validate(root, '.');
    noStackTrace(run);
    assert.match(run.out, /^good\.yaml:4:9: error invalid-name /m, 'the readable file’s findings are reported');
    assert.match(run.err, /cannot read dangling\.yaml: it is a symbolic link to nothing/);
    assert.match(run.err, /cannot read io-error\.yaml: input\/output error \(EIO\)/);
    if (process.getuid?.() !== 0) assert.match(run.err, /cannot read secret: permission denied \(EACCES\)/);
    assert.match(run.err, /paths could not be read; the rest were checked/);
    assert.equal(run.code, EXIT.couldNotRead);
  });

  it('never opens a FIFO, in a folder or named, and does not hang', () => {
    const root = join(dir, 'fifo');
    mkdirSync(root);
    const made = spawnSync('mkfifo', [join(root, 'pipe.yaml')]);
    assert.equal(made.status, 0, 'mkfifo');
    writeFileSync(join(root, 'ok.yaml'), BAD_KIND.join('\n'));
    for (const target of ['.', 'pipe.yaml']) {
      const run = validate(root, target);
      noStackTrace(run);
      assert.match(run.err, /cannot read pipe\.yaml: it is a FIFO \(named pipe\), not a regular file; skipped/);
      assert.equal(run.code, EXIT.couldNotRead);
    }
    assert.match(validate(root, '.').out, /^ok\.yaml:1:7: error unknown-kind /m);
  });

  it('reports line 1 of a file with a BOM at the column the editor shows', () => {
    const root = join(dir, 'bom');
    mkdirSync(root);
    writeFileSync(join(root, 'bom.yaml'), `\uFEFF${BAD_KIND.join('\n')}`);
    const run = validate(root, 'bom.yaml', '--format', 'json');
    const [finding] = JSON.parse(run.out) as { line: number; column: number; code: string }[];
    assert.deepEqual(finding && { line: finding.line, column: finding.column, code: finding.code }, {
      line: 1,
      column: 7,
      code: 'unknown-kind',
    });
  });

  it('reads CR-only line endings as line breaks, as kubectl does, at the editor’s positions', () => {
    const root = join(dir, 'cr');
    mkdirSync(root);
    writeFileSync(join(root, 'cr.yaml'), `${BAD_NAME.join('\r')}---\r${BAD_KIND.join('\r')}`);
    writeFileSync(join(root, 'crlf.yaml'), BAD_NAME.join('\r\n'));
    const run = validate(root, 'cr.yaml', 'crlf.yaml');
    assert.doesNotMatch(run.out, /yaml-syntax/);
    const positions = run.out
      .trim()
      .split('\n')
      .map((l) => l.split(' ').slice(0, 3).join(' '));
    // The second document starts at line 8 (line 7 is `---`): the editor counts a lone CR as a line break too.
    assert.deepEqual(positions, [
      'cr.yaml:4:9: error invalid-name',
      'cr.yaml:8:7: error unknown-kind',
      // Both files define ConfigMap Bad_Name: the cross-file check says so.
      'crlf.yaml:4:9: error duplicate-resource',
      'crlf.yaml:4:9: error invalid-name',
    ]);
    assert.equal(run.code, EXIT.errorsFound);
  });

  it('documents its exit codes in its help', () => {
    const run = validate(dir, '--help');
    assert.match(run.out, /exit codes:\n\s+0 .*\n\s+1 .*errors found\n\s+2 .*usage.*\n\s+3 .*could not be read/);
  });
});
