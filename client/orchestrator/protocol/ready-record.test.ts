import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { lockHolder } from './data-dir-files';
import {
  parseReadyLine,
  parseReadyRecord,
  readReadyRecord,
  READY_RECORD_MAX_BYTES,
  readyLine,
  readyRecordPath,
  ReadyRecordError,
  recordOf,
  waitForReadyRecord,
  writeReadyRecord,
  type ReadyRecord,
} from './ready-record';

const SPAWNED_AT = Date.parse('2025-05-01T10:00:00.000Z');

function record(overrides: Partial<ReadyRecord> = {}): ReadyRecord {
  return {
    format: 1,
    pid: 4242,
    startedAt: '2025-05-01T10:00:00.250Z',
    readyAt: '2025-05-01T10:00:01.000Z',
    version: 'v1.34.0-kube-workbench',
    api: 'https://127.0.0.1:6443',
    kubeconfig: '/state/cluster/kubeconfig',
    ingress: 'http://127.0.0.1:8080',
    runtime: 'fake',
    ...overrides,
  };
}

const never = new Promise<string>(() => undefined);

describe('the ready record', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'kw-ready-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const fresh = (name: string) => {
    const d = join(dir, name);
    mkdirSync(d);
    return d;
  };

  it('reads back what the orchestrator wrote, and rides one stdout line', async () => {
    const d = fresh('round-trip');
    const r = record({ runtimeNote: 'no engine answered. Using the fake runtime (pods do not run).' });
    await writeReadyRecord(d, r);
    assert.deepEqual(await readReadyRecord(d), r);
    assert.deepEqual(parseReadyLine(readyLine(r)), r);
    assert.equal(parseReadyLine('api: https://127.0.0.1:6443'), undefined);
  });

  it('is absent, not an error, when no cluster wrote one', async () => {
    assert.equal(await readReadyRecord(fresh('none')), undefined);
  });

  it('says what is wrong with a record that is not one', () => {
    const bad = (json: string) => () => parseReadyRecord(json);
    assert.throws(bad('{"format":1,'), /it is not JSON/);
    assert.throws(bad('[1]'), /not a JSON object/);
    assert.throws(bad(JSON.stringify({ ...record(), format: 2 })), /its format is 2, not 1/);
    assert.throws(bad(JSON.stringify({ ...record(), pid: '4242' })), /"pid" is not a positive whole number/);
    assert.throws(bad(JSON.stringify({ ...record(), pid: -1 })), /"pid" is not a positive whole number/);
    assert.throws(bad(JSON.stringify({ ...record(), api: 'file:///etc/passwd' })), /"api" is not an http\(s\) URL/);
    assert.throws(bad(JSON.stringify({ ...record(), kubeconfig: 'kubeconfig' })), /not an absolute path/);
    assert.throws(bad(JSON.stringify({ ...record(), runtime: 'podman' })), /"runtime" is not one of docker, fake/);
    assert.throws(bad(JSON.stringify({ ...record(), startedAt: 'yesterday' })), /"startedAt" is not an ISO 8601/);
    assert.throws(bad(JSON.stringify({ ...record(), version: 7 })), /"version" is not a string/);
  });

  it('refuses a file too large, a symbolic link and a FIFO without blocking', async () => {
    const big = fresh('big');
    writeFileSync(readyRecordPath(big), ' '.repeat(READY_RECORD_MAX_BYTES + 1));
    await assert.rejects(readReadyRecord(big), /ready\.json is not valid: it is 65537 bytes, more than 65536/);

    const link = fresh('link');
    writeFileSync(join(link, 'elsewhere.json'), JSON.stringify(record()));
    symlinkSync(join(link, 'elsewhere.json'), readyRecordPath(link));
    await assert.rejects(readReadyRecord(link), /is not valid: it is a symbolic link/);

    const fifo = fresh('fifo');
    assert.equal(spawnSync('mkfifo', [readyRecordPath(fifo)]).status, 0);
    await assert.rejects(readReadyRecord(fifo), (e: unknown) => {
      assert.ok(e instanceof ReadyRecordError);
      assert.match(e.message, /is not valid: it is not a regular file/);
      return true;
    });

    const garbage = fresh('garbage');
    writeFileSync(readyRecordPath(garbage), '\u0000\u0001not json');
    await assert.rejects(readReadyRecord(garbage), /ready\.json is not valid: it is not JSON\./);
  });

  it('belongs to the process that was started, not to an earlier run', () => {
    assert.equal(recordOf(record(), 4242, SPAWNED_AT), true);
    assert.equal(recordOf(record(), 4243, SPAWNED_AT), false, 'another pid');
    assert.equal(
      recordOf(record({ startedAt: '2025-05-01T09:00:00.000Z' }), 4242, SPAWNED_AT),
      false,
      'the same pid an hour before the spawn',
    );
  });

  it('is waited for: a stale record is passed over until the new process writes its own', async () => {
    const d = fresh('wait');
    await writeReadyRecord(d, record({ pid: 1111 })); // an earlier run's
    const waiting = waitForReadyRecord({
      dataDir: d,
      pid: 4242,
      spawnedAt: SPAWNED_AT,
      exited: never,
      timeoutMs: 30_000,
    });
    await writeReadyRecord(d, record());
    const outcome = await waiting;
    assert.equal(outcome.kind, 'ready');
    assert.equal(outcome.kind === 'ready' && outcome.record.pid, 4242);
  });

  it('ends when the process exits first, with what was wrong with the file', async () => {
    const d = fresh('exit');
    writeFileSync(readyRecordPath(d), '{"format":');
    let exit!: (how: string) => void;
    const exited = new Promise<string>((resolve) => (exit = resolve));
    const waiting = waitForReadyRecord({ dataDir: d, pid: 4242, spawnedAt: SPAWNED_AT, exited, timeoutMs: 30_000 });
    exit('signal SIGKILL');
    assert.deepEqual(await waiting, {
      kind: 'exited',
      how: 'signal SIGKILL',
      invalid: `The ready record ${readyRecordPath(d)} is not valid: it is not JSON.`,
    });
  });

  it('ends when the time runs out', async () => {
    const outcome = await waitForReadyRecord({
      dataDir: fresh('timeout'),
      pid: 4242,
      spawnedAt: SPAWNED_AT,
      exited: never,
      timeoutMs: 50,
    });
    assert.deepEqual(outcome, { kind: 'timeout' });
  });

  it('names the lock holder of a data directory, and nothing for a lock that holds no pid', async () => {
    const d = fresh('lock');
    assert.equal(await lockHolder(d), undefined);
    writeFileSync(join(d, 'lock'), '4242\n');
    assert.equal(await lockHolder(d), 4242);
    writeFileSync(join(d, 'lock'), 'x'.repeat(100));
    assert.equal(await lockHolder(d), undefined);
  });
});
