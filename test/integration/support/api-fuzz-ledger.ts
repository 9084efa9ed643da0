/**
 * What the API fuzz test keeps: every object whose write was acknowledged
 * (2xx) and not deleted since, with its uid and resourceVersion; the status
 * distribution; and the findings (5xx, resets, an unresponsive cluster, lost
 * objects), grouped by what they have in common.
 */
import type { FuzzRequest } from './api-fuzz-requests';
import { failed, type RawFailure, type RawResponse } from './raw-api';

export interface Acknowledged {
  path: string;
  uid: string;
  resourceVersion: string;
}

export interface Finding {
  what: string;
  /** Method, path and the start of the body. */
  example: string;
  answer: string;
}

/** Kinds the control plane itself deletes or replaces: not the fuzz test's to hold (and volumes reclaimed by Delete, below). */
const MANAGED_KINDS = new Set(['Event', 'Job', 'Pod', 'Lease', 'EndpointSlice', 'Endpoints']);

export class FuzzLedger {
  readonly objects = new Map<string, Acknowledged>();
  readonly statuses = new Map<string, number>();
  readonly findings: Finding[] = [];
  requests = 0;

  record(req: FuzzRequest, res: RawResponse | RawFailure): void {
    this.requests++;
    const status = failed(res) ? `no answer (${res.error})` : String(res.status);
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    if (failed(res)) return this.finding(`no answer: ${res.error}`, req, res.error);
    if (res.status >= 500) return this.finding(`${res.status} ${statusMessage(res.body)}`, req, res.body);
    if (
      res.status >= 200 &&
      res.status < 300 &&
      !req.plainPath &&
      !(req.method === 'GET' && res.status === 200 && isList(res.body))
    )
      return this.finding(`${res.status} for ${req.method} at an invalid name or namespace`, req, res.body);
    if (res.status < 200 || res.status >= 300 || !req.plainPath || req.path.includes('dryRun')) return;
    const key = `${req.resource.base}/${req.resource.plural}|${req.namespace}|${req.name}`;
    if (req.method === 'DELETE') {
      this.objects.delete(key);
      if (req.resource.kind === 'Namespace')
        for (const k of [...this.objects.keys()]) if (k.split('|')[1] === req.name) this.objects.delete(k);
      return;
    }
    if (req.method === 'GET') return;
    const object = parse(res.body);
    const meta = object?.metadata;
    if (!meta || typeof meta.uid !== 'string' || typeof meta.resourceVersion !== 'string') return;
    if (meta.name !== req.name || object.kind !== req.resource.kind || MANAGED_KINDS.has(req.resource.kind)) return;
    if (Array.isArray(meta.ownerReferences) && meta.ownerReferences.length > 0) {
      this.objects.delete(key);
      return;
    }
    // A volume the control plane deletes itself once a claim bound to it is deleted (its reclaim
    // policy, in the server's answer, is Delete; docs/orchestrator.md); the claims bind by class and
    // size, not by name, so the fuzz test cannot tell when.
    if (req.resource.kind === 'PersistentVolume' && object.spec?.persistentVolumeReclaimPolicy === 'Delete') {
      this.objects.delete(key);
      return;
    }
    const ns = req.resource.namespaced ? `/namespaces/${req.namespace}` : '';
    const path = `${req.resource.base}${ns}/${req.resource.plural}/${req.name}`;
    this.objects.set(key, { path, uid: meta.uid, resourceVersion: meta.resourceVersion });
  }

  finding(what: string, req: { method: string; path: string; body?: string | Buffer }, answer: string): void {
    const body = req.body === undefined ? '' : ` ${String(req.body).slice(0, 240)}`;
    this.findings.push({
      what,
      example: `${req.method} ${req.path.slice(0, 200)}${body}`,
      answer: answer.slice(0, 300),
    });
  }

  /** One line per kind of finding (numbers and names masked), with a count and the first example. */
  distinct(): { what: string; count: number; example: string; answer: string }[] {
    const groups = new Map<string, { what: string; count: number; example: string; answer: string }>();
    for (const f of this.findings) {
      const key = f.what.replace(/"[^"]*"/g, '"…"').replace(/\d+/g, 'N');
      const group = groups.get(key);
      if (group) group.count++;
      else groups.set(key, { ...f, count: 1 });
    }
    return [...groups.values()].sort((a, b) => b.count - a.count);
  }
}

interface ObjectShape {
  kind?: unknown;
  metadata?: { name?: unknown; uid?: unknown; resourceVersion?: unknown; ownerReferences?: unknown };
  spec?: { persistentVolumeReclaimPolicy?: unknown };
}

function parse(text: string): ObjectShape | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A list (or, with `watch=1`, a stream of watch events) answers a collection GET; with a bad
 * namespace in the path that is routine (an empty list).
 */
function isList(body: string): boolean {
  const kind = parse(body)?.kind;
  if (typeof kind === 'string' && kind.endsWith('List')) return true;
  const firstEvent = parse(body.split('\n', 1)[0] ?? '') as { type?: unknown; object?: unknown } | undefined;
  return body === '' || (typeof firstEvent?.type === 'string' && typeof firstEvent.object === 'object');
}

function statusMessage(body: string): string {
  const parsed = parse(body) as { message?: unknown } | undefined;
  const message = typeof parsed?.message === 'string' ? parsed.message : body;
  return message.slice(0, 120);
}
