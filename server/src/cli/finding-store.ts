/**
 * `validate`'s findings until the report, compactly: positions, severities,
 * codes (numbers in a `StringTable`), messages (numbers in `SpilledTexts`) and
 * files in typed arrays of 16,384 findings each, and per file the order they
 * came in. A finding object is made only while the
 * report writes it. Kept as objects with their diagnostics, the ~40,000
 * findings of a 15 MB file held ~40 MiB (ranges, string pieces, the text they
 * were cut from); docs/BENCHMARKS.md has the figures.
 */
import type { Diagnostic } from 'vscode-languageserver-types';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { Case } from './junit-report.js';
import type { Finding } from './finding.js';
import { doubled } from './doubled.js';
import { SpilledTexts } from './spilled-texts.js';
import { StringTable } from './string-table.js';

const SEVERITIES = ['error', 'warning', 'info'] as const;
/** Numbers kept per finding: line, column, end line, end column. */
const STRIDE = 4;
/** Findings per block: the store grows a block at a time, without copying, at most one block unused. */
const BLOCK_BITS = 14;
const BLOCK = 1 << BLOCK_BITS;
const MASK = BLOCK - 1;

/** 16,384 findings: each one's position, severity, code (its number in `strings`), message (in `texts`) and file. */
class Block {
  /** Whole numbers under 2^32 (16 bytes a finding); doubles from the first that is not (a hostile range). */
  positions: Uint32Array | Float64Array = new Uint32Array(STRIDE * BLOCK);
  readonly severities = new Uint8Array(BLOCK);
  readonly codes = new Uint32Array(BLOCK);
  readonly messages = new Uint32Array(BLOCK);
  readonly fileOf = new Uint32Array(BLOCK);
}

/** What a finding number past the last reads (nothing: zeros). */
const EMPTY = new Block();

/** A JUnit test case without its findings (they are placed at report time). */
export interface CaseHead {
  readonly name: string;
  readonly line: number;
}

/** A file's JUnit test cases, in the order they came, read one at a time (their names may be in the temporary file). */
export interface CaseList {
  readonly length: number;
  case(i: number): CaseHead;
  line(i: number): number;
}

/** One file as the report lists it: its findings (indices into the store) in report order. */
export interface ReportFile {
  readonly file: string;
  readonly cases: CaseList;
  readonly findings: Uint32Array;
}

const NO_CASES = new Uint32Array(0);

/** A file's cases: their numbers in the store. */
class FileCases implements CaseList {
  /** One shared empty list until the first case (most runs have none: only JUnit makes cases). */
  private numbers = NO_CASES;
  length = 0;

  constructor(private readonly store: FindingStore) {}

  push(n: number): void {
    if (this.length === this.numbers.length)
      this.numbers = this.length === 0 ? new Uint32Array(16) : doubled(this.numbers);
    this.numbers[this.length++] = n;
  }

  case(i: number): CaseHead {
    return this.store.caseHead(this.numbers[i] ?? 0);
  }

  line(i: number): number {
    return this.store.caseLine(this.numbers[i] ?? 0);
  }
}

interface FileEntry {
  readonly file: string;
  readonly cases: FileCases;
}

export class FindingStore {
  readonly strings = new StringTable();
  /** The findings, a block at a time. */
  private readonly blocks: Block[] = [];
  private readonly texts: SpilledTexts;
  private count = 0;
  /** Each JUnit case's name (by its number in `texts`) and line. */
  private caseNames = new Uint32Array(0);
  private caseLines = new Float64Array(0);
  private caseCount = 0;
  private readonly files: FileEntry[] = [];
  private readonly ids = new Map<string, number>();

  /** `spillTo`: a folder for a temporary file of the messages (none: they stay in memory). */
  constructor(spillTo?: string) {
    this.texts = new SpilledTexts(this.strings, spillTo);
  }

  /** Whether messages went to a temporary file. */
  get spilled(): boolean {
    return this.texts.spilled;
  }

  /** Lets the messages' temporary file go (after the report). */
  close(): void {
    this.texts.close();
  }

  /** The file known by `key` (its path), named `display` in the report; files are reported in the order first met. */
  file(key: string, display: string): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.files.length;
      this.files.push({ file: this.strings.intern(display), cases: new FileCases(this) });
      this.ids.set(key, id);
    }
    return id;
  }

  get size(): number {
    return this.count;
  }

  /** A diagnostic of file `file` (zero-based positions, as the editor's). */
  add(file: number, d: Diagnostic): void {
    const i = this.count++;
    const b = this.blocks[i >> BLOCK_BITS] ?? this.newBlock();
    const k = i & MASK;
    const p = k * STRIDE;
    const line = d.range.start.line + 1;
    const column = d.range.start.character + 1;
    const endLine = d.range.end.line + 1;
    const endColumn = d.range.end.character + 1;
    if (
      b.positions instanceof Uint32Array &&
      (line >>> 0 !== line || column >>> 0 !== column || endLine >>> 0 !== endLine || endColumn >>> 0 !== endColumn)
    )
      b.positions = Float64Array.from(b.positions);
    b.positions[p] = line;
    b.positions[p + 1] = column;
    b.positions[p + 2] = endLine;
    b.positions[p + 3] = endColumn;
    b.severities[k] = d.severity === DiagnosticSeverity.Error ? 0 : d.severity === DiagnosticSeverity.Warning ? 1 : 2;
    b.codes[k] = this.strings.id(typeof d.code === 'string' ? d.code : String(d.code ?? ''));
    b.messages[k] = this.texts.put(d.message);
    b.fileOf[k] = file;
  }

  /** A file's JUnit test cases, in document order. */
  addCases(file: number, cases: readonly Case[]): void {
    const entry = this.files[file];
    if (!entry) return;
    for (const c of cases) {
      const n = this.caseCount++;
      if (n === this.caseLines.length) {
        this.caseNames = n === 0 ? new Uint32Array(1024) : doubled(this.caseNames);
        this.caseLines = n === 0 ? new Float64Array(1024) : doubled(this.caseLines);
      }
      this.caseNames[n] = this.texts.put(c.name);
      this.caseLines[n] = c.line;
      entry.cases.push(n);
    }
  }

  /** Case number `n`. */
  caseHead(n: number): CaseHead {
    return { name: this.texts.get(this.caseNames[n] ?? 0), line: this.caseLines[n] ?? 0 };
  }

  caseLine(n: number): number {
    return this.caseLines[n] ?? 0;
  }

  /** Finding `i` as the report writes it. */
  finding(i: number): Finding {
    const b = this.block(i);
    const k = i & MASK;
    const p = k * STRIDE;
    return {
      file: this.files[b.fileOf[k] ?? 0]?.file ?? '',
      line: b.positions[p] ?? 0,
      column: b.positions[p + 1] ?? 0,
      endLine: b.positions[p + 2] ?? 0,
      endColumn: b.positions[p + 3] ?? 0,
      severity: SEVERITIES[b.severities[k] ?? 2] ?? 'info',
      code: this.code(i),
      message: this.texts.get(b.messages[k] ?? 0),
    };
  }

  code(i: number): string {
    return this.strings.text(this.block(i).codes[i & MASK] ?? 0);
  }

  line(i: number): number {
    return this.block(i).positions[(i & MASK) * STRIDE] ?? 0;
  }

  isError(i: number): boolean {
    return this.block(i).severities[i & MASK] === 0;
  }

  /**
   * The files to report, in the order first met, without those `skip` says
   * (named as the report names them), each file's findings in file order: by
   * line, then column, then code; findings that tie stay in the order they came.
   */
  report(skip: (file: string) => boolean): ReportFile[] {
    // Each file's findings in the order they came (a count, then a place for each).
    const counts = new Uint32Array(this.files.length);
    for (let i = 0; i < this.count; i++) {
      const f = this.block(i).fileOf[i & MASK] ?? 0;
      counts[f] = (counts[f] ?? 0) + 1;
    }
    const lists = Array.from(counts, (n) => new Uint32Array(n));
    const filled = new Uint32Array(this.files.length);
    for (let i = 0; i < this.count; i++) {
      const f = this.block(i).fileOf[i & MASK] ?? 0;
      const list = lists[f];
      const at = filled[f] ?? 0;
      if (list) list[at] = i;
      filled[f] = at + 1;
    }
    const out: ReportFile[] = [];
    this.files.forEach((entry, f) => {
      const findings = lists[f];
      if (skip(entry.file) || !findings) return;
      // Ties keep the order the findings came in (their numbers), as sorting the finding objects did.
      findings.sort((a, b) => this.compare(a, b) || a - b);
      out.push({ file: entry.file, cases: entry.cases, findings });
    });
    return out;
  }

  private compare(a: number, b: number): number {
    const pa = this.block(a).positions;
    const pb = this.block(b).positions;
    const ia = (a & MASK) * STRIDE;
    const ib = (b & MASK) * STRIDE;
    return (
      (pa[ia] ?? 0) - (pb[ib] ?? 0) || (pa[ia + 1] ?? 0) - (pb[ib + 1] ?? 0) || this.code(a).localeCompare(this.code(b))
    );
  }

  /** The block holding finding `i`. */
  private block(i: number): Block {
    return this.blocks[i >> BLOCK_BITS] ?? EMPTY;
  }

  private newBlock(): Block {
    const b = new Block();
    this.blocks.push(b);
    return b;
  }
}
