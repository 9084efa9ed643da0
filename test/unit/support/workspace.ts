// A workspace of manifest files held in memory, indexed by a fresh language
// service, with helpers that turn diagnostics and locations into what a user
// sees: file name, 1-based line and the underlined text.
import type { Location, Position, Range } from 'vscode-languageserver-types';
import { createLanguageService } from '../../../server/src/language-service.js';
import type { LanguageService, LanguageServiceSettings } from '../../../server/src/language-service.js';

export interface Shown {
  file: string;
  line: number;
  text: string;
}

export interface ShownDiagnostic extends Shown {
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
}

const ROOT = 'file:///ws/';

export class TestWorkspace {
  readonly service: LanguageService;
  private readonly texts = new Map<string, string>();

  constructor(settings: LanguageServiceSettings = {}) {
    this.service = createLanguageService(settings);
  }

  uri(file: string): string {
    return ROOT + file;
  }

  /** Creates or replaces a file (as a file event or an editor change would). */
  write(file: string, text: string, open = false): this {
    this.texts.set(file, text);
    this.service.workspace.update(this.uri(file), text, open);
    return this;
  }

  delete(file: string): this {
    this.texts.delete(file);
    this.service.workspace.update(this.uri(file), undefined);
    return this;
  }

  /** A rename, as the editor reports it: the old file deleted, the new one created. */
  rename(from: string, to: string): this {
    const text = this.texts.get(from) ?? '';
    return this.delete(from).write(to, text);
  }

  /** Cross-resource diagnostics of one file. */
  diagnostics(file: string): ShownDiagnostic[] {
    return this.service.workspace.diagnostics(this.uri(file)).map((d) => ({
      ...this.show(this.uri(file), d.range),
      code: String(d.code),
      severity: d.severity === 1 ? 'error' : d.severity === 2 ? 'warning' : 'info',
      message: d.message,
    }));
  }

  /** Diagnostics of one code in one file. */
  withCode(file: string, code: string): ShownDiagnostic[] {
    return this.diagnostics(file).filter((d) => d.code === code);
  }

  /** The position of the `occurrence`-th appearance of `needle` in a file (at its first character + 1). */
  at(file: string, needle: string, occurrence = 1): Position {
    const text = this.texts.get(file) ?? '';
    let offset = -1;
    for (let i = 0; i < occurrence; i++) offset = text.indexOf(needle, offset + 1);
    if (offset < 0) throw new Error(`${needle} not in ${file}`);
    const before = text.slice(0, offset + 1);
    const line = before.split('\n').length - 1;
    return { line, character: offset + 1 - before.lastIndexOf('\n') - 1 };
  }

  definition(file: string, needle: string, occurrence = 1): Shown[] {
    return this.locations(this.service.workspace.definition(this.uri(file), this.at(file, needle, occurrence)));
  }

  references(file: string, needle: string, includeDeclaration = false, occurrence = 1): Shown[] {
    const position = this.at(file, needle, occurrence);
    return this.locations(this.service.workspace.references(this.uri(file), position, includeDeclaration));
  }

  locations(locations: readonly Location[]): Shown[] {
    return locations.map((l) => this.show(l.uri, l.range));
  }

  /** A location as the user sees it: file, 1-based line, underlined text (first line only). */
  show(uri: string, range: Range): Shown {
    const file = uri.slice(ROOT.length);
    const line = (this.texts.get(file) ?? '').split('\n')[range.start.line] ?? '';
    const end = range.end.line === range.start.line ? range.end.character : line.length;
    return { file, line: range.start.line + 1, text: line.slice(range.start.character, end) };
  }
}

/** Joins lines, so tests read like the YAML they check. */
export function yaml(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}
