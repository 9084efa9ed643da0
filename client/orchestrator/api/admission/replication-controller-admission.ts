/**
 * What Kubernetes' defaulting and validation do to a ReplicationController
 * beyond its pod template (which defaults.ts and validation.ts treat as for
 * every workload): `spec.replicas` defaults to 1; an empty selector defaults
 * to the template's labels, and so do the RC's own labels. Its validation is
 * the shared rules' (`validateReplicationController` in server/kube-model).
 */
import { clone, isObject, type KubeObject } from '../../store/object';
import { child, setDefault } from './default-fields';

const isEmptyMap = (v: unknown) => !isObject(v) || Object.keys(v).length === 0;

export function defaultReplicationController(rc: KubeObject, create: boolean): void {
  const spec = child(rc, 'spec');
  setDefault(spec, 'replicas', 1);
  const template = isObject(spec.template) ? spec.template : undefined;
  const labels = isObject(template?.metadata) ? template.metadata.labels : undefined;
  if (isObject(labels) && Object.keys(labels).length > 0) {
    if (isEmptyMap(spec.selector)) spec.selector = clone(labels);
    if (isEmptyMap(rc.metadata.labels)) rc.metadata.labels = clone(labels) as Record<string, string>;
  }
  if (create) delete rc.status;
}
