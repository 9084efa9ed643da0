import type {
  CodeAction,
  CompletionItem,
  Diagnostic,
  DocumentSymbol,
  FoldingRange,
  Hover,
  Position,
  Range,
  SelectionRange,
} from 'vscode-languageserver-types';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { DIAGNOSTIC_SOURCE, DiagnosticCode } from './protocol/diagnostic-codes.js';
import { ChunkCache, parseChunk, parseManifestFile, TEMPLATE_ACTION } from './document/manifest-file.js';
import { precomputedFindings } from './features/precomputed-findings.js';
import { asPieces, documentChunks, wholeFile } from './document/text-pieces.js';
import type { TextPieces } from './document/text-pieces.js';
import type { DocumentChunk } from './document/split-documents.js';
import type { ValidationPool } from './parallel/validation-pool.js';
import { reparseManifestFile } from './reparse-manifest-file.js';
import { createLargeFilePreparation } from './large-file-preparation.js';
import type { ManifestFile } from './document/manifest-file.js';
import { FileLines } from './document/file-lines.js';
import { fileAtCursor } from './document/file-at-cursor.js';
import { codeActions } from './features/code-actions.js';
import { complete } from './features/completion.js';
import { withoutBuiltImages } from './features/built-image-tags.js';
import { assembleDiagnostics, chunkFindings, computeDiagnostics, findingsKey } from './features/diagnostics.js';
import type { DiagnosticsOptions, PrecomputedFindings } from './features/diagnostics.js';
import { immutableFieldWarnings, objectsByIdentity, type Baseline } from './features/immutable-fields.js';
import { documentSymbols } from './features/document-symbols.js';
import { hover } from './features/hover.js';
import { foldingRanges, selectionRanges } from './features/structure-ranges.js';
import { CrdRegistry, mayHoldCrd } from './schema/crd-registry.js';
import { loadSchemas } from '../kube-model/schema-loader.js';
import type { KubernetesSchemas } from '../kube-model/schema-loader.js';
import { createWorkspaceService } from './workspace/workspace-service.js';
import type { WorkspaceService } from './workspace/workspace-service.js';
import { createKustomizeService } from './workspace/kustomize-service.js';
import type { KustomizeService } from './workspace/kustomize-service.js';

export interface LanguageServiceSettings {
  /** Kubernetes version of the schemas ("1.34", "1.36"); the default when unset. */
  readonly kubernetesVersion?: string | undefined;
  /** Rule ids switched off. */
  readonly disabledRules?: readonly string[];
  /** Parsed documents kept for reuse (an editor wants many; a one-pass command line few). */
  readonly cacheCapacity?: number;
  /** Images the `kubeWorkbench.images` setting builds (no image-tag warning for them). */
  readonly builtImages?: readonly string[];
}

/**
 * The language features behind one facade: LSP handlers, the command line
 * and tests call this and never reach into the features directly.
 */
export interface LanguageService {
  readonly schemas: KubernetesSchemas;
  /** `text`: a string, or an open document's pieces (see PiecedTextDocument), read without building the whole text. */
  parse(text: string | TextPieces): ManifestFile;
  /** `around.manifestsAround`: other files in the same folder hold manifests (see `DiagnosticsOptions`). */
  /** `around.asPatch`: a kustomization uses the file as a strategic merge patch (see `DiagnosticsOptions`). */
  diagnostics(
    text: string | TextPieces,
    around?: { readonly manifestsAround?: boolean; readonly asPatch?: boolean },
  ): Diagnostic[];
  /**
   * `diagnostics(text, around)`, the same list, with a large file's chunks checked on this thread and
   * the validation pool's worker at once (when there is one, it is free and no CRDs are known);
   * undefined, and nothing done, for a file of fewer than `fromChunks` chunks (YAML documents). `text`: an
   * open document's pieces are split once, for this and for the readers after it (see text-pieces.ts).
   */
  diagnosticsInParallel(
    text: string | TextPieces,
    around: { readonly manifestsAround?: boolean } | undefined,
    fromChunks: number,
  ): Promise<Diagnostic[]> | undefined;
  /**
   * `diagnostics(text, around)`, the same list, without parsing what the last file checked in parallel
   * (`diagnosticsInParallel`) left unparsed here: such a chunk takes the worker's findings. Only chunks
   * neither thread has checked (an edit's) are parsed. For the edits that come while that file is
   * still being prepared (`prepareSlice`). `text`: an open document's pieces (see PiecedTextDocument),
   * read piece by piece: an edit's unchanged pieces are not read again.
   */
  diagnosticsWithoutParsing(
    text: string | TextPieces,
    around: { readonly manifestsAround?: boolean } | undefined,
  ): Diagnostic[];
  /**
   * Parses, checks and indexes ahead (`workspace.prepare`) the chunks of `text`, the open document
   * `uri`, not done yet, until `performance.now()` reaches `until`: true once every chunk is done
   * (`diagnostics` and `workspace.diagnostics` of that text then reuse it all). Called again with
   * another text (an edit came), it goes on from the same chunk number in that text's chunks.
   */
  prepareSlice(uri: string, text: string | TextPieces, until: number): boolean;
  /**
   * Warnings for fields an update refuses to change (a selector, a Job's template...), comparing
   * each object with the same object in `previous`, the file's committed text; none without it.
   */
  immutableFields(text: string | TextPieces, previous: string | undefined): Diagnostic[];
  /** Applies settings; false when they are those already in force (nothing to re-validate). */
  configure(settings: LanguageServiceSettings): boolean;
  /**
   * The features at a cursor or over a file. `text`: a string, or an open document's pieces, read without
   * building the whole text: after an edit, only the chunks it changed are parsed (see `parse`).
   */
  hover(text: string | TextPieces, offset: number): Hover | null;
  complete(text: string | TextPieces, offset: number): CompletionItem[];
  symbols(text: string | TextPieces): DocumentSymbol[];
  foldingRanges(text: string | TextPieces): FoldingRange[];
  selectionRanges(text: string | TextPieces, positions: readonly Position[]): SelectionRange[];
  codeActions(text: string | TextPieces, uri: string, range: Range, diagnostics: readonly Diagnostic[]): CodeAction[];
  /** Learns (or forgets) the CRDs a file defines; true when that changed anything. */
  updateCrds(source: string, text: string | TextPieces | undefined): boolean;
  /** The workspace index: cross-resource diagnostics, definitions, references, reference lenses. */
  readonly workspace: WorkspaceService;
  /** Kustomizations: which files are patches, and the features of kustomization files. */
  readonly kustomize: KustomizeService;
}

/** The setting name (under `kubeWorkbench.rules`) that switches the immutable-field warnings off. */
export const IMMUTABLE_FIELDS_RULE = 'immutable-fields';

/** Files larger than this are not checked: an editor stays responsive and memory bounded. */
export const MAX_FILE_LENGTH = 16 * 1024 * 1024;

function fileTooLarge(length: number): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Information,
    source: DIAGNOSTIC_SOURCE,
    code: DiagnosticCode.tooComplex,
    message: `this file is ${Math.round(length / 1024 / 1024)} MB; Kube Workbench checks files up to ${MAX_FILE_LENGTH / 1024 / 1024} MB (split it into smaller files to have it checked)`,
  };
}

export function createLanguageService(
  settings: LanguageServiceSettings = {},
  helpers: { readonly pool?: ValidationPool } = {},
): LanguageService {
  const cache = new ChunkCache(settings.cacheCapacity);
  // Requests on an unchanged document (hover, completion, lenses) share one split of its text.
  // (An open document's pieces are one object per version: the same object, the same text.)
  let last: { text: string | TextPieces; file: ManifestFile } | undefined;
  const parse = (text: string | TextPieces): ManifestFile => {
    // An edit of the last text (the open document typed in) re-parses only the chunks it changed.
    if (last?.text !== text) last = { text, file: reparseManifestFile(text, last?.file, cache) };
    return last.file;
  };
  let schemas = loadSchemas(settings.kubernetesVersion);
  let disabledRules: ReadonlySet<string> = new Set(settings.disabledRules ?? []);
  let configured = JSON.stringify([settings.kubernetesVersion, [...(settings.disabledRules ?? [])].sort(), []]);
  const crds = new CrdRegistry();
  // The worker's findings for chunks this thread has not parsed yet (one file's, the last checked in parallel).
  let precomputed: PrecomputedFindings | undefined;
  const optionsFor = (around?: {
    readonly manifestsAround?: boolean;
    readonly asPatch?: boolean;
  }): DiagnosticsOptions => ({
    schemas,
    crds,
    disabledRules,
    manifestsAround: around?.manifestsAround === true,
    asPatch: around?.asPatch === true,
  });
  const diagnostics = (
    text: string | TextPieces,
    around?: { readonly manifestsAround?: boolean; readonly asPatch?: boolean },
  ): Diagnostic[] =>
    text.length > MAX_FILE_LENGTH
      ? [fileTooLarge(text.length)]
      : withoutBuiltImages(
          computeDiagnostics(parse(text), optionsFor(around), precomputed),
          text,
          workspace.builtImages,
        );
  // Rendered objects are checked as whole manifests (schema and rules), through the same parse cache.
  const kustomizeService = createKustomizeService((text) =>
    computeDiagnostics(parseManifestFile(text, cache), { schemas, crds, disabledRules }),
  );
  // A kustomization's generators change which ConfigMaps and Secrets exist: remembered cross-resource findings go.
  const kustomize: KustomizeService = {
    ...kustomizeService,
    update(uri, text) {
      if (kustomizeService.isKustomization(uri)) workspace.invalidate();
      return kustomizeService.update(uri, text);
    },
  };
  const workspace = createWorkspaceService({
    isPatch: (uri) => kustomize.isPatch(uri),
    generated: (kind, name) => kustomize.generates(kind, name),
    parse,
    disabledRules: () => disabledRules,
    maxFileLength: MAX_FILE_LENGTH,
  });
  // Baselines by their text: the few files open at once, parsed once each.
  const baselines = new Map<string, Baseline>();
  let nextBaselineId = 1;
  const baselineOf = (previous: string): Baseline => {
    let baseline = baselines.get(previous);
    if (baseline) {
      baselines.delete(previous);
    } else {
      baseline = { id: nextBaselineId++, objects: objectsByIdentity(parseManifestFile(previous, cache)) };
      if (baselines.size >= 16) baselines.delete(baselines.keys().next().value as string);
    }
    baselines.set(previous, baseline);
    return baseline;
  };
  /** A large file's diagnostics, its chunks shared between this thread and the pool's worker. */
  const inParallel = async (
    pool: ValidationPool,
    text: string | TextPieces,
    file: string,
    chunks: readonly DocumentChunk[],
    around: { readonly manifestsAround?: boolean } | undefined,
  ): Promise<Diagnostic[]> => {
    const options = optionsFor(around);
    const key = findingsKey(options);
    const found = await pool.findings(
      file,
      chunks,
      { kubernetesVersion: schemas.version, disabledRules: [...disabledRules] },
      // Trees not kept, as the worker's: kept, each survives this pass's young collections, copied each
      // time; the full validation after the publish parses every chunk for the index (with these findings).
      (chunk) => chunkFindings(parseChunk(chunk), options, key),
    );
    precomputed = precomputedFindings(key, chunks, found);
    // Settings or CRDs changed while the worker checked: its findings are for other options.
    if (findingsKey(optionsFor(around)) !== key) return diagnostics(text, around);
    const parts = chunks.map((c, i) => ({ startLine: c.startLine, findings: found[i]! }));
    return withoutBuiltImages(assembleDiagnostics(parts, options), text, workspace.builtImages);
  };
  // A request at one cursor on pieces not parsed here yet (an edit not validated in full): only its chunk.
  const atCursor = (text: string | TextPieces, offset: number): ManifestFile =>
    typeof text === 'string' || last?.text === text ? parse(text) : fileAtCursor(text, offset, cache);
  const large = createLargeFilePreparation({ cache, optionsFor, precomputed: () => precomputed, workspace });
  return {
    workspace,
    kustomize,
    diagnosticsWithoutParsing: (text, around) =>
      text.length > MAX_FILE_LENGTH ? [fileTooLarge(text.length)] : large.diagnosticsWithoutParsing(text, around),
    prepareSlice: (uri, text, until) => text.length > MAX_FILE_LENGTH || large.prepareSlice(uri, text, until),
    get schemas() {
      return schemas;
    },
    parse,
    diagnostics,
    diagnosticsInParallel(text, around, fromChunks) {
      const pieces = asPieces(text);
      const file = wholeFile(pieces);
      const chunks = documentChunks(pieces);
      if (chunks.length < fromChunks) return undefined;
      const pool = helpers.pool;
      if (!pool?.available || crds.size > 0 || text.length > MAX_FILE_LENGTH || TEMPLATE_ACTION.test(file))
        return Promise.resolve(diagnostics(text, around));
      return inParallel(pool, text, file, chunks, around);
    },
    immutableFields(text, previous) {
      if (previous === undefined || disabledRules.has(IMMUTABLE_FIELDS_RULE)) return [];
      if (text.length > MAX_FILE_LENGTH || previous.length > MAX_FILE_LENGTH) return [];
      return immutableFieldWarnings(parse(text), baselineOf(previous), schemas);
    },
    hover: (text, offset) => hover(atCursor(text, offset), offset, schemas, crds),
    complete: (text, offset) => complete(atCursor(text, offset), offset, schemas, crds, workspace.index),
    symbols: (text) => documentSymbols(parse(text)),
    foldingRanges: (text) => foldingRanges(parse(text)),
    selectionRanges(text, positions) {
      const file = parse(text);
      const lines = new FileLines(file);
      const offsets = positions.map((p) => lines.offsetAt(p.line, p.character));
      return selectionRanges(file, offsets, (o) => lines.positionAt(o));
    },
    codeActions(text, uri, range, diagnostics) {
      const file = parse(text);
      const lines = new FileLines(file);
      return codeActions(file, uri, range, (l, c) => lines.offsetAt(l, c), diagnostics, schemas);
    },
    updateCrds(source, given) {
      // An open document's pieces: each searched (the word never spans a line end), the whole text built
      // only for a CRD.
      const text = given === undefined ? undefined : asPieces(given);
      const mayHold = text?.pieces.some((piece) => mayHoldCrd(piece.text)) === true;
      if (text !== undefined && !mayHold && crds.size === 0) return false;
      return crds.update(source, text === undefined || !mayHold ? undefined : parse(text.text()));
    },
    configure(next) {
      // The same settings again (the client's first answer is often the defaults): nothing to redo.
      const key = JSON.stringify([
        next.kubernetesVersion,
        [...(next.disabledRules ?? [])].sort(),
        next.builtImages ?? [],
      ]);
      if (key === configured) return false;
      configured = key;
      schemas = loadSchemas(next.kubernetesVersion);
      disabledRules = new Set(next.disabledRules ?? []);
      workspace.builtImages.setSetting(next.builtImages ?? []);
      kustomize.invalidate();
      return true;
    },
  };
}
