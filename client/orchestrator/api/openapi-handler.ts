/**
 * GET /openapi/v3 and /openapi/v3/<group version>: the built documents with their
 * hash as ETag (a matching If-None-Match is a 304). As in Kubernetes, a URL whose
 * `?hash=` is the current one may be cached for good, and a stale hash redirects
 * to the current URL.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StatusError } from '../store/errors';
import { sendJson } from './http-io';
import { gvPath, parseOpenApiPath, type OpenApiDocuments } from './openapi';

const YEAR_SECONDS = 365 * 24 * 3600;

export function serveOpenApi(
  req: IncomingMessage,
  res: ServerResponse,
  docs: OpenApiDocuments,
  path: string,
  query: URLSearchParams,
): void {
  if (path === '/openapi/v3') return sendJson(res, 200, docs.root());
  const gv = parseOpenApiPath(path.slice('/openapi/v3/'.length));
  const served = gv && docs.document(gv.group, gv.version);
  if (!served) throw new StatusError('NotFound', `the server could not find the requested resource (${path})`);
  const etag = `"${served.hash}"`;
  const asked = query.get('hash');
  if (asked !== null && asked !== served.hash) {
    res.writeHead(301, {
      Location: `/openapi/v3/${gvPath(gv.group, gv.version)}?hash=${served.hash}`,
      'Content-Length': 0,
    });
    res.end();
    return;
  }
  const caching =
    asked === null
      ? { 'Cache-Control': 'no-cache, private' }
      : {
          'Cache-Control': `public, immutable, max-age=${YEAR_SECONDS}`,
          Expires: new Date(Date.now() + YEAR_SECONDS * 1000).toUTCString(),
        };
  if ((req.headers['if-none-match'] ?? '').split(',').some((tag) => tag.trim() === etag)) {
    res.writeHead(304, { ETag: etag, ...caching });
    res.end();
    return;
  }
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(served.text),
    ETag: etag,
    ...caching,
  });
  res.end(served.text);
}
