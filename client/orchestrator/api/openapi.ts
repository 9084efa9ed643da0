/**
 * /openapi/v3: one document per group version, listing each kind's paths and
 * operations and, as components, every schema its kinds reference, with the
 * merge extensions (openapi-components.ts). kubectl reads the PATCH
 * operation's `fieldValidation` parameter to decide that the server validates
 * fields itself, and its strategic-merge-patch media type plus the components
 * to compute client-side apply's patch. Documents are built once per group
 * version and served with their hash as ETag; `?hash=` URLs are immutable.
 */
import { createHash } from 'node:crypto';
import type { KubernetesSchemas } from '../../../server/kube-model/schema-loader';
import { servedVersion } from './discovery';
import { componentsFor, definitionNameOf } from './openapi-components';
import { openApiTypeName } from '../../../server/kube-model/patch/patch-meta';
import { type Registry, type ResourceDef } from './registry';
import { requestsInFlight } from './request-priority';

const QUERY_PARAMS = ['dryRun', 'fieldManager', 'fieldValidation', 'force', 'pretty'];

export function gvPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

function itemPath(def: ResourceDef): string {
  const base = `/${gvPath(def.group, def.version)}`;
  return def.namespaced ? `${base}/namespaces/{namespace}/${def.resource}/{name}` : `${base}/${def.resource}/{name}`;
}

function collectionPath(def: ResourceDef): string {
  const base = `/${gvPath(def.group, def.version)}`;
  return def.namespaced ? `${base}/namespaces/{namespace}/${def.resource}` : `${base}/${def.resource}`;
}

function operations(def: ResourceDef, schemaName: string): Record<string, unknown> {
  const gvk = { group: def.group, version: def.version, kind: def.kind };
  const ref = { $ref: `#/components/schemas/${schemaName}` };
  const json = { 'application/json': { schema: ref } };
  const params = QUERY_PARAMS.map((name) => ({
    name,
    in: 'query',
    schema: { type: name === 'force' ? 'boolean' : 'string', uniqueItems: true },
  }));
  const op = (action: string, verb: string, body?: Record<string, unknown>) => ({
    operationId: `${verb}${def.kind}`,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
    parameters: params,
    ...(body ? { requestBody: { content: body, required: true } } : {}),
    responses: { '200': { description: 'OK', content: json } },
  });
  const patchBody = {
    'application/json-patch+json': { schema: { type: 'object' } },
    'application/merge-patch+json': { schema: { type: 'object' } },
    'application/strategic-merge-patch+json': { schema: { type: 'object' } },
    'application/apply-patch+yaml': { schema: { type: 'object' } },
  };
  return {
    [itemPath(def)]: {
      get: op('get', 'read'),
      put: op('put', 'replace', json),
      patch: op('patch', 'patch', patchBody),
      delete: op('delete', 'delete'),
      parameters: [
        { name: 'name', in: 'path', required: true, schema: { type: 'string' } },
        ...(def.namespaced ? [{ name: 'namespace', in: 'path', required: true, schema: { type: 'string' } }] : []),
      ],
    },
    [collectionPath(def)]: { get: op('list', 'list'), post: op('post', 'create', json) },
  };
}

export function openApiDocument(
  registry: Registry,
  group: string,
  version: string,
  schemas?: KubernetesSchemas,
): Record<string, unknown> | undefined {
  const defs = registry.inGroupVersion(group, version);
  if (defs.length === 0) return undefined;
  const paths: Record<string, unknown> = {};
  const schemasOut: Record<string, unknown> = schemas ? componentsFor(schemas, defs) : {};
  for (const def of defs) {
    const defined = schemas && definitionNameOf(schemas, def);
    const name = defined ?? openApiTypeName(def.group, def.version, def.kind);
    Object.assign(paths, operations(def, name));
    // A kind without a generated schema (none loaded): its identity only.
    schemasOut[name] ??= {
      type: 'object',
      'x-kubernetes-group-version-kind': [{ group: def.group, version: def.version, kind: def.kind }],
      properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' } },
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: servedVersion(schemas?.kubernetesVersion).gitVersion },
    paths,
    components: { schemas: schemasOut },
  };
}

export interface ServedDocument {
  /** The document's JSON text, built once. */
  text: string;
  /** Upper-case hex, as Kubernetes spells it in `?hash=`. */
  hash: string;
}

/** The documents of one registry and schema version, each built on first use and kept. */
export class OpenApiDocuments {
  private readonly built = new Map<string, ServedDocument>();

  constructor(
    private readonly registry: Registry,
    private readonly schemas: KubernetesSchemas | undefined,
  ) {}

  /** Undefined for a group version the registry does not serve (never kept: the URL is the client's). */
  document(group: string, version: string): ServedDocument | undefined {
    const key = `${group}/${version}`;
    let served = this.built.get(key);
    if (served) return served;
    const doc = openApiDocument(this.registry, group, version, this.schemas);
    if (!doc) return undefined;
    const text = JSON.stringify(doc);
    served = { text, hash: createHash('sha512').update(text).digest('hex').toUpperCase() };
    this.built.set(key, served);
    return served;
  }

  /**
   * Builds every group version's document ahead of its first request (the `/openapi/v3`
   * index needs them all: ~0.8 s in a fresh cluster's first `kubectl apply` otherwise), one
   * document per turn of the event loop and only while no request is in flight, so requests
   * never wait behind it. Stops early once `stopped()` says so. Served documents are the same
   * whether built here or on demand.
   */
  async warm(stopped: () => boolean = () => false): Promise<void> {
    for (const { group, version } of this.registry.groupVersions()) {
      await new Promise((resolve) => setImmediate(resolve));
      for (let busy = requestsInFlight(); busy; busy = requestsInFlight()) await busy;
      if (stopped()) return;
      this.document(group, version);
    }
  }

  /** The `/openapi/v3` index: each group version's URL with its document's hash. */
  root(): Record<string, unknown> {
    const paths: Record<string, unknown> = {};
    for (const { group, version } of this.registry.groupVersions()) {
      const served = this.document(group, version);
      if (served)
        paths[gvPath(group, version)] = {
          serverRelativeURL: `/openapi/v3/${gvPath(group, version)}?hash=${served.hash}`,
        };
    }
    return { paths };
  }
}

/** `api/v1` or `apis/apps/v1` → group and version. */
export function parseOpenApiPath(rest: string): { group: string; version: string } | undefined {
  const parts = rest.split('/').filter(Boolean);
  if (parts[0] === 'api' && parts.length === 2) return { group: '', version: parts[1]! };
  if (parts[0] === 'apis' && parts.length === 3) return { group: parts[1]!, version: parts[2]! };
  return undefined;
}
