// The real-world corpus (read in place from ../shared/corpus, never copied):
// its files, and which are known to be invalid and why. Shared by the
// accuracy test and the benchmarks.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const CORPUS = join(process.cwd(), '..', 'shared', 'corpus');

export function corpusAvailable(): boolean {
  return existsSync(join(CORPUS, 'KNOWN-INVALID.tsv'));
}

/** Every YAML file, as paths relative to the corpus folder. */
export function corpusFiles(): string[] {
  const out: string[] = [];
  const visit = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) visit(path);
      else if (/\.ya?ml$/i.test(name)) out.push(relative(CORPUS, path));
    }
  };
  if (corpusAvailable()) visit(CORPUS);
  return out;
}

/** file -> reason, from KNOWN-INVALID.tsv */
export function knownInvalid(): Map<string, string> {
  const out = new Map<string, string>();
  if (!corpusAvailable()) return out;
  for (const line of readFileSync(join(CORPUS, 'KNOWN-INVALID.tsv'), 'utf8').split('\n')) {
    const [file, reason] = line.split('\t');
    if (file && reason) out.set(file, reason);
  }
  return out;
}

export function readCorpusFile(file: string): string {
  return readFileSync(join(CORPUS, file), 'utf8');
}

/** Our own findings beyond KNOWN-INVALID.tsv: file -> diagnostic code (test/fixtures/corpus-findings.tsv). */
export function corpusFindings(): Map<string, { code: string; why: string }> {
  const out = new Map<string, { code: string; why: string }>();
  for (const line of readFileSync(join(process.cwd(), 'test', 'fixtures', 'corpus-findings.tsv'), 'utf8').split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const [file = '', code = '', why = ''] = line.split('\t');
    out.set(file, { code, why });
  }
  return out;
}
