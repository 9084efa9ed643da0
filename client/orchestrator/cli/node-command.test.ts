import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseKubeconfig } from './cluster-api-client';
import { kubeconfigText } from './data-dir';
import { runNodeCommand } from './node-command';

async function run(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runNodeCommand(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, {});
  return { code, out, err };
}

describe('kube-workbench node stop|start', () => {
  it('explains bad command lines with exit 2', async () => {
    for (const [argv, message] of [
      [['pause', 'n'], /unknown node command 'pause'/],
      [['stop'], /node stop needs one node name/],
      [['stop', 'a', 'b'], /node stop needs one node name/],
      [['start', 'Bad_Name'], /'Bad_Name' is not a node name/],
      [['stop', '__proto__'], /'__proto__' is not a node name/],
      [['stop', 'n', '--data-dir'], /--data-dir needs a directory/],
      [['stop', 'n', '--force'], /unknown option '--force'/],
    ] as const) {
      const r = await run([...argv]);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.err.join('\n'), message);
    }
  });

  it('says when no cluster runs from the data directory (exit 1)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kw-node-'));
    try {
      const r = await run(['stop', 'kube-workbench-node-1', '--data-dir', dir]);
      assert.equal(r.code, 1);
      assert.match(r.err.join('\n'), /no cluster is running from .*: start one with 'kube-workbench cluster start'/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the kubeconfig cluster start writes', () => {
    const text = kubeconfigText('https://127.0.0.1:1234', 'tok', '-----BEGIN CERTIFICATE-----\nX\n');
    assert.deepEqual(parseKubeconfig(text), {
      server: 'https://127.0.0.1:1234',
      ca: '-----BEGIN CERTIFICATE-----\nX\n',
      token: 'tok',
    });
    assert.throws(() => parseKubeconfig('apiVersion: v1\n'), /no server/);
  });
});
