import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CompletionItem, Diagnostic, Hover, Location, Position } from 'vscode-languageserver-types';
import { TextLines } from '../document/text-lines.js';
import { asPieces } from '../document/text-pieces.js';
import type { TextPieces } from '../document/text-pieces.js';
import { completeKustomization } from '../features/kustomization-completion.js';
import { kustomizationDiagnostics } from '../features/kustomization-diagnostics.js';
import { kustomizationDefinition, kustomizationHover, patchedResources } from '../features/kustomization-navigation.js';
import { isKustomizationFile, readKustomizationEntries } from './kustomization-entries.js';
import type { KustomizationEntries } from './kustomization-entries.js';
import { editorKustomizeHost } from './kustomize-host.js';
import { renderKustomization } from '../../kube-model/kustomize/index.js';
import { diagnosticsForFile, placeRenderDiagnostics, ValidationMemo } from './rendered-diagnostics.js';
import type { RenderFindings, ValidateText } from './rendered-diagnostics.js';
import type { EditorKustomizeHost } from './kustomize-host.js';

/**
 * Kustomize in the language server: which files of the workspace are
 * kustomizations, which files they use as patches (checked as patches, never
 * as whole manifests, and left out of the workspace index), and the language
 * features of kustomization files. Works on absolute paths; LSP URIs are
 * converted at the edge (only `file:` URIs can be kustomize inputs).
 */
/** A kustomization's last render: what it found (and read), and whether it must render again. */
interface RenderState {
  findings: RenderFindings | undefined;
  stale: boolean;
}

export interface KustomizeService {
  /**
   * Learns (or forgets) a file. `patches`: URIs of files that became, or stopped being,
   * patches; `rendered`: whether a kustomization that reads the file must render again
   * (so the rendered diagnostics of other files may change). `text`: an open document's pieces too
   * (see PiecedTextDocument), the whole text built only for a file a kustomization reads.
   */
  update(uri: string, text: string | TextPieces | undefined): { patches: string[]; rendered: boolean };
  /**
   * Problems of the rendered output of every kustomization that reads this file, placed on
   * it (its base resources, patch lines, kustomization entries), from the last renders (never
   * renders: a keystroke is answered at once, `renderStale` catches up).
   */
  renderedDiagnostics(uri: string): Diagnostic[];
  /** Whether a kustomization must render again (a file it reads changed since). */
  hasStale(): boolean;
  /** Renders again only the kustomizations a changed file feeds; true when any rendered. */
  renderStale(): boolean;
  /** Called after an update that changed patch files or made renders stale (whoever made the update). */
  onDidChange(listener: (change: { patches: string[]; rendered: boolean }) => void): void;
  /** Whether a kustomization of the workspace uses this file as a patch. */
  isPatch(uri: string): boolean;
  isKustomization(uri: string): boolean;
  /** Whether a generator of a workspace kustomization makes this ConfigMap or Secret. */
  generates(kind: string, name: string): boolean;
  /** Diagnostics of a kustomization file (schema, missing files, remote bases, plugins). */
  diagnostics(uri: string, text: string): Diagnostic[];
  complete(uri: string, text: string, offset: number): CompletionItem[];
  hover(uri: string, text: string, offset: number): Hover | null;
  definition(uri: string, text: string, position: Position): Location[];
  /** Settings changed (Kubernetes version, rules): every kustomization renders and validates again. */
  invalidate(): void;
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

/** Kustomizations rendered for diagnostics at most (a workspace of thousands is not re-rendered on each edit). */
const MAX_RENDERS = 200;
const COMPONENT = /^kind:\s*['"]?Component['"]?\s*$/m;

export function createKustomizeService(validate: ValidateText = () => []): KustomizeService {
  let host = editorKustomizeHost(() => undefined);
  /** Kustomization file path -> its last render's findings, and whether a file it reads changed since. */
  const renders = new Map<string, RenderState>();
  const memo = new ValidationMemo();
  /** The text each file had when last seen, so an unchanged file does not invalidate renders. */
  const seen = new Map<string, string>();
  const listeners: ((change: { patches: string[]; rendered: boolean }) => void)[] = [];
  const changed = (change: { patches: string[]; rendered: boolean }) => {
    if (change.patches.length > 0 || change.rendered) for (const listener of listeners) listener(change);
    return change;
  };
  const render = (file: string): RenderFindings | undefined => {
    const text = kustomizations.get(file)?.text;
    if (text === undefined || COMPONENT.test(text)) return undefined;
    try {
      const result = renderKustomization(dirname(file), host);
      return {
        kustomization: file,
        files: new Set([file, ...result.files.map((f) => f.file)]),
        diagnostics: placeRenderDiagnostics(result, validate, memo),
      };
    } catch (error) {
      console.error(`kube-workbench: rendering ${file} failed: ${String(error)}`);
      return { kustomization: file, files: new Set([file]), diagnostics: [] };
    }
  };
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
    invalidate() {
      memo.clear();
      for (const state of renders.values()) state.stale = true;
    },
    hasStale() {
      for (const state of renders.values()) if (state.stale) return true;
      return false;
    },
    renderStale() {
      let count = 0;
      let any = false;
      for (const [file, state] of renders) {
        if (++count > MAX_RENDERS) break;
        if (!state.stale) continue;
        state.findings = render(file);
        state.stale = false;
        any = true;
      }
      return any;
    },
    onDidChange(listener) {
      listeners.push(listener);
    },
    setHost(next) {
      host = next;
    },
    update(uri, given) {
      const path = pathOf(uri);
      if (!path) return { patches: [], rendered: false };
      const seenText = seen.get(path);
      // A kustomization whose last render read this file, not yet marked to render again.
      const readBy = (state: RenderState): boolean => state.findings?.files.has(path) === true && !state.stale;
      let text = given === undefined || typeof given === 'string' ? given : undefined;
      if (given !== undefined && text === undefined) {
        // Pieces: what no kustomization reads (as far as this service knows) needs no whole text.
        if (seenText === undefined && !isKustomizationFile(path) && ![...renders.values()].some(readBy))
          return { patches: [], rendered: false };
        text = asPieces(given).text();
      }
      if (text !== undefined && seenText === text) return { patches: [], rendered: false };
      let rendered = false;
      for (const state of renders.values())
        if (readBy(state)) {
          state.stale = true;
          rendered = true;
        }
      if (text === undefined) seen.delete(path);
      else if (rendered || isKustomizationFile(path)) seen.set(path, text);
      if (!isKustomizationFile(path)) return changed({ patches: [], rendered });
      if (text === undefined) renders.delete(path);
      else {
        const state = renders.get(path);
        if (state) state.stale = true;
        else renders.set(path, { findings: undefined, stale: true });
      }
      const before = patchFiles();
      if (text === undefined) kustomizations.delete(path);
      else kustomizations.set(path, { text, entries: readKustomizationEntries(text) });
      patches = undefined;
      const after = patchFiles();
      const flipped = [...before].filter((p) => !after.has(p)).concat([...after].filter((p) => !before.has(p)));
      return changed({ patches: flipped.map(uriOf), rendered: true });
    },
    renderedDiagnostics(uri) {
      const path = pathOf(uri);
      if (!path) return [];
      const findings = [...renders.values()].flatMap((state) => (state.findings ? [state.findings] : []));
      return diagnosticsForFile(path, findings, host);
    },
    isPatch(uri) {
      const path = pathOf(uri);
      return path !== undefined && patchFiles().has(path);
    },
    generates(kind, name) {
      for (const { entries } of kustomizations.values())
        if (entries.generators.some((g) => g.kind === kind && g.name === name)) return true;
      return false;
    },
    isKustomization(uri) {
      const path = pathOf(uri);
      return path !== undefined && isKustomizationFile(path);
    },
    diagnostics(uri, text) {
      const path = pathOf(uri);
      if (!path) return [];
      this.update(uri, text);
      const rendered = this.renderedDiagnostics(uri);
      // The renderer's own findings on an entry replace the quick check's (same code, same line).
      const own = kustomizationDiagnostics(text, path, host).filter(
        (d) => !rendered.some((r) => r.code === d.code && r.range.start.line === d.range.start.line),
      );
      return [...own, ...rendered];
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
