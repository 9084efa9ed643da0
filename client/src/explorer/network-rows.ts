/** The rows under a Service (its endpoints, ready or not) and under an Ingress (rules → path backends). */
import type { KubeObject } from '../kube/kube-object.js';
import { leaf, type TreeNode } from './tree-node.js';
import { obj, arr, str } from '../kube/json-fields.js';

/** One row per address of a Service's Endpoints: `10.0.0.7:80 → web-1 (not ready)`. */
export function endpointRows(node: TreeNode, endpoints: KubeObject | undefined): TreeNode[] {
  const rows: TreeNode[] = [];
  for (const subset of arr(endpoints?.subsets)) {
    const ports = arr(subset.ports)
      .map((p) => String(p.port))
      .join(',');
    for (const [list, ready] of [
      [subset.addresses, true],
      [subset.notReadyAddresses, false],
    ] as const)
      for (const a of arr(list)) {
        const target = str(obj(a.targetRef).name);
        rows.push(
          leaf(
            node,
            `ep:${str(a.ip)}`,
            `${str(a.ip)}:${ports}`,
            `${target}${ready ? '' : ' (not ready)'}`,
            ready ? 'ok' : 'progress',
            'endpoint',
          ),
        );
      }
  }
  return rows;
}

/** An Ingress's rules, each expandable into its paths. */
export function ingressRuleRows(node: TreeNode, ingress: KubeObject): TreeNode[] {
  return arr(obj(ingress.spec).rules).map((r, i) => ({
    ...leaf(node, `rule:${i}`, str(r.host) || '*', `${arr(obj(r.http).paths).length} paths`, 'none', 'ingressRule'),
    expandable: true,
    object: r,
  }));
}

/** A rule's paths and the Service port each sends to. */
export function ingressChildren(node: TreeNode): TreeNode[] {
  if (node.contextValue !== 'ingressRule' || !node.object) return [];
  return arr(obj(node.object.http).paths).map((p, i) => {
    const service = obj(obj(p.backend).service);
    const port = obj(service.port);
    const target = `${str(service.name)}:${str(port.name) || (typeof port.number === 'number' ? String(port.number) : '')}`;
    return leaf(node, `backend:${i}`, str(p.path) || '/', `→ ${target}`, 'none', 'ingressBackend');
  });
}
