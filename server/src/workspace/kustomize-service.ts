import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CompletionItem, Diagnostic, Hover, Location, Position } from 'vscode-languageserver-types';
import { TextLines } from '../document/text-lines.js';
import { completeKustomization } from '../features/kustomization-completion.js';
import { kustomizationDiagnostics } from '../features/kustomization-diagnostics.js';
import { kustomizationDefinition, kustomizationHover, patchedResources } from '../features/kustomization-navigation.js';
import { isKustomizationFile, readKustomizationEntries } from './kustomization-entries.js';
import type { KustomizationEntries } from './kustomization-entries.js';
import { editorKustomizeHost } from './kustomize-host.js';
import type { EditorKustomizeHost } from './kustomize-host.js';

/**
 * Kustomize in the language server: which files of the workspace are
 * kustomizations, which files they use as patches (checked as patches, never
 * as whole manifests, and left out of the workspace index), and the language
 * features of kustomization files. Works on absolute paths; LSP URIs are
 * converted at the edge (only `file:` URIs can be kustomize inputs).
 */
export interface KustomizeService {
  /** Learns (or forgets) a file; returns the URIs of files that became, or stopped being, patches. */
  update(uri: string, text: string | undefined): string[];
  /** Whether a kustomization of the workspace uses this file as a patch. */
  isPatch(uri: string): boolean;
  isKustomization(uri: string): boolean;
  /** Diagnostics of a kustomization file (schema, missing files, remote bases, plugins). */
  diagnostics(uri: string, text: string): Diagnostic[];
  complete(uri: string, text: string, offset: number): CompletionItem[];
  hover(uri: string, text: string, offset: number): Hover | null;
  definition(uri: string, text: string, position: Position): Location[];
  /** Reads files for rendering and completion (open documents over the disk). */
  setHost(host: EditorKustomizeHost): void;
}

export function pathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export function uriOf(path: string): string {
  return pathToFileURL(path).href;
}

export function createKustomizeService(): KustomizeService {
  let host = editorKustomizeHost(() => undefined);
  /** Kustomization file path -> its text's entries. */
  const kustomizations = new Map<string, { text: string; entries: KustomizationEntries }>();
  let patches: Set<string> | undefined;
  const patchFiles = (): Set<string> => {
    if (!patches) {
      patches = new Set();
      for (const [file, { entries }] of kustomizations)
        for (const entry of entries.entries)
          if (entry.role.startsWith('patch')) patches.add(resolve(dirname(file), entry.value));
    }
    return patches;
  };
  return {
    setHost(next) {
      host = next;
    },
    update(uri, text) {
      const path = pathOf(uri);
      if (!path || !isKustomizationFile(path)) return [];
      if (text !== undefined && kustomizations.get(path)?.text === text) return [];
      const before = patchFiles();
      if (text === undefined) kustomizations.delete(path);
      else kustomizations.set(path, { text, entries: readKustomizationEntries(text) });
      patches = undefined;
      const after = patchFiles();
      const changed = [...before].filter((p) => !after.has(p)).concat([...after].filter((p) => !before.has(p)));
      return changed.map(uriOf);
    },
    isPatch(uri) {
      const path = pathOf(uri);
      return path !== undefined && patchFiles().has(path);
    },
    isKustomization(uri) {
      const path = pathOf(uri);
      return path !== undefined && isKustomizationFile(path);
    },
    diagnostics(uri, text) {
      const path = pathOf(uri);
      if (!path) return [];
      this.update(uri, text);
      return kustomizationDiagnostics(text, path, host);
    },
    complete(uri, text, offset) {
      const path = pathOf(uri);
      return path ? completeKustomization(text, offset, path, host) : [];
    },
    hover(uri, text, offset) {
      return pathOf(uri) ? kustomizationHover(text, offset) : null;
    },
    definition(uri, text, position) {
      const path = pathOf(uri);
      if (!path) return [];
      const lines = new TextLines(text);
      if (isKustomizationFile(path))
        return kustomizationDefinition(text, lines.offsetAt(position.line, position.character), path, host);
      // A strategic merge patch: the resources it patches, in the bases of each kustomization using it.
      const users = [...kustomizations].filter(([file, { entries }]) =>
        entries.entries.some((e) => e.role.startsWith('patch') && resolve(dirname(file), e.value) === path),
      );
      return users.flatMap(([file, k]) =>
        patchedResources(text, lines.offsetAt(position.line, position.character), file, k.text, host),
      );
    },
  };
}
