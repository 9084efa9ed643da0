/**
 * `validate`'s report in each format, written a piece at a time from the
 * findings' store (no string or object of the whole report): the same bytes as
 * `JSON.stringify(findings, null, 2)`, one joined text, or the whole SARIF and
 * JUnit documents made at once.
 */
import { writeSync } from 'node:fs';
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
          // A finding as an item of an array at two spaces' indent is `[\n`, its lines indented, `\n]`:
          // the slice between is `  ` + its own JSON with every line indented, without a copy per replace.
          write(`${first ? '[\n' : ',\n'}${JSON.stringify([store.finding(i)], null, 2).slice(2, -2)}`);
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

/** A short wait while a pipe's reader catches up. */
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes `text` to `fd` (standard output) before returning, waiting while a
 * pipe is full: `process.stdout.write` on a pipe queues what the reader has
 * not taken, and nothing is taken while the report is being written in one
 * go, so the whole report stayed in memory (a 28 MB SARIF report overran a
 * 64 MB heap). A reader that went away (EPIPE) gets nothing more. The same
 * bytes as `process.stdout.write` (UTF-8, lone surrogates as U+FFFD).
 */
export function writeFully(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let at = 0;
  while (at < bytes.length) {
    try {
      at += writeSync(fd, bytes, at, bytes.length - at);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') Atomics.wait(PAUSE, 0, 0, 1);
      else if (code === 'EPIPE') return;
      else throw error;
    }
  }
}
