import { basename, dirname } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-types';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { parseDocument, stringify } from 'yaml';
import { TextLines } from '../document/text-lines.js';
import { pathAtOffset } from '../features/kustomization-navigation.js';
import { DIAGNOSTIC_SOURCE } from '../protocol/diagnostic-codes.js';
import type { KustomizeResult, SourceSpan } from '../../kube-model/kustomize/index.js';
import type { EditorKustomizeHost } from './kustomize-host.js';

/** A diagnostic of a rendered kustomization, placed on the file that produced it. */
export interface PlacedDiagnostic {
  readonly file: string;
  readonly start: number;
  readonly end: number;
  readonly code: string;
  readonly message: string;
  readonly severity: DiagnosticSeverity;
}

/** Checks one manifest's text as the editor does (schema and Kubernetes rules). */
export type ValidateText = (text: string) => Diagnostic[];

/**
 * Everything wrong with one render: the renderer's own diagnostics (missing
 * files, cycles, unmatched patches, generator clashes…), and every problem of
 * the rendered objects (schema and rules, run on each object's YAML) placed
 * through `origin()` on the base resource, patch or kustomization line that
 * produced the value.
 */
export function placeRenderDiagnostics(
  result: KustomizeResult,
  validate: ValidateText,
  memo: ValidationMemo = new ValidationMemo(),
): PlacedDiagnostic[] {
  const out: PlacedDiagnostic[] = result.diagnostics.map((d) => ({
    file: d.file,
    start: d.start,
    end: d.end,
    code: d.code,
    message: d.message,
    severity: d.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
  }));
  for (const resource of result.resources) {
    // Most objects render the same on every keystroke: validated once per content.
    const key = JSON.stringify(resource.object);
    let checked = memo.get(key);
    if (!checked) {
      const text = stringify(resource.object);
      checked = { text, found: validate(text).filter((d) => d.severity !== DiagnosticSeverity.Information) };
      memo.set(key, checked);
    }
    const { text, found } = checked;
    if (found.length === 0) continue;
    const doc = parseDocument(text);
    const lines = new TextLines(text);
    for (const d of found) {
      const offset = lines.offsetAt(d.range.start.line, d.range.start.character);
      const { path } = pathAtOffset(doc, offset);
      let span: SourceSpan;
      try {
        span = resource.origin(path);
      } catch {
        continue;
      }
      out.push({
        file: span.file,
        start: span.start,
        end: span.end,
        code: String(d.code ?? ''),
        message: d.message,
        severity: d.severity ?? DiagnosticSeverity.Error,
      });
    }
  }
  return out;
}

/** Validation results of rendered objects by their JSON, the most recent kept. */
export class ValidationMemo {
  private readonly entries = new Map<string, { text: string; found: Diagnostic[] }>();
  constructor(private readonly capacity = 20_000) {}
  get(key: string): { text: string; found: Diagnostic[] } | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }
  set(key: string, value: { text: string; found: Diagnostic[] }): void {
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }
  /** Settings changed (schemas, rules): everything is validated again. */
  clear(): void {
    this.entries.clear();
  }
}

/** One render's findings, with what it covers. */
export interface RenderFindings {
  /** The kustomization file rendered. */
  readonly kustomization: string;
  /** Files the render read (the kustomization and everything it names). */
  readonly files: ReadonlySet<string>;
  readonly diagnostics: readonly PlacedDiagnostic[];
}

/** The overlay's name in messages: its folder's name. */
function overlayName(kustomization: string): string {
  return basename(dirname(kustomization));
}

/**
 * The diagnostics a file gets from every render that reads it, once each.
 * One that only some renders find (a base rendered differently per overlay)
 * says in which: "(in overlay prod)".
 */
export function diagnosticsForFile(
  file: string,
  renders: readonly RenderFindings[],
  host: EditorKustomizeHost,
): Diagnostic[] {
  const readers = renders.filter((r) => r.files.has(file) || r.kustomization === file);
  if (readers.length === 0) return [];
  const byKey = new Map<string, { d: PlacedDiagnostic; in: string[] }>();
  for (const render of readers)
    for (const d of render.diagnostics) {
      if (d.file !== file) continue;
      const key = `${d.start}:${d.end}:${d.code}:${d.message}`;
      const entry = byKey.get(key);
      if (entry) {
        if (!entry.in.includes(render.kustomization)) entry.in.push(render.kustomization);
      } else byKey.set(key, { d, in: [render.kustomization] });
    }
  if (byKey.size === 0) return [];
  const lines = new TextLines(host.readFile(file) ?? '');
  return [...byKey.values()].map(({ d, in: where }) => ({
    range: lines.rangeAt(d.start, d.end),
    severity: d.severity,
    source: DIAGNOSTIC_SOURCE,
    code: d.code,
    message:
      where.length < readers.length
        ? `${d.message} (in overlay ${where.map(overlayName).sort().join(', ')})`
        : d.message,
  }));
}
