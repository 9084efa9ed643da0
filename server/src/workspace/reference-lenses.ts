import type { CodeLens } from 'vscode-languageserver-types';
import { ClientCommand, clientCommand } from '../protocol/client-commands.js';
import { distinctResources, referrersOf, toLocation } from './referrers.js';
import type { WorkspaceIndex } from './workspace-index.js';

/**
 * One lens above each manifest document of a file: "N references", the
 * number of resources in the workspace that reference it (pods naming a
 * ConfigMap, Ingresses naming a Service, Services selecting a workload).
 * Clicking it runs the client's `showReferences` (arguments: uri, position,
 * locations), which turns the plain JSON into VS Code's Uri/Position/Location
 * and opens the references peek.
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
          : clientCommand(title, ClientCommand.showReferences, uri, position, referrers.map(toLocation)),
    };
  });
}
