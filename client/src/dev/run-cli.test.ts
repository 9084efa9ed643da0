import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli } from './run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'kw-run-cli-'));
after(() => rmSync(root, { recursive: true, force: true }));

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    cwd: root,
    cliScript: '/nonexistent',
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('kube-workbench run (command line)', () => {
  it('prints help, and refuses a wrong command line with exit 2', async () => {
    assert.equal((await run('--help')).code, 0);
    assert.match((await run('--nope')).err, /unknown flag: --nope/);
    assert.equal((await run('--timeout', '1.5')).code, 2);
    assert.equal((await run('--timeout')).code, 2);
  });

  it('fails with the position of a skaffold.yaml fault, before building or applying anything', async () => {
    writeFileSync(
      join(root, 'skaffold.yaml'),
      'apiVersion: skaffold/v4beta1\nkind: Config\nbuild:\n  artifacts:\n    - image: "Not An Image"\n',
    );
    const r = await run(root);
    assert.equal(r.code, 1);
    assert.match(r.err, /skaffold\.yaml:5:\d+: image 'Not An Image' is not an image name/);
    assert.equal((await run(join(root, 'missing'))).code, 1);
  });
});
