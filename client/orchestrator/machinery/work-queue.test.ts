import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { FakeClock } from '../clock';
import { runWorkers } from './controller-runner';
import { WorkQueue } from './work-queue';

describe('WorkQueue', () => {
  it('hands out a key queued twice only once', async () => {
    const queue = new WorkQueue(new FakeClock());
    queue.add('a');
    queue.add('b');
    queue.add('a');
    assert.equal(queue.length, 2);
    assert.equal(await queue.get(), 'a');
    assert.equal(await queue.get(), 'b');
    assert.equal(queue.length, 0);
  });

  it('processes a key added while it is being processed again after done, never concurrently', async () => {
    const queue = new WorkQueue(new FakeClock());
    queue.add('a');
    const key = await queue.get();
    queue.add('a');
    assert.equal(queue.length, 0, 'not handed to a second worker while held');
    queue.done(key!);
    assert.equal(queue.length, 1);
    assert.equal(await queue.get(), 'a');
  });

  it('requeues failures with doubling delays until forget', async () => {
    const clock = new FakeClock();
    const queue = new WorkQueue(clock, { baseDelayMs: 10, maxDelayMs: 40 });
    queue.addRateLimited('a');
    clock.advance(9);
    assert.equal(queue.length, 0);
    clock.advance(1);
    assert.equal(await queue.get(), 'a');
    queue.done('a');
    queue.addRateLimited('a');
    clock.advance(19);
    assert.equal(queue.length, 0);
    clock.advance(1);
    assert.equal(queue.length, 1);
    assert.equal(queue.numRequeues('a'), 2);
    queue.addRateLimited('b');
    queue.addRateLimited('b');
    queue.addRateLimited('b');
    queue.addRateLimited('b');
    assert.equal(queue.numRequeues('b'), 4);
    clock.advance(10);
    assert.equal(queue.length, 2, 'the earliest pending time wins');
    queue.forget('a');
    assert.equal(queue.numRequeues('a'), 0);
  });

  it('wakes a waiting worker and returns undefined after shutdown', async () => {
    const queue = new WorkQueue(new FakeClock());
    const waiting = queue.get();
    queue.add('x');
    assert.equal(await waiting, 'x');
    const next = queue.get();
    queue.shutDown();
    assert.equal(await next, undefined);
    queue.add('y');
    assert.equal(queue.length, 0);
  });
});

describe('runWorkers', () => {
  it('retries a failing key with backoff and stops cleanly', async () => {
    const clock = new FakeClock();
    const queue = new WorkQueue(clock, { baseDelayMs: 100 });
    const seen: string[] = [];
    let fail = true;
    const running = runWorkers('test', queue, 2, (key) => {
      seen.push(key);
      if (fail) {
        fail = false;
        return Promise.reject(new Error('boom'));
      }
      return Promise.resolve();
    });
    const stderr = Object.getOwnPropertyDescriptor(process.stderr, 'write');
    process.stderr.write = () => true;
    try {
      queue.add('k');
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(seen, ['k']);
      clock.advance(100);
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(seen, ['k', 'k']);
      assert.equal(queue.numRequeues('k'), 0, 'success forgets the failures');
    } finally {
      if (stderr) Object.defineProperty(process.stderr, 'write', stderr);
      else delete (process.stderr as { write?: unknown }).write;
    }
    await running.stop();
  });
});
