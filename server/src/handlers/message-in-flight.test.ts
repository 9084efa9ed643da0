import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { MessageInFlight } from './message-in-flight.js';

/** A message as an editor frames it over --stdio. */
const framed = (body: unknown, header = 'Content-Length'): Buffer => {
  const bytes = Buffer.from(JSON.stringify(body), 'utf8');
  return Buffer.concat([Buffer.from(`${header}: ${bytes.length}\r\n\r\n`, 'ascii'), bytes]);
};

const didOpen = (text: string): Buffer =>
  framed({
    jsonrpc: '2.0',
    method: 'textDocument/didOpen',
    params: { textDocument: { uri: 'file:///w/a.yaml', languageId: 'yaml', version: 1, text } },
  });

/** Feeds `input` to a monitor in pieces cut at `cuts`, recording `partial` after each piece. */
function feed(input: Buffer, cuts: readonly number[]): boolean[] {
  const monitor = new MessageInFlight();
  const seen: boolean[] = [];
  let at = 0;
  for (const cut of [...cuts, input.length]) {
    monitor.received(input.subarray(at, cut));
    seen.push(monitor.partial);
    at = cut;
  }
  return seen;
}

describe('MessageInFlight', () => {
  it('is partial from a message’s first byte to its last, cut anywhere (header, its end, the body)', () => {
    const first = framed({ jsonrpc: '2.0', method: 'initialized', params: {} });
    const second = didOpen('kind: Deployment\nmetadata:\n  name: ünïcode\n'.repeat(20));
    const input = Buffer.concat([first, second]);
    for (let cut = 1; cut < input.length; cut++) {
      const whole = cut === first.length;
      assert.deepEqual(feed(input, [cut]), [!whole, false], `cut at ${cut}`);
    }
    // Three pieces: every pair of cuts around the second message's header end.
    const headerEnd = first.length + second.indexOf('\r\n\r\n');
    for (let a = headerEnd - 3; a <= headerEnd + 4; a++)
      for (let b = a + 1; b <= headerEnd + 6; b++) assert.deepEqual(feed(input, [a, b]), [true, true, false]);
  });

  it('follows many messages in one read, with any header case and extra headers', () => {
    const body = { jsonrpc: '2.0', method: 'x', params: { s: '\r\n\r\n' } };
    const extra = Buffer.from('Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n', 'ascii');
    const input = Buffer.concat([framed(body), extra, framed(body, 'content-length'), framed(body, 'CONTENT-LENGTH')]);
    assert.deepEqual(feed(input, []), [false]);
    assert.deepEqual(feed(input, [input.length - 1]), [true, false]);
  });

  it('lets waiting work go on once the message is whole, over a real stream', async () => {
    const stream = new PassThrough();
    const monitor = new MessageInFlight();
    monitor.watch(stream);
    const message = didOpen('a: 1\n'.repeat(50_000));
    let written = 0;
    let settledAt = -1;
    // Nothing received yet: nothing to wait for.
    await monitor.settled();
    let waited: Promise<unknown> | undefined;
    while (written < message.length) {
      stream.write(message.subarray(written, written + 65_536));
      written = Math.min(message.length, written + 65_536);
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(monitor.partial, written < message.length);
      waited ??= monitor.settled().then(() => (settledAt = written));
    }
    await waited;
    assert.equal(settledAt, message.length);
    await monitor.settled();
  });

  it('switches off (never partial, nobody left waiting) on input it cannot frame', async () => {
    const hostile = [
      'Content-Length: twelve\r\n\r\n{}',
      'X-Other: 1\r\n\r\n{}',
      `Content-Length: 1${'0'.repeat(20)}\r\n\r\n{}`,
      `X-Long: ${'A'.repeat(20_000)}`,
    ];
    for (const input of hostile) {
      const monitor = new MessageInFlight();
      monitor.received(Buffer.from(input.slice(0, 3)));
      const waited = monitor.settled();
      monitor.received(Buffer.from(input.slice(3)));
      await waited;
      assert.equal(monitor.partial, false, input.slice(0, 40));
      monitor.received(didOpen('a: 1\n').subarray(0, 30));
      assert.equal(monitor.partial, false, input.slice(0, 40));
    }
  });

  it('never holds waiting work for good: a message that stops half-way releases it after a while', async () => {
    const monitor = new MessageInFlight();
    monitor.received(didOpen('a: 1\n'.repeat(100)).subarray(0, 100));
    assert.equal(monitor.partial, true);
    await monitor.settled();
    assert.equal(monitor.partial, true);
  });
});
