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
import { FindingBlocks, STRIDE } from './finding-blocks.js';
import type { FindingRow } from './finding-blocks.js';
import { SpilledTexts } from './spilled-texts.js';
import { StringTable } from './string-table.js';

const SEVERITIES = ['error', 'warning', 'info'] as const;

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
  /** The findings, a block at a time (cli/finding-blocks.ts). */
  private readonly blocks: FindingBlocks;
  private readonly texts: SpilledTexts;
  private readonly row: FindingRow = {
    line: 0,
    column: 0,
    endLine: 0,
    endColumn: 0,
    severity: 0,
    code: 0,
    message: 0,
    file: 0,
  };
  /** Each JUnit case's name (by its number in `texts`) and line. */
  private caseNames = new Uint32Array(0);
  private caseLines = new Float64Array(0);
  private caseCount = 0;
  private readonly files: FileEntry[] = [];
  private readonly ids = new Map<string, number>();

  /**
   * `spillTo`: a folder for temporary files of the messages and of the findings past `keptBlocks`
   * blocks (none: they stay in memory); `blockBits`: log2 of a block's size (tests make it small).
   */
  constructor(spillTo?: string, keptBlocks?: number, blockBits?: number) {
    this.texts = new SpilledTexts(this.strings, spillTo);
    const codes = (a: number, b: number): number =>
      a === b ? 0 : this.strings.text(a).localeCompare(this.strings.text(b));
    // No file for the messages: none for the findings either (they would stay in memory as records, larger).
    this.blocks = new FindingBlocks(codes, this.texts.spilled ? spillTo : undefined, keptBlocks, blockBits);
  }

  /** Whether messages went to a temporary file. */
  get spilled(): boolean {
    return this.texts.spilled;
  }

  /** Whether findings went to a temporary file. */
  get findingsSpilled(): boolean {
    return this.blocks.spilled;
  }

  /** Lets the temporary files go (after the report). */
  close(): void {
    this.texts.close();
    this.blocks.close();
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
    return this.blocks.size;
  }

  /** A diagnostic of file `file` (zero-based positions, as the editor's). */
  add(file: number, d: Diagnostic): void {
    const row = this.row;
    row.line = d.range.start.line + 1;
    row.column = d.range.start.character + 1;
    row.endLine = d.range.end.line + 1;
    row.endColumn = d.range.end.character + 1;
    row.severity = d.severity === DiagnosticSeverity.Error ? 0 : d.severity === DiagnosticSeverity.Warning ? 1 : 2;
    row.code = this.strings.id(typeof d.code === 'string' ? d.code : String(d.code ?? ''));
    row.message = this.texts.put(d.message);
    row.file = file;
    this.blocks.add(row);
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

  /** Finding `i` as the report writes it (numbered as `report` numbers them). */
  finding(i: number): Finding {
    const b = this.blocks.find(i);
    const k = this.blocks.slot;
    const p = k * STRIDE;
    return {
      file: this.files[b.fileOf[k] ?? 0]?.file ?? '',
      line: b.positions[p] ?? 0,
      column: b.positions[p + 1] ?? 0,
      endLine: b.positions[p + 2] ?? 0,
      endColumn: b.positions[p + 3] ?? 0,
      severity: SEVERITIES[b.severities[k] ?? 2] ?? 'info',
      code: this.strings.text(b.codes[k] ?? 0),
      message: this.texts.get(b.messages[k] ?? 0),
    };
  }

  code(i: number): string {
    const b = this.blocks.find(i);
    return this.strings.text(b.codes[this.blocks.slot] ?? 0);
  }

  line(i: number): number {
    const b = this.blocks.find(i);
    return b.positions[this.blocks.slot * STRIDE] ?? 0;
  }

  isError(i: number): boolean {
    const b = this.blocks.find(i);
    return b.severities[this.blocks.slot] === 0;
  }

  /**
   * The files to report, in the order first met, without those `skip` says
   * (named as the report names them), each file's findings in file order: by
   * line, then column, then code; findings that tie stay in the order they came.
   * Once, after the last finding: they are numbered anew.
   */
  report(skip: (file: string) => boolean): ReportFile[] {
    const lists = this.blocks.ordered(this.files.length);
    const out: ReportFile[] = [];
    this.files.forEach((entry, f) => {
      const findings = lists[f];
      if (skip(entry.file) || !findings) return;
      out.push({ file: entry.file, cases: entry.cases, findings });
    });
    return out;
  }
}
