import type { CodeLens } from 'vscode-languageserver-types';
import { distinctResources, referrersOf, toLocation } from './referrers.js';
import type { WorkspaceIndex } from './workspace-index.js';

/**
 * The client's command behind the lens: it turns the plain JSON arguments
 * (uri string, position, locations) into VS Code's Uri/Position/Location and
 * opens the references peek (`editor.action.showReferences` needs those objects).
 */
export const SHOW_REFERENCES_COMMAND = 'kubeWorkbench.showReferences';

/**
 * One lens above each manifest document of a file: "N references", the
 * number of resources in the workspace that reference it (pods naming a
 * ConfigMap, Ingresses naming a Service, Services selecting a workload).
 * Clicking it peeks at the references (arguments: uri, position, locations).
 */
export function referenceLenses(index: WorkspaceIndex, uri: string): CodeLens[] {
  return index.resources(uri).map((resource) => {
    const referrers = referrersOf(index, resource);
    const count = distinctResources(referrers);
    const title = `${count} ${count === 1 ? 'reference' : 'references'}`;
    const position = resource.documentRange.start;
    return {
      range: resource.documentRange,
      command:
        count === 0
          ? { title, command: '' }
          : { title, command: SHOW_REFERENCES_COMMAND, arguments: [uri, position, referrers.map(toLocation)] },
    };
  });
}
