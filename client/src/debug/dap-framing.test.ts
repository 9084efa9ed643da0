import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DapFramer, frame, keepDebuggee } from './dap-framing';

describe('DapFramer', () => {
  it('splits a stream cut anywhere into its messages', () => {
    const bytes = Buffer.concat([
      frame({ seq: 1, type: 'event', event: 'initialized' }),
      frame({ seq: 2, text: 'é ✓' }),
    ]);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const framer = new DapFramer();
      const got = [...framer.push(bytes.subarray(0, cut)), ...framer.push(bytes.subarray(cut))];
      assert.deepEqual(
        got,
        [
          { seq: 1, type: 'event', event: 'initialized' },
          { seq: 2, text: 'é ✓' },
        ],
        `cut at ${cut}`,
      );
    }
  });

  it('refuses headers that are not DAP', () => {
    assert.throws(() => new DapFramer().push(Buffer.from('HTTP/1.1 200 OK\r\n\r\n')), /Content-Length/);
    assert.throws(() => new DapFramer().push(Buffer.from('Content-Length: 99999999999\r\n\r\n')), /Content-Length/);
    assert.throws(() => new DapFramer().push(Buffer.alloc(9000, 'a')), /8 KiB/);
    assert.throws(() => new DapFramer().push(Buffer.from('Content-Length: 3\r\n\r\n{x}')), SyntaxError);
  });
});

describe('keepDebuggee', () => {
  it('makes disconnect leave the program running, and changes nothing else', () => {
    assert.deepEqual(
      keepDebuggee({ type: 'request', command: 'disconnect', arguments: { restart: false, terminateDebuggee: true } }),
      { type: 'request', command: 'disconnect', arguments: { restart: false, terminateDebuggee: false } },
    );
    assert.deepEqual(keepDebuggee({ type: 'request', command: 'disconnect' }).arguments, { terminateDebuggee: false });
    const other = { type: 'request', command: 'evaluate', arguments: { expression: 'x' } };
    assert.equal(keepDebuggee(other), other);
  });
});
