/**
 * /openapi/v3: one document per group version, listing each kind's paths and
 * operations. kubectl reads the PATCH operation's `fieldValidation` parameter
 * to decide that the server validates fields itself (so it skips its own
 * client-side schema check and sends `fieldValidation=Strict`). Component
 * schemas come from the generated JSON Schemas when they are present.
 */
import { createHash } from 'node:crypto';
import { SERVER_VERSION } from './discovery';
import { type Registry, type ResourceDef } from './registry';

const QUERY_PARAMS = ['dryRun', 'fieldManager', 'fieldValidation', 'force', 'pretty'];

function gvPath(group: string, version: string): string {
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

const schemaName = (def: ResourceDef) =>
  `io.k8s.${def.group === '' ? 'api.core' : def.group}.${def.version}.${def.kind}`;

function operations(def: ResourceDef): Record<string, unknown> {
  const gvk = { group: def.group, version: def.version, kind: def.kind };
  const ref = { $ref: `#/components/schemas/${schemaName(def)}` };
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
): Record<string, unknown> | undefined {
  const defs = registry.inGroupVersion(group, version);
  if (defs.length === 0) return undefined;
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  for (const def of defs) {
    Object.assign(paths, operations(def));
    schemas[schemaName(def)] = {
      type: 'object',
      'x-kubernetes-group-version-kind': [{ group: def.group, version: def.version, kind: def.kind }],
      properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' } },
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: SERVER_VERSION.gitVersion },
    paths,
    components: { schemas },
  };
}

export function openApiRoot(registry: Registry): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const { group, version } of registry.groupVersions()) {
    const doc = JSON.stringify(openApiDocument(registry, group, version));
    const hash = createHash('sha256').update(doc).digest('hex').slice(0, 32).toUpperCase();
    paths[gvPath(group, version)] = { serverRelativeURL: `/openapi/v3/${gvPath(group, version)}?hash=${hash}` };
  }
  return { paths };
}

/** `api/v1` or `apis/apps/v1` → group and version. */
export function parseOpenApiPath(rest: string): { group: string; version: string } | undefined {
  const parts = rest.split('/').filter(Boolean);
  if (parts[0] === 'api' && parts.length === 2) return { group: '', version: parts[1]! };
  if (parts[0] === 'apis' && parts.length === 3) return { group: parts[1]!, version: parts[2]! };
  return undefined;
}
