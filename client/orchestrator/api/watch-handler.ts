/**
 * `?watch=1`: a chunked stream of `{type, object}` lines. Objects that start or
 * stop matching the selectors arrive as ADDED / DELETED, as in Kubernetes.
 *
 * A watch whose client does not read is bounded: once `res.write` says the stream is
 * full, what waits for 'drain' (the response's and the socket's buffers) may grow to
 * `WATCH_BACKLOG_LIMIT_BYTES` beyond the initial events; past that the watch is too far
 * behind and is ended (its buffered events dropped), as Kubernetes closes a watcher that
 * does not keep up. Clients re-list and watch again.
 */
import type { Timer } from '../clock';
import { StatusError } from '../store/errors';
import type { Stored, StoreEvent } from '../store/object-store';
import type { Call } from './api-context';
import { apiVersionOf } from '../../../server/kube-model/kinds';
import { storeKey } from './registry';
import { selectorFromQuery } from './selectors';
import { parseIncludeObject, toTable, wantsTable } from './tables/table';
import { booleanParam } from './query-params';

const DEFAULT_TIMEOUT_SECONDS = 30 * 60;
const BOOKMARK_EVERY_MS = 60_000;
/** How far (in bytes waiting to be written) a watch may fall behind its events before it is closed. */
export const WATCH_BACKLOG_LIMIT_BYTES = 2 * 1024 * 1024;

export function handleWatch(call: Call): Promise<void> {
  startWatch(call);
  return Promise.resolve();
}

function startWatch(call: Call): void {
  const { ctx, def, info, query, req, res } = call;
  const selector = selectorFromQuery(query, def);
  const match = (o: Stored | undefined) =>
    o !== undefined && selector(o) && (info.name === undefined || o.metadata.name === info.name);
  const table = wantsTable(req.headers.accept);
  const includeObject = parseIncludeObject(query.get('includeObject'));
  const sendInitial = booleanParam(query, 'sendInitialEvents');
  const bookmarks = booleanParam(query, 'allowWatchBookmarks') && !table;
  const timeoutSeconds = Number(query.get('timeoutSeconds') ?? DEFAULT_TIMEOUT_SECONDS);
  let first = true;

  // No wait for the writes in flight: the watch starts from what the log holds (store.watch), and
  // those writes follow as events once durable.
  res.writeHead(200, {
    'Content-Type': table ? 'application/json;as=Table;v=v1;g=meta.k8s.io' : 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.flushHeaders();

  // Bytes buffered by the initial events (sent all at once, as a list would be): the bound is on top of them.
  let base = 0;
  let draining = false;
  let overrun = false;
  res.on('drain', () => (draining = false));
  const send = (type: string, object: unknown) => {
    if (res.writableEnded || overrun) return;
    if (draining && res.writableLength > base + WATCH_BACKLOG_LIMIT_BYTES) {
      // Too far behind: drop what is buffered and end the stream; the client re-lists.
      overrun = true;
      res.destroy();
      return;
    }
    if (!res.write(`${JSON.stringify({ type, object })}\n`)) draining = true;
  };
  const sendObject = (type: string, obj: Stored) => {
    if (!table) return send(type, obj);
    const rendered = toTable(def, [obj], {
      now: ctx.clock.now(),
      resourceVersion: obj.metadata.resourceVersion ?? '',
      includeObject: includeObject === 'None' ? 'PartialObjectMetadata' : includeObject,
      withoutColumns: !first,
    });
    first = false;
    send(type, rendered);
  };
  const bookmark = (annotations?: Record<string, string>) =>
    send('BOOKMARK', {
      kind: def.kind,
      apiVersion: apiVersionOf(def),
      metadata: { resourceVersion: ctx.store.durableResourceVersion, ...(annotations ? { annotations } : {}) },
    });
  const onEvent = (e: StoreEvent) => {
    const now = match(e.object);
    const before = e.type === 'MODIFIED' ? match(e.old) : now;
    if (e.type === 'DELETED') {
      if (now) sendObject('DELETED', e.object);
    } else if (e.type === 'ADDED' || (now && !before)) {
      if (now) sendObject('ADDED', e.object);
    } else if (before && !now) sendObject('DELETED', e.object);
    else if (now) sendObject('MODIFIED', e.object);
  };

  const timers: Timer[] = [];
  let stop: (() => void) | undefined;
  const finish = () => {
    stop?.();
    for (const t of timers) ctx.clock.clearTimeout(t);
    if (!res.writableEnded) res.end();
  };
  req.on('close', finish);
  res.on('close', finish);
  try {
    const rv = sendInitial ? undefined : (query.get('resourceVersion') ?? undefined);
    stop = ctx.store.watch(
      storeKey(def),
      {
        ...(info.namespace !== undefined ? { namespace: info.namespace } : {}),
        ...(rv !== undefined ? { resourceVersion: rv } : {}),
      },
      onEvent,
    );
  } catch (error) {
    if (error instanceof StatusError) {
      send('ERROR', error.toStatus());
      finish();
      return;
    }
    throw error;
  }
  if (sendInitial) bookmark({ 'k8s.io/initial-events-end': 'true' });
  base = res.writableLength;
  if (Number.isFinite(timeoutSeconds) && timeoutSeconds > 0)
    timers.push(ctx.clock.setTimeout(finish, timeoutSeconds * 1000));
  if (bookmarks) {
    const tick = () => {
      if (!draining) bookmark();
      timers.push(ctx.clock.setTimeout(tick, BOOKMARK_EVERY_MS));
    };
    timers.push(ctx.clock.setTimeout(tick, BOOKMARK_EVERY_MS));
  }
}
