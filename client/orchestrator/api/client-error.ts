/**
 * An answer for every request the HTTP parser refuses (a raw non-ASCII byte, a space or a control
 * character in the request target, an unknown method, headers over the limit, a request that took
 * too long): a `Status` with its code and `Connection: close`, written after any response still in
 * flight on that connection. Node's default resets the connection instead whenever the connection
 * already answered a request (keep-alive) or the client has sent more than was read (a body), so
 * the client saw `ECONNRESET` and never a status.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/** How long a refused connection is read (and dropped) after its answer, so the client gets it before the close. */
const LINGER_MS = 5_000;

interface Refusal {
  code: number;
  reason: string;
  message: string;
}

/** A parser error: its `code` (`HPE_…`) and, from llhttp, a `reason`. */
export type ParserError = NodeJS.ErrnoException & { reason?: unknown };

/** The status for a parser error. */
export function refusalFor(error: ParserError): Refusal {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        code: 431,
        reason: 'RequestHeaderFieldsTooLarge',
        message: 'request header fields too large',
      };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { code: 408, reason: 'Timeout', message: 'the request was not received in time' };
    case 'HPE_INVALID_URL':
      return {
        code: 400,
        reason: 'BadRequest',
        message:
          'malformed HTTP request: the request target may hold only ASCII characters other than spaces and controls (percent-encode the others)',
      };
    default:
      return {
        code: 400,
        reason: 'BadRequest',
        message: `malformed HTTP request${typeof error.reason === 'string' ? `: ${error.reason.toLowerCase()}` : ''}`,
      };
  }
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};

function response(refusal: Refusal): string {
  const body = JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: refusal.message,
    reason: refusal.reason,
    code: refusal.code,
  });
  return (
    `HTTP/1.1 ${refusal.code} ${STATUS_TEXT[refusal.code] ?? 'Bad Request'}\r\n` +
    'Content-Type: application/json\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    'Connection: close\r\n\r\n' +
    body
  );
}

/** Errors of the connection itself: there is nobody to answer. */
const GONE = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ETIMEDOUT']);

/**
 * Installs the answer on `server`. Responses in flight are tracked per connection so that the
 * refusal follows them instead of being written into the middle of one.
 */
export function answerClientErrors(server: Server): void {
  const inFlight = new WeakMap<Socket | Duplex, ServerResponse>();
  const refused = new WeakSet<Duplex>();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    inFlight.set(socket, res);
    res.once('close', () => {
      if (inFlight.get(socket) === res) inFlight.delete(socket);
    });
  });
  server.on('clientError', (error: ParserError, socket: Duplex) => {
    // The parser reports again for whatever arrives after its first error: answer once.
    if (refused.has(socket)) return;
    refused.add(socket);
    if (GONE.has(error.code ?? '') || !socket.writable) {
      socket.destroy();
      return;
    }
    const answer = () => {
      if (!socket.writable) return void socket.destroy();
      socket.end(response(refusalFor(error)));
      // Read and drop what the client still sends (the rest of its request): closing with unread
      // data would reset the connection and lose the answer. Bounded: then the connection is cut.
      socket.on('data', () => undefined);
      socket.resume();
      const timer = setTimeout(() => socket.destroy(), LINGER_MS);
      timer.unref();
      socket.once('close', () => clearTimeout(timer));
    };
    const pending = inFlight.get(socket);
    // An answer already under way (a pipelined request before this one) is not interleaved with: the refusal follows it.
    if (pending) pending.once('close', answer);
    else answer();
  });
}
