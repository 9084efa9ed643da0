// Differential test of the editor's caches: after every step of random edit
// sequences on corpus files, what a long-lived language service reports (chunk
// parses, per-chunk diagnostics, the workspace index patched in place,
// remembered cross-resource findings) equals what a fresh one reports.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-types';
import { createLanguageService } from './language-service.js';
import type { LanguageService } from './language-service.js';
import { CORPUS, EXAMPLES, yamlFiles } from './test-support/yaml-files.js';
import { seeded } from './test-support/seeded-random.js';

/** One edit an editor could send: a character typed, a line inserted, removed, moved or split by a marker. */
function edit(text: string, next: () => number): string {
  const lines = text.split('\n');
  const at = Math.floor(next() * lines.length);
  const line = lines[at] ?? '';
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  switch (Math.floor(next() * 9)) {
    case 0: // a character typed inside a line
      lines[at] =
        line.slice(0, Math.floor(next() * (line.length + 1))) +
        pick(['x', '1', ' ', ':', '-', '"']) +
        line.slice(Math.floor(next() * (line.length + 1)));
      break;
    case 1: // a line removed
      lines.splice(at, 1);
      break;
    case 2: // a line copied below itself (a duplicate key, or a list item more)
      lines.splice(at, 0, line);
      break;
    case 3: // a blank line or comment inserted: everything below moves
      lines.splice(at, 0, pick(['', '# note']));
      break;
    case 4: // a document marker inserted or removed
      if (line === '---') lines.splice(at, 1);
      else lines.splice(at, 0, '---');
      break;
    case 5: // a name changed: what other documents see changes
      lines[at] = line.replace(/(name: *)(\S+)/, `$1$2-${Math.floor(next() * 3)}`);
      break;
    case 6: // a value changed in place
      lines[at] = line.replace(/: *(\S+)$/, `: ${pick(['2', 'two', 'true', 'null', '"8080"', 'web'])}`);
      break;
    case 7: // a line moved elsewhere
      lines.splice(at, 1);
      lines.splice(Math.floor(next() * lines.length), 0, line);
      break;
    default: // a label changed (Service selectors, pod templates)
      lines[at] = line.replace(/(app: *)(\S+)/, `$1$2${pick(['', '-x'])}`);
  }
  return lines.join('\n');
}

const OTHER = 'file:///workspace/app/other.yaml';
const EDITED = 'file:///workspace/app/edited.yaml';

/** What the validation handler publishes for an open document (without kustomize and git). */
function publish(service: LanguageService, uri: string, text: string): Diagnostic[] {
  service.updateCrds(uri, text);
  service.kustomize.update(uri, text);
  const manifestsAround = service.workspace.index.manifestsBeside(uri);
  return [...service.diagnostics(text, { manifestsAround }), ...service.workspace.diagnostics(uri, text)];
}

describe('cached diagnostics equal a cold validation', () => {
  const files = [...yamlFiles(CORPUS), ...yamlFiles(EXAMPLES)].filter((f) => statSync(f).size < 64 * 1024);

  it('has corpus files to edit', () => {
    assert.ok(files.length >= 20, `only ${files.length} YAML files under ${CORPUS} and ${EXAMPLES}`);
  });

  it('after random edit sequences, for the edited file and the file beside it', { timeout: 300_000 }, () => {
    const next = seeded(18);
    const SEQUENCES = 24;
    const STEPS = 14;
    for (let s = 0; s < SEQUENCES; s++) {
      // A few corpus files joined: a multi-document file, and another beside it to reference.
      const pickText = (): string =>
        Array.from({ length: 1 + Math.floor(next() * 4) }, () =>
          readFileSync(files[Math.floor(next() * files.length)] ?? '', 'utf8').trimEnd(),
        ).join('\n---\n');
      const other = pickText();
      let text = pickText();
      const warm = createLanguageService();
      warm.workspace.update(OTHER, other);
      for (let step = 0; step < STEPS; step++) {
        text = edit(text, next);
        // Now and then the file beside changes too (a name or label others refer to).
        let otherNow = other;
        if (step % 5 === 4) {
          otherNow = edit(other, next);
          warm.workspace.update(OTHER, otherNow);
        }
        const got = publish(warm, EDITED, text);
        const cold = createLanguageService();
        cold.workspace.update(OTHER, otherNow);
        const expected = publish(cold, EDITED, text);
        assert.deepStrictEqual(
          got,
          expected,
          `sequence ${s}, step ${step}: cached diagnostics differ from a cold validation`,
        );
        if (otherNow !== other) warm.workspace.update(OTHER, other);
      }
    }
  });
});
