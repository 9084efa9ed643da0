/**
 * Kustomize rendering (`kubectl kustomize` semantics of kustomize v5.5, as
 * embedded in kubectl 1.32), in plain TypeScript over a file host, so the
 * language server can render with unsaved editor text. The public API of the
 * kustomize model: the others import from here only.
 */

export interface KustomizeHost {
  /** File text, or undefined when missing/unreadable (never throws). Absolute paths. */
  readFile(path: string): string | undefined;
  isDirectory(path: string): boolean;
}

/** UTF-16 offsets into that file's text. */
export interface SourceSpan {
  file: string;
  start: number;
  end: number;
}

export interface KustomizeDiagnostic extends SourceSpan {
  code: string;
  message: string;
  severity: 'error' | 'warning';
}

export type FileRole =
  'kustomization' | 'resource' | 'component' | 'patch-strategic' | 'patch-json6902' | 'generator-source';

export interface FileUse {
  file: string;
  role: FileRole;
  /** The kustomization file that names it. */
  by: string;
  /** The entry naming it. */
  entry: SourceSpan;
}

export interface RenderedResource {
  object: Record<string, unknown>;
  /**
   * Where the value at this JSON path came from: the base resource's node, or
   * the kustomization/patch line that set it; falls back to the nearest
   * ancestor with a known origin.
   */
  origin(path: readonly (string | number)[]): SourceSpan;
}

export interface KustomizeResult {
  resources: RenderedResource[];
  diagnostics: KustomizeDiagnostic[];
  files: FileUse[];
}

export { renderKustomization } from './render';
export { nodeFsHost } from './node-fs-host';
export { KUSTOMIZATION_FILE_NAMES, findKustomizationFile } from './kustomization-file';
