import { strict as assert } from 'node:assert';
import { Duplex } from 'node:stream';
import { describe, it } from 'node:test';
import { FrameWriter } from './frame-writer';

/** A transport that records each write it gets, with a small high-water mark. */
function recorder(): { transport: Duplex; writes: string[] } {
  const writes: string[] = [];
  const transport = new Duplex({
    highWaterMark: 4,
    read() {},
    write(chunk: Buffer, _enc, cb) {
      writes.push(chunk.toString());
      setImmediate(cb);
    },
  });
  return { transport, writes };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('SPDY frame writer', () => {
  it('keeps the order of frames when one is still being made, and writes what is ready in one go', async () => {
    const { transport, writes } = recorder();
    const writer = new FrameWriter(transport, () => assert.fail('no error expected'));
    let finishHeader: (b: Buffer) => void = () => undefined;
    writer.send(Buffer.from('a'));
    writer.send(new Promise<Buffer>((r) => (finishHeader = r)));
    writer.send(Buffer.from('c'));
    writer.send(Buffer.from('d'));
    await tick();
    assert.deepEqual(writes, ['a']);
    finishHeader(Buffer.from('B'));
    await tick();
    await tick();
    assert.deepEqual(writes, ['a', 'Bcd']);
  });

  it('writes the frames of one turn of the event loop together, also from later ticks and promises', async () => {
    const { transport, writes } = recorder();
    const writer = new FrameWriter(transport, () => assert.fail('no error expected'));
    writer.send(Buffer.from('a'));
    process.nextTick(() => writer.send(Buffer.from('b')));
    void Promise.resolve().then(() => writer.send(Buffer.from('c')));
    await tick();
    // One write, in the order the frames were given (the promise's job runs before the tick here).
    assert.deepEqual(writes, ['acb']);
    writer.send(Buffer.from('d'));
    await tick();
    assert.deepEqual(writes, ['acb', 'd']);
  });

  it('calls back once the transport took a frame under its limit, or after it drained', async () => {
    const { transport, writes } = recorder();
    const writer = new FrameWriter(transport, () => undefined, 6);
    const done: string[] = [];
    writer.send(Buffer.from('12345'), () => done.push('small'));
    await tick();
    // Over the transport's high-water mark (4) but within the writer's limit (6): taken.
    assert.deepEqual(done, ['small']);
    writer.send(Buffer.from('12345678'), () => done.push('big'));
    await tick();
    // Over the limit: not yet.
    assert.deepEqual(done, ['small']);
    await new Promise((r) => transport.once('drain', r));
    assert.deepEqual(done, ['small', 'big']);
    assert.deepEqual(writes, ['12345', '12345678']);
  });

  it('reports a frame that could not be made, and calls every callback when closed', async () => {
    const { transport, writes } = recorder();
    const errors: unknown[] = [];
    const writer = new FrameWriter(transport, (e) => errors.push(e));
    writer.send(Promise.reject(new Error('compression failed')));
    await tick();
    assert.equal((errors[0] as Error).message, 'compression failed');
    const done: string[] = [];
    writer.send(new Promise<Buffer>(() => undefined), () => done.push('queued'));
    writer.sendNow(Buffer.from('goaway'));
    writer.close(true);
    assert.deepEqual(writes, ['goaway']);
    assert.deepEqual(done, ['queued']);
    writer.send(Buffer.from('late'), () => done.push('late'));
    assert.deepEqual(done, ['queued', 'late']);
    await tick();
    assert.deepEqual(writes, ['goaway']);
  });
});
