import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { corpusAvailable, corpusFiles, corpusFindings, knownInvalid, readCorpusFile } from './support/corpus.js';
import { createLanguageService } from '../../server/src/language-service.js';

/** The diagnostic code each reason in KNOWN-INVALID.tsv must produce. */
function expectedCode(reason: string): string {
  // `code:why` names the code itself; older lines say only why.
  const named = /^(removed-api|invalid-enum|wrong-type|unknown-field|missing-required|invalid-name):/.exec(reason);
  if (named) return named[1]!;
  if (reason.includes('DUPLICATE_KEY')) return 'duplicate-key';
  if (reason.includes('TAB_AS_INDENT')) return 'yaml-syntax/TAB_AS_INDENT';
  if (reason.includes('no metadata.name')) return 'missing-required';
  if (reason.includes('written as a list')) return 'wrong-type';
  if (reason.includes('base64')) return 'invalid-base64';
  if (reason.includes('metadata.name')) return 'invalid-name';
  if (reason.includes('removed field')) return 'unknown-field';
  throw new Error(`no expected code for reason '${reason}'`);
}

const findings = new Map([...corpusFindings()].map(([file, f]) => [file, f.code]));

describe(
  'accuracy on the real-world corpus',
  { skip: corpusAvailable() ? false : 'corpus not found beside the project' },
  () => {
    const service = createLanguageService();
    const files = corpusFiles();
    const texts = new Map(files.map((f) => [f, readCorpusFile(f)]));
    for (const [file, text] of texts) service.updateCrds(file, text);
    const errorsOf = (file: string): string[] =>
      service
        .diagnostics(texts.get(file) ?? '')
        .filter((d) => d.severity === 1)
        .map((d) => String(d.code));

    it('flags every known-invalid file for its reason', () => {
      const invalid = knownInvalid();
      assert.ok(invalid.size >= 24);
      for (const [file, reason] of invalid) {
        assert.ok(
          errorsOf(file).includes(expectedCode(reason)),
          `${file} (${reason}) got ${errorsOf(file).join(', ') || 'no error'}`,
        );
      }
    });

    it('reports errors on no other file, except the findings we checked by hand', () => {
      const invalid = knownInvalid();
      const unexpected: string[] = [];
      for (const file of files) {
        if (invalid.has(file)) continue;
        const errors = errorsOf(file);
        const finding = findings.get(file);
        if (finding === undefined && errors.length > 0) unexpected.push(`${file}: ${errors.join(', ')}`);
        if (finding !== undefined) assert.ok(errors.includes(finding), `${file} should still get ${finding}`);
      }
      assert.deepEqual(unexpected, []);
    });
  },
);
