import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { requestStarted } from '../api/request-priority';
import { FakeClock } from '../clock';
import { runWorkers } from './controller-runner';
import { WorkQueue } from './work-queue';

/** Workers spinning `msPerKey` of CPU on each of `keys` keys, every reconcile resolved at once. */
function spinningWorkers(keys: number, workers: number, msPerKey: number) {
  const queue = new WorkQueue(new FakeClock());
  for (let i = 0; i < keys; i++) queue.add(`k-${i}`);
  const state = { processed: 0 };
  let finished: () => void = () => {};
  const all = new Promise<void>((resolve) => (finished = resolve));
  const running = runWorkers('spin', queue, workers, () => {
    const until = performance.now() + msPerKey;
    while (performance.now() < until);
    if (++state.processed === keys) finished();
    return Promise.resolve();
  });
  return { state, all, stop: () => running.stop() };
}

describe('turnIfDue', () => {
  it('lets I/O and timers run between slices of workers whose reconciles never wait', async () => {
    // Some CPU per key, resolved at once: without turns, only microtasks would run until the queue is empty.
    const keys = 5000;
    let seenByTimer: number | undefined;
    const spin = spinningWorkers(keys, 4, 0.05);
    setTimeout(() => (seenByTimer = spin.state.processed), 0);
    await spin.all;
    await spin.stop();
    assert.ok(seenByTimer !== undefined && seenByTimer < keys, `the timer ran after ${seenByTimer} of ${keys} keys`);
  });

  it('holds every worker back while a request is answered, and lets them finish the queue after', async () => {
    const keys = 5000;
    const spin = spinningWorkers(keys, 4, 0.05);
    await new Promise((r) => setTimeout(r, 0));
    const answered = requestStarted();
    const atRequest = spin.state.processed;
    assert.ok(atRequest < keys, 'the workers were still busy when the request came');
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    assert.equal(spin.state.processed, atRequest, 'no key was processed while the request was in flight');
    answered();
    await spin.all;
    await spin.stop();
    assert.equal(spin.state.processed, keys);
  });

  it('never lets requests that overlap without end starve the workers', { timeout: 30_000 }, async () => {
    const keys = 200;
    const spin = spinningWorkers(keys, 2, 0.5);
    // A new request starts every 20 ms, each answered 60 ms later: one is always in flight.
    let open = requestStarted();
    const stream = setInterval(() => {
      const previous = open;
      open = requestStarted();
      setTimeout(previous, 60);
    }, 20);
    try {
      await spin.all;
    } finally {
      clearInterval(stream);
      open();
    }
    await spin.stop();
    assert.equal(spin.state.processed, keys);
  });
});
