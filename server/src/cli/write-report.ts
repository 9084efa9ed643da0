/**
 * `validate`'s report in each format, written a piece at a time from the
 * findings' store (no string or object of the whole report): the same bytes as
 * `JSON.stringify(findings, null, 2)`, one joined text, or the whole SARIF and
 * JUnit documents made at once.
 */
import type { FindingStore, ReportFile } from './finding-store.js';
import { writeJunitReport } from './junit-report.js';
import { writeSarifReport } from './sarif-report.js';

export type ReportFormat = 'text' | 'json' | 'sarif' | 'junit';

export function writeReport(
  format: ReportFormat,
  files: readonly ReportFile[],
  store: FindingStore,
  version: () => string,
  write: (text: string) => void,
): void {
  switch (format) {
    case 'json': {
      let first = true;
      for (const f of files)
        for (const i of f.findings) {
          write(`${first ? '[\n' : ',\n'}  ${JSON.stringify(store.finding(i), null, 2).replace(/\n/g, '\n  ')}`);
          first = false;
        }
      return write(first ? '[]\n' : '\n]\n');
    }
    case 'sarif':
      return writeSarifReport(files, store, version(), write);
    case 'junit':
      return writeJunitReport(files, store, write);
    case 'text':
      for (const f of files)
        for (const i of f.findings) {
          const x = store.finding(i);
          write(`${x.file}:${x.line}:${x.column}: ${x.severity} ${x.code} ${x.message}\n`);
        }
  }
}

/** Bytes gathered before a write: few system calls, little held. */
const FLUSH_AT = 64 * 1024;

/** `write` gathered into pieces of about 64 KB; call `flush` at the end. */
export function gathered(write: (text: string) => void): { write: (text: string) => void; flush: () => void } {
  let pending: string[] = [];
  let length = 0;
  const flush = (): void => {
    if (pending.length === 0) return;
    write(pending.join(''));
    pending = [];
    length = 0;
  };
  return {
    write: (text) => {
      pending.push(text);
      length += text.length;
      if (length >= FLUSH_AT) flush();
    },
    flush,
  };
}
