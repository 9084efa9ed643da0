import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FileWatcher, type WatchBatch } from './file-watcher';

/** Batches as they come, and a wait for the first that satisfies a condition (bounded). */
class Batches {
  readonly seen: WatchBatch[] = [];
  private waiters: (() => void)[] = [];
  push = (b: WatchBatch) => {
    this.seen.push(b);
    for (const w of this.waiters.splice(0)) w();
  };
  async until(test: (all: WatchBatch[]) => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!test(this.seen)) {
      const left = deadline - Date.now();
      if (left <= 0) assert.fail(`no batch with ${what}; seen ${JSON.stringify(this.seen)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => (clearTimeout(t), resolve()));
      });
    }
  }
}

const changed = (all: WatchBatch[]) => all.flatMap((b) => b.changed);
const deleted = (all: WatchBatch[]) => all.flatMap((b) => b.deleted);

describe('file watcher', () => {
  const root = mkdtempSync(join(tmpdir(), 'kw-watch-'));
  const batches = new Batches();
  const problems: string[] = [];
  let watcher: FileWatcher;

  before(async () => {
    mkdirSync(join(root, 'src', 'deep', 'er'), { recursive: true });
    mkdirSync(join(root, '.git'));
    mkdirSync(join(root, 'ignored'));
    writeFileSync(join(root, 'src', 'app.py'), 'v1');
    writeFileSync(join(root, 'src', 'deep', 'er', 'old.txt'), 'old');
    symlinkSync(root, join(root, 'src', 'loop')); // a link back to the root
    execFileSync('mkfifo', [join(root, 'pipe')]);
    watcher = await FileWatcher.start({
      roots: [root],
      onBatch: batches.push,
      onProblem: (m) => problems.push(m),
      ignore: (p) => p.endsWith('/ignored'),
      debounceMs: 50,
    });
  });
  after(() => {
    watcher.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('watches every real folder once, not through the link loop, .git or ignored folders', () => {
    assert.equal(watcher.folderCount, 4); // root, src, src/deep, src/deep/er
  });

  it('reports a changed file once per batch for several writes', async () => {
    const file = join(root, 'src', 'app.py');
    for (let i = 0; i < 5; i++) writeFileSync(file, `v${i + 2}`);
    await batches.until((all) => changed(all).includes(file), 'src/app.py changed');
    assert.equal(batches.seen[0]!.changed.filter((p) => p === file).length, 1);
  });

  it('reports files of a new folder, and the deleted files of a removed folder', async () => {
    mkdirSync(join(root, 'src', 'new', 'sub'), { recursive: true });
    writeFileSync(join(root, 'src', 'new', 'sub', 'n.py'), 'n');
    await batches.until((all) => changed(all).includes(join(root, 'src', 'new', 'sub', 'n.py')), 'a new nested file');
    rmSync(join(root, 'src', 'deep'), { recursive: true });
    await batches.until((all) => deleted(all).includes(join(root, 'src', 'deep', 'er', 'old.txt')), 'old.txt deleted');
  });

  it('leaves out a temporary file created and removed before it was seen, and ignored folders', async () => {
    const temp = join(root, 'src', '.app.py.swp');
    writeFileSync(temp, 'x');
    unlinkSync(temp);
    writeFileSync(join(root, 'ignored', 'x'), 'x');
    const marker = join(root, 'src', 'marker');
    writeFileSync(marker, 'm');
    await batches.until((all) => changed(all).includes(marker), 'the marker');
    assert.ok(!changed(batches.seen).includes(temp) && !deleted(batches.seen).includes(temp));
    assert.ok(!changed(batches.seen).some((p) => p.includes('/ignored/')));
  });

  it('says so when a tree has more folders than it may watch', async () => {
    const big = mkdtempSync(join(tmpdir(), 'kw-watch-big-'));
    for (let i = 0; i < 30; i++) mkdirSync(join(big, `d${i}`));
    const said: string[] = [];
    const w = await FileWatcher.start({
      roots: [big],
      onBatch: () => undefined,
      onProblem: (m) => said.push(m),
      maxFolders: 10,
    });
    w.close();
    rmSync(big, { recursive: true });
    assert.equal(w.folderCount, 0);
    assert.equal(said.length, 1);
    assert.match(said[0]!, /more than 10 folders/);
    assert.deepEqual(problems, []);
  });
});
