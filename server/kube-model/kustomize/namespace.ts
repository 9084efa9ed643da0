import { forEachField } from './field-specs';
import { CLUSTER_SCOPED_KINDS } from '../kinds';
import { idOf, isObject, metadataOf, setOrigin, str, type Resource } from './resource';
import type { SourceSpan } from './index';

/** kustomize treats these as cluster-scoped too (its own list, beyond the API's). */
export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED_KINDS.has(kind);
}

/** Where kinds name the namespace of a Service they call (set to the new namespace too). */
const SERVICE_NAMESPACES: Readonly<Record<string, string>> = {
  ValidatingWebhookConfiguration: 'webhooks/clientConfig/service/namespace',
  MutatingWebhookConfiguration: 'webhooks/clientConfig/service/namespace',
  APIService: 'spec/service/namespace',
  CustomResourceDefinition: 'spec/conversion/webhook/clientConfig/service/namespace',
};

/**
 * The `namespace` field: sets metadata.namespace of every namespaced
 * resource, and the namespace of ServiceAccount subjects of role bindings
 * that named the namespace the resource had before (or none, or `default`).
 */
export function setNamespace(resources: readonly Resource[], namespace: string, span: SourceSpan): void {
  for (const resource of resources) {
    const id = idOf(resource.object);
    const service = SERVICE_NAMESPACES[id.kind];
    if (service !== undefined) {
      forEachField(resource.object, service, false, (holder, key, at) => {
        holder[key] = namespace;
        setOrigin(resource, at, span);
      });
    }
    if (isClusterScoped(id.kind)) {
      if (id.kind === 'ClusterRoleBinding') fixSubjects(resource, namespace, span, id.namespace);
      continue;
    }
    const meta = metadataOf(resource.object);
    if (!isObject(resource.object['metadata'])) resource.object['metadata'] = meta;
    if (str(meta['namespace']) !== namespace) resource.previous.push(id);
    meta['namespace'] = namespace;
    setOrigin(resource, ['metadata', 'namespace'], span);
    if (id.kind === 'RoleBinding') fixSubjects(resource, namespace, span, id.namespace);
  }
}

function fixSubjects(resource: Resource, namespace: string, span: SourceSpan, before: string): void {
  const subjects = resource.object['subjects'];
  if (!Array.isArray(subjects)) return;
  subjects.forEach((subject, i) => {
    if (!isObject(subject) || subject['kind'] !== 'ServiceAccount') return;
    const ns = str(subject['namespace']);
    if (ns === 'default' || (before !== '' && ns === before) || ns === '') {
      subject['namespace'] = namespace;
      setOrigin(resource, ['subjects', i, 'namespace'], span);
    }
  });
}
