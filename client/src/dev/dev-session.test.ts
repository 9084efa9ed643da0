import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { devEventText, type DevEvent } from './dev-events';
import { DevSession } from './dev-session';
import type { ContainerTarget, SyncChange } from './sync-copy';

describe('dev session', () => {
  const root = mkdtempSync(join(tmpdir(), 'kw-dev-session-'));
  const context = join(root, 'web');
  const manifest = join(root, 'k8s.yaml');
  const events: DevEvent[] = [];
  const copies: { target: ContainerTarget; change: SyncChange }[] = [];
  const redeploys: string[][] = [];
  const asked: string[] = [];
  let session: DevSession;
  let build = 1;
  let failNext = false;

  const until = async (test: () => boolean, what: string) => {
    const deadline = Date.now() + 10_000;
    while (!test()) {
      if (Date.now() > deadline) assert.fail(`${what}; events: ${events.map(devEventText).join(' | ')}`);
      await session.idle();
      await new Promise((r) => setImmediate(r));
    }
  };
  const last = (type: DevEvent['type']) => events.filter((e) => e.type === type).at(-1);

  before(async () => {
    mkdirSync(join(context, 'static'), { recursive: true });
    writeFileSync(join(context, 'Dockerfile'), 'FROM base\nWORKDIR /srv\nCOPY app.py .\nCOPY static static\n');
    writeFileSync(join(context, 'app.py'), 'v1');
    writeFileSync(join(context, 'static', 'a.css'), 'a');
    writeFileSync(join(context, 'requirements.txt'), 'flask');
    writeFileSync(manifest, 'kind: Deployment');
    session = new DevSession({
      artifacts: [
        {
          image: 'web',
          context,
          dockerfile: join(context, 'Dockerfile'),
          sync: { manual: [{ src: 'static/**', dest: '/www', strip: 'static/' }], infer: ['*.py'] },
        },
      ],
      manifests: [manifest],
      tags: { web: 'web:kw-1' },
      debounceMs: 30,
      findTargets: (reference) => {
        asked.push(reference);
        return Promise.resolve([
          { namespace: 'default', pod: 'web-a', container: 'app' },
          { namespace: 'default', pod: 'web-b', container: 'app' },
        ]);
      },
      copy: (target, change) => {
        copies.push({ target, change });
        return Promise.resolve();
      },
      redeploy: (images, _tags, progress) => {
        redeploys.push([...images]);
        if (failNext) {
          failNext = false;
          const problems = [{ file: join(context, 'Dockerfile'), line: 3, message: 'returned a non-zero code: 3' }];
          return Promise.resolve({ ok: false, tags: {}, error: 'Dockerfile:3: returned a non-zero code: 3', problems });
        }
        build++;
        for (const image of images) progress.built(image, `${image}:kw-${build}`, 1.25, false);
        return Promise.resolve({ ok: true, tags: Object.fromEntries(images.map((i) => [i, `${i}:kw-${build}`])) });
      },
      report: (e) => events.push(e),
    });
    await session.start();
  });
  after(async () => {
    await session.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('syncs a saved file a rule covers into every running container of the image, to where the rule puts it', async () => {
    writeFileSync(join(context, 'app.py'), 'v2');
    await until(() => events.some((e) => e.type === 'synced'), 'a sync');
    assert.deepEqual(asked, ['web:kw-1']);
    assert.deepEqual(
      copies.map((c) => [c.target.pod, c.change.files.map((f) => f.name)]),
      [
        ['web-a', ['/srv/app.py']],
        ['web-b', ['/srv/app.py']],
      ],
    );
    assert.equal(devEventText(last('synced')!).replace(/\d+ ms/, 'N ms'), 'synced 1 file to 2 pods in N ms');
    assert.deepEqual(redeploys, []);
  });

  it('removes a deleted synced file from the containers', async () => {
    copies.length = 0;
    unlinkSync(join(context, 'static', 'a.css'));
    await until(() => copies.length === 2, 'a deletion sync');
    assert.deepEqual(copies[0]!.change.deleted, ['/www/a.css']);
    assert.deepEqual(copies[0]!.change.files, []);
  });

  it('rebuilds when a file no rule covers changes, and syncs to the new tag afterwards', async () => {
    writeFileSync(join(context, 'requirements.txt'), 'flask\nrequests');
    await until(() => events.some((e) => e.type === 'rolled-out'), 'a rollout');
    assert.deepEqual(redeploys, [['web']]);
    assert.equal(devEventText(last('built')!), 'rebuilt web in 1.3 s, rolling out');
    assert.equal(session.currentTags.web, 'web:kw-2');
    copies.length = 0;
    writeFileSync(join(context, 'app.py'), 'v3');
    await until(() => copies.length === 2, 'a sync after the rebuild');
    assert.equal(asked.at(-1), 'web:kw-2');
  });

  it('rebuilds on a Dockerfile change even when a sync rule would cover it', async () => {
    redeploys.length = 0;
    writeFileSync(join(context, 'Dockerfile'), 'FROM base\nWORKDIR /srv\nCOPY . .\n');
    await until(() => redeploys.length === 1, 'a rebuild');
    assert.deepEqual(redeploys, [['web']]);
  });

  it('reports a failed rebuild with its Dockerfile line', async () => {
    redeploys.length = 0;
    failNext = true;
    writeFileSync(join(context, 'Dockerfile'), 'FROM base\nWORKDIR /srv\nRUN exit 3\n');
    await until(() => last('deploy-failed') !== undefined, 'a failed rebuild');
    const failed = last('deploy-failed');
    assert.ok(failed?.type === 'deploy-failed');
    assert.deepEqual(failed.problems, [
      { file: join(context, 'Dockerfile'), line: 3, message: 'returned a non-zero code: 3' },
    ]);
    assert.equal(devEventText(failed), 'rebuild failed: Dockerfile:3: returned a non-zero code: 3');
  });

  it('never opens a FIFO or follows a link a sync rule covers: the build decides what they are', async () => {
    redeploys.length = 0;
    copies.length = 0;
    execFileSync('mkfifo', [join(context, 'static', 'pipe')]);
    symlinkSync('/etc/passwd', join(context, 'static', 'link'));
    await until(() => redeploys.length === 1, 'a rebuild');
    assert.deepEqual(copies, []);
  });

  it('re-applies, building nothing, when a manifest changes', async () => {
    redeploys.length = 0;
    writeFileSync(manifest, 'kind: Deployment\n# changed');
    await until(() => redeploys.length === 1, 'a re-apply');
    assert.deepEqual(redeploys, [[]]);
  });

  it('stops: says so and watches nothing more', async () => {
    await session.stop();
    assert.equal(devEventText(last('stopped')!), 'dev mode stopped (the workloads keep running)');
    assert.equal(session.watchedFolders, 0);
  });
});
