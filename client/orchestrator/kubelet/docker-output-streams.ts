/**
 * A container's output as the engine sends it, turned into plain streams: logs (one stream, stdout and
 * stderr interleaved) and hijacked exec/attach connections (stdout, stderr, stdin and the exit code). Without
 * a TTY the engine multiplexes stdout and stderr in 8-byte-header frames; `demux` (the engine client's
 * demultiplexer) splits a live stream, `demuxBuffer` a whole answer.
 */
import { PassThrough, type Readable } from 'node:stream';
import type { ExecHandle } from './docker-engine-types';

/** Splits a multiplexed live stream into stdout and stderr. */
export type Demux = (stream: NodeJS.ReadableStream, stdout: PassThrough, stderr: PassThrough) => void;

/** The engine's logs answer (a whole buffer, or a stream when following) as one readable stream. */
export function logStream(raw: unknown, tty: boolean, demux: Demux): Readable {
  const out = new PassThrough();
  if (Buffer.isBuffer(raw)) {
    out.end(tty ? raw : demuxBuffer(raw));
    return out;
  }
  const stream = raw as NodeJS.ReadableStream & { destroy?: () => void };
  stream.on('error', () => out.end()); // the engine went away mid-stream: end the logs, do not crash
  if (tty) stream.pipe(out);
  else {
    demux(stream, out, out);
    stream.on('end', () => out.end());
  }
  out.on('close', () => stream.destroy?.());
  return out;
}

/** A hijacked exec or attach stream as stdout/stderr (demultiplexed without a TTY), stdin and the exit code. */
export function execHandle(
  stream: NodeJS.ReadWriteStream,
  stdin: boolean,
  tty: boolean,
  demux: Demux,
  o: { exitCode: () => Promise<number>; resize: (w: number, h: number) => Promise<unknown> },
): ExecHandle {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  if (tty) stream.pipe(stdout);
  else demux(stream, stdout, stderr);
  const exitCode = new Promise<number>((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      stdout.end();
      stderr.end();
      o.exitCode().then(resolve, () => resolve(1));
    };
    stream.on('end', finish);
    stream.on('close', finish);
    stream.on('error', finish);
  });
  return {
    ...(stdin ? { stdin: stream } : {}),
    stdout,
    stderr,
    resize: (w, h) => void o.resize(w, h).catch(() => undefined),
    exitCode,
  };
}

/** Docker's multiplexed log format (8-byte frame headers) to plain bytes. */
export function demuxBuffer(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let i = 0;
  while (i + 8 <= raw.length) {
    const size = raw.readUInt32BE(i + 4);
    parts.push(raw.subarray(i + 8, i + 8 + size));
    i += 8 + size;
  }
  return Buffer.concat(parts);
}
