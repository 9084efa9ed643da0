/**
 * `kube-workbench build` on the real Docker engine: help and usage errors,
 * hostile requests and contexts refused naming the fault (nothing built),
 * `--events json` with a FIFO skipped as a warning and a `!` exception of
 * `.dockerignore` honoured, and a second build of the same context found up
 * to date instead of rebuilt.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DockerClient } from '../../client/orchestrator/kubelet/docker-client.js';
import { parseBuildEvent, type BuildEvent } from '../../client/orchestrator/protocol/build-events.js';
import { BIN } from './support/cluster-process.js';
import { ensureBusyboxImage } from './support/test-image.js';

function build(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [BIN, 'build', ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    ...(input !== undefined ? { input } : {}),
  });
  const events = r.stdout
    .split('\n')
    .map(parseBuildEvent)
    .filter((e): e is BuildEvent => e !== undefined);
  return { code: r.status, out: r.stdout, err: r.stderr, events };
}

describe('kube-workbench build (Docker)', { timeout: 120_000 }, () => {
  const engine = new DockerClient();
  let root = '';
  let base = '';
  const image = `kw-test/build-cli-${process.pid}`;

  before(async () => {
    base = await ensureBusyboxImage(engine);
    root = mkdtempSync(join(tmpdir(), 'kw-build-cli-'));
  });
  after(() => {
    if (root) rmSync(root, { recursive: true, force: true });
    const ids = execFileSync('docker', ['images', '-q', image], { encoding: 'utf8' }).split('\n').filter(Boolean);
    if (ids.length > 0) spawnSync('docker', ['rmi', '-f', ...new Set(ids)]);
  });

  it('prints its help and refuses a wrong command line with exit 2', () => {
    assert.match(build(['--help']).out, /^usage: kube-workbench build --request FILE\|-/);
    const missing = build([]);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /--request FILE \(or - for standard input\) is required/);
    assert.equal(build(['--request', '-', '--events', 'xml']).code, 2);
  });

  it('refuses a hostile request or context naming the fault, and builds nothing', () => {
    const bad = build(
      ['--request', '-', '--events', 'json'],
      '{"artifacts":[{"image":"web","context":".","buildArgs":{"N":1e400}}]}',
    );
    assert.equal(bad.code, 1);
    assert.match(JSON.stringify(bad.events[0]), /artifacts\[0\]\.buildArgs\.N: must be a string/);
    assert.deepEqual(bad.events.at(-1), { type: 'result', ok: false, images: {} });

    const ctx = join(root, 'outside');
    mkdirSync(ctx);
    writeFileSync(join(root, 'Dockerfile'), `FROM ${base}\n`);
    const request = JSON.stringify({ artifacts: [{ image, context: ctx, dockerfile: '../Dockerfile' }] });
    const outside = build(['--request', '-'], request);
    assert.equal(outside.code, 1);
    assert.match(outside.err, /the Dockerfile \.\.\/Dockerfile is outside the build context/);
    assert.equal(execFileSync('docker', ['images', '-q', image], { encoding: 'utf8' }), '');
  });

  it('builds with events, honouring .dockerignore, and finds an unchanged context up to date', () => {
    const ctx = join(root, 'app');
    mkdirSync(join(ctx, 'logs'), { recursive: true });
    writeFileSync(
      join(ctx, 'Dockerfile'),
      `FROM ${base}\nCOPY . /app/\nRUN test -f /app/logs/keep.log && test ! -e /app/logs/drop.log\n`,
    );
    writeFileSync(join(ctx, '.dockerignore'), 'logs\n!logs/keep.log\n');
    writeFileSync(join(ctx, 'logs', 'keep.log'), 'k');
    writeFileSync(join(ctx, 'logs', 'drop.log'), 'd');
    execFileSync('mkfifo', [join(ctx, 'pipe')]);
    const request = JSON.stringify({ artifacts: [{ image, context: ctx }] });
    const first = build(['--request', '-', '--events', 'json'], request);
    assert.equal(first.code, 0, first.out + first.err);
    assert.deepEqual(
      first.events.find((e) => e.type === 'warning'),
      { type: 'warning', image, message: 'pipe: skipped, it is a FIFO' },
    );
    assert.deepEqual(
      first.events.filter((e) => e.type === 'step').map((e) => (e.type === 'step' ? [e.step, e.total, e.line] : [])),
      [
        [1, 3, 1],
        [2, 3, 2],
        [3, 3, 3],
      ],
    );
    const result = first.events.at(-1);
    assert.equal(result?.type, 'result');
    const tag = result?.type === 'result' ? result.images[image] : undefined;
    assert.match(tag ?? '', new RegExp(`^${image}:kw-[0-9a-f]{16}$`));

    writeFileSync(join(ctx, 'logs', 'drop.log'), 'changed but ignored');
    const second = build(['--request', '-', '--events', 'json'], request);
    assert.equal(second.code, 0, second.err);
    assert.deepEqual(
      second.events.filter((e) => e.type !== 'warning'),
      [
        { type: 'cached', image, tag },
        { type: 'result', ok: true, images: { [image]: tag } },
      ],
    );
  });
});
