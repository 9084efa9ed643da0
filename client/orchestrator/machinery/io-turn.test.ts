import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { requestStarted } from '../api/request-priority';
import { FakeClock } from '../clock';
import { runWorkers } from './controller-runner';
import { WorkQueue } from './work-queue';

describe('turnIfDue', () => {
  it('lets I/O and timers run between slices of workers whose reconciles never wait', async () => {
    const queue = new WorkQueue(new FakeClock());
    const keys = 5000;
    for (let i = 0; i < keys; i++) queue.add(`k-${i}`);
    let processed = 0;
    let seenByTimer: number | undefined;
    setTimeout(() => (seenByTimer = processed), 0);
    let finished: () => void = () => {};
    const all = new Promise<void>((resolve) => (finished = resolve));
    const running = runWorkers('spin', queue, 4, () => {
      // Some CPU per key, resolved at once: without turns, only microtasks would run until the queue is empty.
      const until = performance.now() + 0.05;
      while (performance.now() < until);
      if (++processed === keys) finished();
      return Promise.resolve();
    });
    await all;
    await running.stop();
    assert.ok(seenByTimer !== undefined && seenByTimer < keys, `the timer ran after ${seenByTimer} of ${keys} keys`);
  });

  it('holds every worker back while a request is answered, and lets them finish the queue after', async () => {
    const queue = new WorkQueue(new FakeClock());
    const keys = 5000;
    for (let i = 0; i < keys; i++) queue.add(`k-${i}`);
    let processed = 0;
    let finished: () => void = () => {};
    const all = new Promise<void>((resolve) => (finished = resolve));
    const running = runWorkers('spin', queue, 4, () => {
      const until = performance.now() + 0.05;
      while (performance.now() < until);
      if (++processed === keys) finished();
      return Promise.resolve();
    });
    await new Promise((r) => setTimeout(r, 0));
    const answered = requestStarted();
    const atRequest = processed;
    assert.ok(atRequest < keys, 'the workers were still busy when the request came');
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    assert.equal(processed, atRequest, 'no key was processed while the request was in flight');
    answered();
    await all;
    await running.stop();
    assert.equal(processed, keys);
  });

  it('never lets requests that overlap without end starve the workers', { timeout: 30_000 }, async () => {
    const queue = new WorkQueue(new FakeClock());
    const keys = 200;
    for (let i = 0; i < keys; i++) queue.add(`k-${i}`);
    let processed = 0;
    let finished: () => void = () => {};
    const all = new Promise<void>((resolve) => (finished = resolve));
    const running = runWorkers('spin', queue, 2, () => {
      const until = performance.now() + 0.5;
      while (performance.now() < until);
      if (++processed === keys) finished();
      return Promise.resolve();
    });
    // A new request starts every 20 ms, each answered 60 ms later: one is always in flight.
    let open = requestStarted();
    const stream = setInterval(() => {
      const previous = open;
      open = requestStarted();
      setTimeout(previous, 60);
    }, 20);
    try {
      await all;
    } finally {
      clearInterval(stream);
      open();
    }
    await running.stop();
    assert.equal(processed, keys);
  });
});
