/**
 * SPDY/3.1 frames on the wire (SPDY/3.1 draft, section 2.2 and 2.6): an
 * 8-byte header, then the payload. A control frame starts with the control
 * bit, the version (3) and its type; a data frame with its stream id. Both
 * carry 8 bits of flags and a 24-bit payload length. Header blocks stay
 * compressed here; `header-codec.ts` turns them into names and values.
 */

export const SPDY_VERSION = 3;
export const MAX_PAYLOAD = 0xffffff;
/**
 * The longest control frame read: a header block inflates to at most 256 KiB
 * (`header-codec.ts`), so a longer one is refused from its 8-byte header,
 * before 16 MiB of it are buffered. DATA frames may use all 24 bits.
 */
export const MAX_CONTROL_PAYLOAD = 1024 * 1024;

export const FLAG_FIN = 0x01;
export const FLAG_UNIDIRECTIONAL = 0x02;
export const FLAG_CLEAR_SETTINGS = 0x01;

/** Control frame types. */
export const ControlType = {
  SynStream: 1,
  SynReply: 2,
  RstStream: 3,
  Settings: 4,
  Ping: 6,
  GoAway: 7,
  Headers: 8,
  WindowUpdate: 9,
} as const;

/** RST_STREAM status codes. */
export const RST = {
  PROTOCOL_ERROR: 1,
  INVALID_STREAM: 2,
  REFUSED_STREAM: 3,
  UNSUPPORTED_VERSION: 4,
  CANCEL: 5,
  INTERNAL_ERROR: 6,
  FLOW_CONTROL_ERROR: 7,
  STREAM_IN_USE: 8,
  STREAM_ALREADY_CLOSED: 9,
  FRAME_TOO_LARGE: 11,
} as const;

/** GOAWAY status codes. */
export const GOAWAY = { OK: 0, PROTOCOL_ERROR: 1, INTERNAL_ERROR: 2 } as const;

export interface SettingsEntry {
  flags: number;
  id: number;
  value: number;
}

export type Frame =
  | { type: 'data'; streamId: number; fin: boolean; data: Buffer }
  | {
      type: 'syn_stream';
      streamId: number;
      associatedId: number;
      priority: number;
      slot: number;
      fin: boolean;
      unidirectional: boolean;
      /** Compressed name/value block. */
      block: Buffer;
    }
  | { type: 'syn_reply'; streamId: number; fin: boolean; block: Buffer }
  | { type: 'rst_stream'; streamId: number; status: number }
  | { type: 'settings'; clear: boolean; entries: SettingsEntry[] }
  | { type: 'ping'; id: number }
  | { type: 'goaway'; lastGoodStreamId: number; status: number }
  | { type: 'headers'; streamId: number; fin: boolean; block: Buffer }
  | { type: 'window_update'; streamId: number; delta: number }
  /** A control frame type this version does not define: the receiver ignores it. */
  | { type: 'unknown'; controlType: number };

/** A frame that breaks the framing rules: the session ends with GOAWAY PROTOCOL_ERROR. */
export class SpdyProtocolError extends Error {}

const STREAM_ID = 0x7fffffff;

function control(type: number, flags: number, payload: Buffer): Buffer {
  if (payload.length > MAX_PAYLOAD) throw new RangeError(`SPDY frame payload of ${payload.length} bytes is too large`);
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8000 | SPDY_VERSION, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt32BE(((flags & 0xff) << 24) | payload.length, 4);
  return Buffer.concat([head, payload]);
}

function words(...values: number[]): Buffer {
  const b = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => b.writeUInt32BE(v >>> 0, i * 4));
  return b;
}

/** The bytes of one frame. */
export function encodeFrame(frame: Frame): Buffer {
  switch (frame.type) {
    case 'data': {
      if (frame.data.length > MAX_PAYLOAD) throw new RangeError('SPDY data frame is too large');
      const head = Buffer.alloc(8);
      head.writeUInt32BE(frame.streamId & STREAM_ID, 0);
      head.writeUInt32BE(((frame.fin ? FLAG_FIN : 0) << 24) | frame.data.length, 4);
      return frame.data.length === 0 ? head : Buffer.concat([head, frame.data]);
    }
    case 'syn_stream': {
      const fixed = Buffer.alloc(10);
      fixed.writeUInt32BE(frame.streamId & STREAM_ID, 0);
      fixed.writeUInt32BE(frame.associatedId & STREAM_ID, 4);
      fixed[8] = (frame.priority & 0x7) << 5;
      fixed[9] = frame.slot & 0xff;
      const flags = (frame.fin ? FLAG_FIN : 0) | (frame.unidirectional ? FLAG_UNIDIRECTIONAL : 0);
      return control(ControlType.SynStream, flags, Buffer.concat([fixed, frame.block]));
    }
    case 'syn_reply':
      return control(
        ControlType.SynReply,
        frame.fin ? FLAG_FIN : 0,
        Buffer.concat([words(frame.streamId & STREAM_ID), frame.block]),
      );
    case 'headers':
      return control(
        ControlType.Headers,
        frame.fin ? FLAG_FIN : 0,
        Buffer.concat([words(frame.streamId & STREAM_ID), frame.block]),
      );
    case 'rst_stream':
      return control(ControlType.RstStream, 0, words(frame.streamId & STREAM_ID, frame.status));
    case 'settings': {
      const entries = frame.entries.flatMap((e) => [((e.flags & 0xff) << 24) | (e.id & 0xffffff), e.value]);
      return control(
        ControlType.Settings,
        frame.clear ? FLAG_CLEAR_SETTINGS : 0,
        words(frame.entries.length, ...entries),
      );
    }
    case 'ping':
      return control(ControlType.Ping, 0, words(frame.id));
    case 'goaway':
      return control(ControlType.GoAway, 0, words(frame.lastGoodStreamId & STREAM_ID, frame.status));
    case 'window_update':
      return control(ControlType.WindowUpdate, 0, words(frame.streamId & STREAM_ID, frame.delta & STREAM_ID));
    case 'unknown':
      return control(frame.controlType, 0, Buffer.alloc(0));
  }
}

function need(payload: Buffer, bytes: number, what: string): void {
  if (payload.length < bytes) throw new SpdyProtocolError(`${what} frame of ${payload.length} bytes is too short`);
}

function decodeControl(type: number, flags: number, payload: Buffer): Frame {
  const fin = (flags & FLAG_FIN) !== 0;
  switch (type) {
    case ControlType.SynStream:
      need(payload, 10, 'SYN_STREAM');
      return {
        type: 'syn_stream',
        streamId: payload.readUInt32BE(0) & STREAM_ID,
        associatedId: payload.readUInt32BE(4) & STREAM_ID,
        priority: payload[8]! >> 5,
        slot: payload[9]!,
        fin,
        unidirectional: (flags & FLAG_UNIDIRECTIONAL) !== 0,
        block: payload.subarray(10),
      };
    case ControlType.SynReply:
      need(payload, 4, 'SYN_REPLY');
      return { type: 'syn_reply', streamId: payload.readUInt32BE(0) & STREAM_ID, fin, block: payload.subarray(4) };
    case ControlType.Headers:
      need(payload, 4, 'HEADERS');
      return { type: 'headers', streamId: payload.readUInt32BE(0) & STREAM_ID, fin, block: payload.subarray(4) };
    case ControlType.RstStream:
      need(payload, 8, 'RST_STREAM');
      return { type: 'rst_stream', streamId: payload.readUInt32BE(0) & STREAM_ID, status: payload.readUInt32BE(4) };
    case ControlType.Settings: {
      need(payload, 4, 'SETTINGS');
      const count = payload.readUInt32BE(0);
      need(payload, 4 + count * 8, 'SETTINGS');
      const entries: SettingsEntry[] = [];
      for (let i = 0; i < count; i++) {
        const idWord = payload.readUInt32BE(4 + i * 8);
        entries.push({ flags: idWord >>> 24, id: idWord & 0xffffff, value: payload.readUInt32BE(8 + i * 8) });
      }
      return { type: 'settings', clear: (flags & FLAG_CLEAR_SETTINGS) !== 0, entries };
    }
    case ControlType.Ping:
      need(payload, 4, 'PING');
      return { type: 'ping', id: payload.readUInt32BE(0) };
    case ControlType.GoAway:
      need(payload, 8, 'GOAWAY');
      return { type: 'goaway', lastGoodStreamId: payload.readUInt32BE(0) & STREAM_ID, status: payload.readUInt32BE(4) };
    case ControlType.WindowUpdate:
      need(payload, 8, 'WINDOW_UPDATE');
      return {
        type: 'window_update',
        streamId: payload.readUInt32BE(0) & STREAM_ID,
        delta: payload.readUInt32BE(4) & STREAM_ID,
      };
    default:
      return { type: 'unknown', controlType: type };
  }
}

/**
 * Cuts a byte stream into frames. Bytes arrive in pieces of any size (a TLS
 * socket, or WebSocket messages that do not follow frame boundaries); `push`
 * returns every frame completed so far and keeps the rest.
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private size = 0;
  /** Bytes of the stream taken as whole frames so far: where the next frame starts. */
  private offset = 0;

  /**
   * Takes `chunk` and returns the frames it completed; with `each`, hands
   * them to it as they are cut instead (so the frames before a bad one are
   * handled before the error is thrown).
   */
  push(chunk: Buffer, each?: (frame: Frame) => void): Frame[] {
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.size += chunk.length;
    }
    const frames: Frame[] = [];
    while (this.size >= 8) {
      const head = this.peek(8);
      const length = head.readUInt32BE(4) & 0xffffff;
      if ((head[0]! & 0x80) !== 0 && length > MAX_CONTROL_PAYLOAD)
        throw new SpdyProtocolError(
          `control frame of ${length} bytes at byte ${this.offset} (at most ${MAX_CONTROL_PAYLOAD})`,
        );
      if (this.size < 8 + length) break;
      const at = this.offset;
      const bytes = this.take(8 + length);
      let frame: Frame;
      try {
        frame = decodeFrame(bytes);
      } catch (error) {
        if (error instanceof SpdyProtocolError) throw new SpdyProtocolError(`${error.message} at byte ${at}`);
        throw error;
      }
      if (each) each(frame);
      else frames.push(frame);
    }
    return frames;
  }

  /** Bytes received that do not make a whole frame yet. */
  get buffered(): number {
    return this.size;
  }

  private peek(n: number): Buffer {
    const first = this.chunks[0]!;
    if (first.length >= n) return first.subarray(0, n);
    this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0]!.subarray(0, n);
  }

  private take(n: number): Buffer {
    let first = this.chunks[0]!;
    if (first.length < n) {
      this.chunks = [Buffer.concat(this.chunks)];
      first = this.chunks[0]!;
    }
    const out = first.subarray(0, n);
    if (first.length === n) this.chunks.shift();
    else this.chunks[0] = first.subarray(n);
    this.size -= n;
    this.offset += n;
    return out;
  }
}

/** One whole frame (header and payload) from its bytes. */
export function decodeFrame(bytes: Buffer): Frame {
  need(bytes, 8, 'SPDY');
  const first = bytes.readUInt32BE(0);
  const flags = bytes[4]!;
  const payload = bytes.subarray(8);
  if ((first & 0x80000000) === 0) {
    const streamId = first & STREAM_ID;
    if (streamId === 0) throw new SpdyProtocolError('data frame on stream 0');
    return { type: 'data', streamId, fin: (flags & FLAG_FIN) !== 0, data: payload };
  }
  const version = (first >>> 16) & 0x7fff;
  if (version !== SPDY_VERSION) throw new SpdyProtocolError(`unsupported SPDY version ${version}`);
  return decodeControl(first & 0xffff, flags, payload);
}
