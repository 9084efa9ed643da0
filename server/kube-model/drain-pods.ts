/**
 * Which pods a drain leaves where they are, as `kubectl drain
 * --ignore-daemonsets` does (and cluster-autoscaler's scale-down): pods a
 * DaemonSet controls (it would only put them back) and mirror pods (the
 * kubelet's static pods, which the API cannot evict).
 */
type Json = Record<string, unknown>;
const isJson = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function staysOnDrain(pod: unknown): boolean {
  const metadata = isJson(pod) && isJson(pod.metadata) ? pod.metadata : {};
  const annotations = isJson(metadata.annotations) ? metadata.annotations : {};
  if (annotations['kubernetes.io/config.mirror'] !== undefined) return true;
  const owners = Array.isArray(metadata.ownerReferences) ? metadata.ownerReferences.filter(isJson) : [];
  return owners.some((r) => r.controller === true && r.kind === 'DaemonSet');
}
