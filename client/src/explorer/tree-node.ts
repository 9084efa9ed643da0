/** One row of the cluster explorer's tree. No `vscode` here. */
import type { KubeObject } from '../kube/kube-object.js';
import type { ObjectRef } from '../kube/object-ref.js';
import type { Health } from './resource-status.js';

export interface TreeNode {
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  health: Health;
  expandable: boolean;
  /** `resource.Deployment`, `container`, `folder`, ... (menus key on it). */
  contextValue: string;
  parent?: TreeNode;
  ref?: ObjectRef;
  object?: KubeObject;
  container?: string;
  folder?: string;
}

/** A row that is not an object of its own (a container, an endpoint, a taint). */
export function leaf(
  parent: TreeNode,
  id: string,
  label: string,
  description: string,
  health: Health,
  contextValue: string,
): TreeNode {
  return { id: `${parent.id}/${id}`, label, description, health, expandable: false, contextValue, parent };
}
