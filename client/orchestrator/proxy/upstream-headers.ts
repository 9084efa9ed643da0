/**
 * What the Ingress accepts from a backend's answer, matched to nginx's proxy
 * module rather than to Node's strict parser. The answer is read with Node's
 * lenient parser (`insecureHTTPParser`), which, like nginx, accepts header and
 * status lines ending in a bare LF (CGI scripts under busybox httpd send
 * those). Then the two things nginx refuses with 502 and the lenient parser
 * lets through are refused here too: Content-Length together with
 * Transfer-Encoding (a request-smuggling vector), and a NUL in a header.
 * A duplicate Content-Length is refused by the parser itself, as by nginx.
 * A header whose value Node cannot write to the client (another control
 * character: nginx passes it) is left out, the one place we differ.
 */
import { validateHeaderName, validateHeaderValue } from 'node:http';

export type UpstreamHeaders = { ok: true; rawHeaders: string[]; dropped: string[] } | { ok: false; reason: string };

export function upstreamHeaders(rawHeaders: readonly string[]): UpstreamHeaders {
  let length = false;
  let chunked = false;
  const kept: string[] = [];
  const dropped: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    const value = rawHeaders[i + 1]!;
    if (name.includes('\0') || value.includes('\0'))
      return { ok: false, reason: `upstream sent an invalid header (a NUL in ${JSON.stringify(name)})` };
    const lower = name.toLowerCase();
    if (lower === 'content-length') length = true;
    if (lower === 'transfer-encoding') chunked = true;
    try {
      validateHeaderName(name);
      validateHeaderValue(name, value);
      kept.push(name, value);
    } catch {
      dropped.push(name);
    }
  }
  if (length && chunked)
    return { ok: false, reason: 'upstream sent Content-Length and Transfer-Encoding headers at the same time' };
  return { ok: true, rawHeaders: kept, dropped };
}
