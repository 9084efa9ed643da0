import { idOf, isObject, setOrigin, type Resource } from './resource';
import type { KustomizeDiagnostic, SourceSpan } from './index';

export interface ReplicaEntry {
  name: string;
  count: number;
  span: SourceSpan;
}

const SCALABLE = new Set(['Deployment', 'ReplicationController', 'ReplicaSet', 'StatefulSet']);

/** `replicas`: spec.replicas of the workloads with that name (current or earlier). */
export function setReplicas(
  resources: readonly Resource[],
  entries: readonly ReplicaEntry[],
  diagnostics: KustomizeDiagnostic[],
): void {
  for (const entry of entries) {
    let matched = false;
    for (const resource of resources) {
      const id = idOf(resource.object);
      if (!SCALABLE.has(id.kind)) continue;
      if (id.name !== entry.name && !resource.previous.some((p) => p.name === entry.name)) continue;
      let spec = resource.object['spec'];
      if (!isObject(spec)) {
        spec = {};
        resource.object['spec'] = spec;
      }
      spec['replicas'] = entry.count;
      setOrigin(resource, ['spec', 'replicas'], entry.span);
      matched = true;
    }
    if (!matched) {
      diagnostics.push({
        ...entry.span,
        code: 'kustomize-replicas-no-target',
        severity: 'error',
        message: `replicas: no Deployment, ReplicaSet, ReplicationController or StatefulSet named '${entry.name}'`,
      });
    }
  }
}
