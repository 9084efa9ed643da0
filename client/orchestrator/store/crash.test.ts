import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FakeClock } from '../clock';
import { ObjectStore } from './object-store';

/** Runs the writer until it has acknowledged `count` writes, then kill -9's it. */
function writeThenKill(
  dir: string,
  prefix: string,
  count: number,
): Promise<{ acked: Set<string>; updated: Set<string> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'crash-writer.ts'), dir, prefix], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const acked = new Set<string>();
    const updated = new Set<string>();
    let buffered = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('ack ')) acked.add(line.slice(4));
        if (line.startsWith('upd ')) updated.add(line.slice(4));
      }
      if (acked.size >= count && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited on its own (code ${String(code)})`));
      else resolve({ acked, updated });
    });
  });
}

describe('crash safety', () => {
  it('keeps every acknowledged write after kill -9, twice in a row', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kw-crash-'));
    try {
      const allAcked = new Set<string>();
      const allUpdated = new Set<string>();
      for (let round = 0; round < 2; round++) {
        // The second round starts on top of the first one's log and snapshot.
        const { acked, updated } = await writeThenKill(dir, `round${round}`, 1500);
        for (const name of acked) allAcked.add(name);
        for (const name of updated) allUpdated.add(name);
        const store = await ObjectStore.open({ clock: new FakeClock(), dataDir: dir });
        const names = new Set(store.list('/configmaps').items.map((o) => o.metadata.name!));
        const missing = [...allAcked].filter((n) => !names.has(n));
        assert.deepEqual(missing, [], `round ${round}: acknowledged writes lost`);
        const notUpdated = [...allUpdated].filter(
          (n) => (store.get('/configmaps', 'default', n)?.data as { updated?: string } | undefined)?.updated !== 'yes',
        );
        assert.deepEqual(notUpdated, [], `round ${round}: acknowledged updates lost`);
        assert.ok(allUpdated.size > 0);
        // Unacknowledged writes may or may not be there, but resourceVersions stay unique and dense.
        const rvs = store
          .list('/configmaps')
          .items.map((o) => Number(o.metadata.resourceVersion))
          .sort((a, b) => a - b);
        assert.equal(new Set(rvs).size, rvs.length);
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
