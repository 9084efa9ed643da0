import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { demuxBuffer, execHandle, logStream, type Demux } from './docker-output-streams';

/** One frame of the engine's multiplexed format: stream type, three zero bytes, the size, the bytes. */
const frame = (type: number, text: string): Buffer => {
  const body = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
};

const read = async (stream: NodeJS.ReadableStream): Promise<string> => {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(parts).toString();
};

const noDemux: Demux = () => assert.fail('a whole answer is not demultiplexed as a stream');

describe('docker output streams', () => {
  it('demuxBuffer joins the frames of stdout and stderr and drops a cut-off header', () => {
    const raw = Buffer.concat([frame(1, 'out\n'), frame(2, 'err\n'), Buffer.from([1, 0, 0])]);
    assert.equal(demuxBuffer(raw).toString(), 'out\nerr\n');
  });

  it('logStream demultiplexes a whole answer without a TTY and passes it as it is with one', async () => {
    const raw = Buffer.concat([frame(1, 'a'), frame(2, 'b')]);
    assert.equal(await read(logStream(raw, false, noDemux)), 'ab');
    assert.equal(await read(logStream(Buffer.from('tty text'), true, noDemux)), 'tty text');
  });

  it('logStream ends, not fails, when a followed stream errors', async () => {
    const live = new PassThrough();
    const out = logStream(live, true, noDemux);
    live.write('line\n');
    live.emit('error', new Error('engine went away'));
    assert.equal(await read(out), 'line\n');
  });

  it('execHandle ends stdout and stderr with the stream and resolves the exit code (1 when it cannot be read)', async () => {
    const hijacked = new PassThrough();
    const demux: Demux = (stream, stdout, stderr) => {
      stream.on('data', (chunk: Buffer) => (chunk.toString().startsWith('!') ? stderr : stdout).write(chunk));
    };
    const h = execHandle(hijacked, true, false, demux, {
      exitCode: () => Promise.reject(new Error('gone')),
      resize: () => Promise.resolve(),
    });
    assert.equal(h.stdin, hijacked);
    const [out, err] = [read(h.stdout), read(h.stderr)];
    hijacked.write('hello');
    hijacked.write('!oops');
    hijacked.end();
    hijacked.resume();
    assert.equal(await out, 'hello');
    assert.equal(await err, '!oops');
    assert.equal(await h.exitCode, 1);
  });
});
