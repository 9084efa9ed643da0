/**
 * A SPDY/3.1 session over any byte duplex (an upgraded TLS socket, or a
 * WebSocket carrying SPDY in binary messages). The server side accepts
 * streams the client opens (odd ids, event 'stream'); the client side opens
 * them (`openStream`) — tests and tools use that end. PINGs from the peer are
 * echoed; SETTINGS and WINDOW_UPDATE are read and ignored (kubectl's SPDY
 * library neither sends nor honours flow-control windows, so none are kept).
 *
 * Header blocks share one zlib context per direction, run synchronously, so
 * frames are handled and sent strictly in order. Any framing or compression
 * error ends the session with GOAWAY PROTOCOL_ERROR.
 */
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { encodeFrame, FrameReader, GOAWAY, RST, SpdyProtocolError, type Frame } from './frames';
import {
  decodeNameValues,
  HeaderCompressor,
  HeaderDecompressor,
  SpdyHeaderError,
  type SpdyHeaders,
} from './header-codec';
import { FrameWriter } from './frame-writer';
import { SpdyStream, type StreamHost } from './spdy-stream';

type HeaderInput = Readonly<Record<string, string | readonly string[]>>;
type HeaderFrame = Extract<Frame, { block: Buffer }>;

export interface SpdySessionEvents {
  stream: [stream: SpdyStream];
  goaway: [lastGoodStreamId: number, status: number];
  close: [error: Error | undefined];
}

export class SpdySession extends EventEmitter<SpdySessionEvents> implements StreamHost {
  private readonly reader = new FrameReader();
  private readonly compressor = new HeaderCompressor();
  private readonly decompressor = new HeaderDecompressor();
  private readonly streams = new Map<number, SpdyStream>();
  private readonly pings = new Map<number, () => void>();
  private readonly blocked = new Set<SpdyStream>();
  private nextStreamId: number;
  private nextPingId: number;
  private lastRemoteStreamId = 0;
  private readonly out: FrameWriter;
  private goneAway = false;
  private closed = false;

  constructor(
    private readonly transport: Duplex,
    readonly role: 'server' | 'client',
  ) {
    super();
    this.nextStreamId = role === 'client' ? 1 : 2;
    this.nextPingId = role === 'client' ? 1 : 2;
    this.out = new FrameWriter(transport, (error) => this.fail(error));
    transport.on('data', (chunk: Buffer) => this.receive(chunk));
    transport.on('error', (error: Error) => this.destroy(error));
    transport.on('end', () => this.destroy());
    transport.on('close', () => this.destroy());
  }

  /** Streams open now (neither fully closed nor reset). */
  get openStreams(): number {
    return this.streams.size;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Opens a stream (SYN_STREAM); its SYN_REPLY comes as the stream's 'reply' event. */
  openStream(headers: HeaderInput, options: { fin?: boolean } = {}): SpdyStream {
    if (this.closed || this.goneAway) throw new Error('the SPDY session is closing');
    const id = this.nextStreamId;
    this.nextStreamId += 2;
    const fin = options.fin ?? false;
    const stream = new SpdyStream(this, id, lowercased(headers), { localClosed: fin });
    this.streams.set(id, stream);
    const block = this.compressor.compress(headers);
    this.send(
      encodeFrame({
        type: 'syn_stream',
        streamId: id,
        associatedId: 0,
        priority: 0,
        slot: 0,
        fin,
        unidirectional: false,
        block,
      }),
    );
    if (fin) stream.end();
    return stream;
  }

  /** Sends a PING and resolves when the peer echoes it. */
  ping(): Promise<void> {
    const id = this.nextPingId;
    this.nextPingId = id + 2 > 0x7fffffff ? 2 - (id % 2) : id + 2;
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new Error('the SPDY session is closed'));
      this.pings.set(id, resolve);
      this.send(encodeFrame({ type: 'ping', id }));
    });
  }

  /** Sends GOAWAY: no new streams are accepted, the open ones go on. */
  goAway(status: number = GOAWAY.OK): void {
    if (this.closed || this.goneAway) return;
    this.goneAway = true;
    this.send(encodeFrame({ type: 'goaway', lastGoodStreamId: this.lastRemoteStreamId, status }));
  }

  /**
   * Ends the session now: every stream is destroyed, then the transport
   * (after what was already written, unless `flush` is false).
   */
  destroy(error?: Error, flush = error === undefined): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of [...this.streams.values()]) s.destroy();
    this.streams.clear();
    this.compressor.close();
    this.decompressor.close();
    this.pings.clear();
    this.out.close(flush);
    const t = this.transport;
    if (!flush || t.destroyed || t.writableEnded) t.destroy();
    else {
      // Let what was written (a GOAWAY, the last DATA) go out before the transport closes.
      t.once('finish', () => t.destroy());
      t.end();
      setTimeout(() => t.destroy(), 5000).unref();
    }
    this.emit('close', error);
  }

  // --- StreamHost ---

  sendData(streamId: number, data: Buffer, fin: boolean, done?: () => void): void {
    this.send(encodeFrame({ type: 'data', streamId, fin, data }), done);
  }

  sendReply(streamId: number, headers: HeaderInput, fin: boolean): void {
    if (this.closed) return;
    let block: Buffer;
    try {
      block = this.compressor.compress(headers);
    } catch (error) {
      return this.fail(error);
    }
    this.send(encodeFrame({ type: 'syn_reply', streamId, fin, block }));
  }

  sendReset(streamId: number, status: number): void {
    this.send(encodeFrame({ type: 'rst_stream', streamId, status }));
  }

  block(stream: SpdyStream): void {
    this.blocked.add(stream);
    this.transport.pause();
  }

  unblock(stream: SpdyStream): void {
    if (this.blocked.delete(stream) && this.blocked.size === 0 && !this.closed) this.transport.resume();
  }

  forget(stream: SpdyStream): void {
    if (this.streams.get(stream.id) === stream) this.streams.delete(stream.id);
  }

  // --- receiving ---

  private receive(chunk: Buffer): void {
    if (this.closed) return;
    try {
      this.reader.push(chunk, this.handleFrame);
    } catch (error) {
      this.fail(error);
    }
  }

  private readonly handleFrame = (frame: Frame): void => this.handle(frame);

  private handle(frame: Frame): void {
    if (this.closed) return;
    switch (frame.type) {
      case 'syn_stream':
      case 'syn_reply':
      case 'headers': {
        let raw: Buffer;
        try {
          raw = this.decompressor.decompress(frame.block);
        } catch (error) {
          return this.fail(error);
        }
        return this.headerFrame(frame, raw);
      }
      case 'data': {
        const stream = this.streams.get(frame.streamId);
        if (stream) stream.receiveData(frame.data, frame.fin);
        else if (!this.seen(frame.streamId)) this.sendReset(frame.streamId, RST.INVALID_STREAM);
        return;
      }
      case 'rst_stream':
        this.streams.get(frame.streamId)?.receiveReset(frame.status);
        return;
      case 'ping':
        if (frame.id % 2 === this.nextPingId % 2) {
          this.pings.get(frame.id)?.();
          this.pings.delete(frame.id);
        } else this.send(encodeFrame(frame));
        return;
      case 'goaway':
        this.goneAway = true;
        // Streams this side opened after the peer's last good one will never be answered.
        for (const s of [...this.streams.values()])
          if (s.id % 2 === this.nextStreamId % 2 && s.id > frame.lastGoodStreamId) s.receiveReset(RST.REFUSED_STREAM);
        this.emit('goaway', frame.lastGoodStreamId, frame.status);
        return;
      case 'settings':
      case 'window_update':
      case 'unknown':
        return;
    }
  }

  private headerFrame(frame: HeaderFrame, raw: Buffer): void {
    let headers: SpdyHeaders;
    try {
      headers = decodeNameValues(raw);
    } catch (error) {
      if (!(error instanceof SpdyHeaderError)) return this.fail(error);
      if (frame.type === 'syn_stream') this.lastRemoteStreamId = Math.max(this.lastRemoteStreamId, frame.streamId);
      this.sendReset(frame.streamId, RST.PROTOCOL_ERROR);
      this.streams.get(frame.streamId)?.receiveReset(RST.PROTOCOL_ERROR);
      return;
    }
    if (frame.type === 'syn_stream') {
      const id = frame.streamId;
      if (id === 0 || id % 2 === this.nextStreamId % 2 || id <= this.lastRemoteStreamId)
        return this.fail(new SpdyProtocolError(`SYN_STREAM with stream id ${id}`));
      this.lastRemoteStreamId = id;
      if (this.goneAway) return this.sendReset(id, RST.REFUSED_STREAM);
      const stream = new SpdyStream(this, id, headers, { remoteClosed: frame.fin, localClosed: frame.unidirectional });
      this.streams.set(id, stream);
      this.emit('stream', stream);
      return;
    }
    const stream = this.streams.get(frame.streamId);
    if (!stream) return;
    if (frame.type === 'syn_reply') {
      if (stream.replyHeaders) return stream.reset(RST.STREAM_IN_USE);
      stream.receiveReply(headers, frame.fin);
    } else {
      stream.emit('headers', headers);
      if (frame.fin) stream.receiveFin();
    }
  }

  /** Whether a stream id was ever in use on this session (late frames for it are ignored). */
  private seen(id: number): boolean {
    return id % 2 === this.nextStreamId % 2 ? id < this.nextStreamId : id <= this.lastRemoteStreamId;
  }

  private fail(error: unknown): void {
    if (this.closed) return;
    const e = error instanceof Error ? error : new Error(String(error));
    if (!this.goneAway) {
      this.goneAway = true;
      const status = e instanceof SpdyProtocolError ? GOAWAY.PROTOCOL_ERROR : GOAWAY.INTERNAL_ERROR;
      this.out.sendNow(encodeFrame({ type: 'goaway', lastGoodStreamId: this.lastRemoteStreamId, status }));
    }
    this.destroy(e, true);
  }

  private send(bytes: Buffer | Promise<Buffer>, done?: () => void): void {
    this.out.send(bytes, done);
  }
}

function lowercased(headers: HeaderInput): SpdyHeaders {
  const out: SpdyHeaders = Object.create(null) as SpdyHeaders;
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = typeof v === 'string' ? [v] : [...v];
  return out;
}
