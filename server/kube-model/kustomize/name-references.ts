import { forEachField } from './field-specs';
import { idOf, setOrigin, str, type JsonObject, type Resource } from './resource';

/** A field of a referrer that holds the name of a resource of kind `to`. */
interface Reference {
  to: string;
  /** Referrer kinds; `pod` means every place a pod spec sits. */
  from: readonly string[] | 'pod';
  path: string;
  /** Only when the object holding the field says so (e.g. `kind: ServiceAccount` on a subject). */
  when?: (holder: JsonObject) => boolean;
}

const POD_SPEC_PATHS: Readonly<Record<string, string>> = {
  Pod: 'spec',
  Deployment: 'spec/template/spec',
  ReplicaSet: 'spec/template/spec',
  DaemonSet: 'spec/template/spec',
  StatefulSet: 'spec/template/spec',
  Job: 'spec/template/spec',
  ReplicationController: 'spec/template/spec',
  CronJob: 'spec/jobTemplate/spec/template/spec',
  PodTemplate: 'template/spec',
};

const CONTAINERS = ['containers', 'initContainers', 'ephemeralContainers'];
const ofKind = (kind: string) => (holder: JsonObject) => holder['kind'] === kind;

const REFERENCES: readonly Reference[] = [
  { to: 'ConfigMap', from: 'pod', path: 'volumes/configMap/name' },
  { to: 'ConfigMap', from: 'pod', path: 'volumes/projected/sources/configMap/name' },
  ...CONTAINERS.flatMap((c): Reference[] => [
    { to: 'ConfigMap', from: 'pod', path: `${c}/env/valueFrom/configMapKeyRef/name` },
    { to: 'ConfigMap', from: 'pod', path: `${c}/envFrom/configMapRef/name` },
    { to: 'Secret', from: 'pod', path: `${c}/env/valueFrom/secretKeyRef/name` },
    { to: 'Secret', from: 'pod', path: `${c}/envFrom/secretRef/name` },
  ]),
  { to: 'Secret', from: 'pod', path: 'volumes/secret/secretName' },
  { to: 'Secret', from: 'pod', path: 'volumes/projected/sources/secret/name' },
  { to: 'Secret', from: 'pod', path: 'imagePullSecrets/name' },
  { to: 'Secret', from: ['ServiceAccount'], path: 'imagePullSecrets/name' },
  { to: 'Secret', from: ['ServiceAccount'], path: 'secrets/name' },
  { to: 'Secret', from: ['Ingress'], path: 'spec/tls/secretName' },
  { to: 'Service', from: ['Ingress'], path: 'spec/rules/http/paths/backend/service/name' },
  { to: 'Service', from: ['Ingress'], path: 'spec/defaultBackend/service/name' },
  { to: 'Service', from: ['StatefulSet'], path: 'spec/serviceName' },
  { to: 'Service', from: ['APIService'], path: 'spec/service/name' },
  {
    to: 'Service',
    from: ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'],
    path: 'webhooks/clientConfig/service/name',
  },
  { to: 'PersistentVolumeClaim', from: 'pod', path: 'volumes/persistentVolumeClaim/claimName' },
  { to: 'PersistentVolume', from: ['PersistentVolumeClaim'], path: 'spec/volumeName' },
  { to: 'StorageClass', from: ['PersistentVolumeClaim', 'PersistentVolume'], path: 'spec/storageClassName' },
  { to: 'StorageClass', from: ['StatefulSet'], path: 'spec/volumeClaimTemplates/spec/storageClassName' },
  { to: 'ServiceAccount', from: 'pod', path: 'serviceAccountName' },
  { to: 'ServiceAccount', from: 'pod', path: 'serviceAccount' },
  {
    to: 'ServiceAccount',
    from: ['RoleBinding', 'ClusterRoleBinding'],
    path: 'subjects/name',
    when: ofKind('ServiceAccount'),
  },
  { to: 'Role', from: ['RoleBinding'], path: 'roleRef/name', when: ofKind('Role') },
  { to: 'ClusterRole', from: ['RoleBinding', 'ClusterRoleBinding'], path: 'roleRef/name', when: ofKind('ClusterRole') },
  { to: 'PriorityClass', from: 'pod', path: 'priorityClassName' },
  ...['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController'].map((kind): Reference => ({
    to: kind,
    from: ['HorizontalPodAutoscaler'],
    path: 'spec/scaleTargetRef/name',
    when: ofKind(kind),
  })),
];

function pathsIn(kind: string, ref: Reference): string[] {
  if (ref.from === 'pod') {
    const base = POD_SPEC_PATHS[kind];
    return base === undefined ? [] : [`${base}/${ref.path}`];
  }
  return ref.from.includes(kind) ? [ref.path] : [];
}

/**
 * kustomize's name reference fixing, run once at the end: a field that names a
 * resource by a name it had before a prefix, suffix or content hash was added
 * now names it by its final name.
 */
export function fixNameReferences(resources: readonly Resource[]): void {
  const byKind = new Map<string, Resource[]>();
  for (const r of resources) {
    const kind = idOf(r.object).kind;
    byKind.set(kind, [...(byKind.get(kind) ?? []), r]);
  }
  for (const referrer of resources) {
    const from = idOf(referrer.object);
    for (const ref of REFERENCES) {
      const candidates = byKind.get(ref.to);
      if (candidates === undefined) continue;
      for (const path of pathsIn(from.kind, ref)) {
        forEachField(referrer.object, path, false, (holder, key, at) => {
          const value = holder[key];
          if (typeof value !== 'string') return;
          if (ref.when !== undefined && !ref.when(holder)) return;
          const namespace =
            ref.to === 'ServiceAccount' && 'namespace' in holder ? str(holder['namespace']) : from.namespace;
          const target = pick(candidates, value, namespace, referrer.layers ?? []);
          if (target === undefined) return;
          const name = idOf(target.object).name;
          if (name === value) return;
          holder[key] = name;
          setOrigin(referrer, at, target.source.span);
        });
      }
    }
  }
}

/**
 * The resource a reference means: the only one that had that name; else the
 * only one renamed by the same kustomizations as the referrer (two bases with
 * the same names under different prefixes each keep their own); else the only
 * one in the referrer's namespace.
 */
function pick(
  candidates: readonly Resource[],
  name: string,
  namespace: string,
  layers: readonly string[],
): Resource | undefined {
  const named = candidates.filter((c) => {
    const id = idOf(c.object);
    if (id.name === name) return true;
    return c.previous.some((p) => p.name === name);
  });
  if (named.length <= 1) return named[0];
  const sameLayers = named.filter((c) => {
    const theirs = c.layers ?? [];
    return theirs.length === layers.length && theirs.every((l, i) => l === layers[i]);
  });
  if (sameLayers.length === 1) return sameLayers[0];
  const near = named.filter((c) => {
    const ns = idOf(c.object).namespace;
    return ns === namespace || c.previous.some((p) => p.namespace === namespace);
  });
  return near.length === 1 ? near[0] : undefined;
}
