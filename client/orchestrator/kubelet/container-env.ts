/**
 * A container's environment as the kubelet resolves it: `value`, `fieldRef`
 * (pod name, namespace, uid, IPs, node, labels and annotations),
 * `configMapKeyRef`/`secretKeyRef` and `envFrom`, read from the store, over
 * the Service variables (`NAME_SERVICE_HOST`...) of the Services that exist
 * when the container is created.
 */
import { isObject, type JsonObject } from '../store/object';
import type { ObjectStore, Stored } from '../store/object-store';
import { serviceLinkEnv, type ServiceHost } from './service-env';

export class EnvError extends Error {}

function fieldValue(pod: Stored, path: string, podIp: string, hostIp: string): string {
  const meta = pod.metadata;
  const spec = isObject(pod.spec) ? pod.spec : {};
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (m) return (m[1] === 'labels' ? meta.labels : meta.annotations)?.[m[2]!] ?? '';
  switch (path) {
    case 'metadata.name':
      return meta.name ?? '';
    case 'metadata.namespace':
      return meta.namespace ?? '';
    case 'metadata.uid':
      return meta.uid ?? '';
    case 'spec.nodeName':
      return typeof spec.nodeName === 'string' ? spec.nodeName : '';
    case 'spec.serviceAccountName':
      return typeof spec.serviceAccountName === 'string' ? spec.serviceAccountName : 'default';
    case 'status.podIP':
    case 'status.podIPs':
      return podIp;
    case 'status.hostIP':
    case 'status.hostIPs':
      return hostIp;
    default:
      throw new EnvError(`unsupported fieldRef ${path}`);
  }
}

function dataOf(
  store: ObjectStore,
  kind: 'configmaps' | 'secrets',
  namespace: string,
  name: string,
): Record<string, string> | undefined {
  const obj = store.get(`/${kind}`, namespace, name);
  if (!obj) return undefined;
  const out: Record<string, string> = {};
  if (isObject(obj.data)) {
    for (const [k, v] of Object.entries(obj.data))
      out[k] = kind === 'secrets' ? Buffer.from(String(v), 'base64').toString('utf8') : String(v);
  }
  if (kind === 'secrets' && isObject(obj.stringData))
    for (const [k, v] of Object.entries(obj.stringData)) out[k] = String(v);
  return out;
}

export function resolveEnv(
  store: ObjectStore,
  pod: Stored,
  container: Readonly<JsonObject>,
  podIp: string,
  hostIp: string,
  serviceHost?: ServiceHost,
): { name: string; value: string }[] {
  const namespace = pod.metadata.namespace ?? 'default';
  const podSpec = isObject(pod.spec) ? pod.spec : {};
  const env = new Map<string, string>(
    serviceLinkEnv(
      {
        inNamespace: store.list('/services', namespace).items,
        kubernetes: store.get('/services', 'default', 'kubernetes'),
      },
      podSpec.enableServiceLinks !== false,
      serviceHost,
    ),
  );
  for (const from of Array.isArray(container.envFrom) ? container.envFrom.filter(isObject) : []) {
    const ref = isObject(from.configMapRef) ? from.configMapRef : isObject(from.secretRef) ? from.secretRef : undefined;
    if (!ref) continue;
    const kind = isObject(from.configMapRef) ? 'configmaps' : 'secrets';
    const data = dataOf(store, kind, namespace, String(ref.name));
    if (!data) {
      if (ref.optional === true) continue;
      throw new EnvError(`${kind === 'configmaps' ? 'configmap' : 'secret'} "${String(ref.name)}" not found`);
    }
    const prefix = typeof from.prefix === 'string' ? from.prefix : '';
    for (const [k, v] of Object.entries(data)) env.set(prefix + k, v);
  }
  for (const e of Array.isArray(container.env) ? container.env.filter(isObject) : []) {
    const name = String(e.name);
    if (typeof e.value === 'string') {
      env.set(name, expandVariables(e.value, env));
      continue;
    }
    const from = isObject(e.valueFrom) ? e.valueFrom : undefined;
    if (!from) {
      env.set(name, '');
      continue;
    }
    if (isObject(from.fieldRef)) env.set(name, fieldValue(pod, String(from.fieldRef.fieldPath), podIp, hostIp));
    else if (isObject(from.configMapKeyRef) || isObject(from.secretKeyRef)) {
      const ref = (from.configMapKeyRef ?? from.secretKeyRef) as JsonObject;
      const kind = isObject(from.configMapKeyRef) ? 'configmaps' : 'secrets';
      const value = dataOf(store, kind, namespace, String(ref.name))?.[String(ref.key)];
      if (value === undefined) {
        if (ref.optional === true) continue;
        const what = kind === 'configmaps' ? 'configmap' : 'secret';
        throw new EnvError(
          `couldn't find key ${String(ref.key)} in ${what[0]!.toUpperCase()}${what.slice(1)} ${namespace}/${String(ref.name)}`,
        );
      }
      env.set(name, value);
    } else env.set(name, '');
  }
  return [...env].map(([name, value]) => ({ name, value }));
}

/**
 * Kubernetes' `$(VAR)` references in env values, command and args: a defined
 * variable is replaced, an undefined one is left as written, and `$$` stands
 * for a literal `$` (so `$$(VAR)` gives `$(VAR)`).
 */
export function expandVariables(text: string, env: ReadonlyMap<string, string>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (all, name: string | undefined) =>
    name === undefined ? '$' : (env.get(name) ?? all),
  );
}

/** The container spec with `$(VAR)` in its command and args expanded from its resolved env. */
export function withExpandedCommand(
  spec: Readonly<JsonObject>,
  env: readonly { name: string; value: string }[],
): Readonly<JsonObject> {
  if (!Array.isArray(spec.command) && !Array.isArray(spec.args)) return spec;
  const vars = new Map(env.map((e) => [e.name, e.value]));
  const expand = (v: unknown) => (Array.isArray(v) ? v.map((a) => expandVariables(String(a), vars)) : v);
  return {
    ...spec,
    ...(Array.isArray(spec.command) ? { command: expand(spec.command) } : {}),
    ...(Array.isArray(spec.args) ? { args: expand(spec.args) } : {}),
  };
}
