// Builds a large multi-document manifest file from the real-world corpus
// (read in place from ../shared/corpus, never copied into the project).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const CORPUS = join(process.cwd(), '..', 'shared', 'corpus');

/** Block-style, template-free corpus documents that parse cleanly. */
export function corpusDocuments() {
  const out = [];
  const visit = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) visit(path);
      else if (/\.ya?ml$/.test(name)) {
        const text = readFileSync(path, 'utf8');
        if (text.includes('{{') || text.includes('\t')) continue;
        for (const doc of parseAllDocuments(text)) {
          if (doc.errors.length > 0 || !doc.get('kind') || !doc.get('apiVersion')) continue;
          const source = doc.toString({ lineWidth: 0 });
          if (source.trimStart().startsWith('{')) continue;
          out.push(source.trimEnd());
        }
      }
    }
  };
  if (existsSync(CORPUS)) for (const part of ['k8s-examples', 'k8s-website']) visit(join(CORPUS, part));
  return out;
}

/**
 * `count` documents joined with `---`. The last one carries a duplicate key
 * (a YAML error) and an unknown field (a schema error), so a server that
 * reports both has really checked the file against its schema.
 */
export function bigManifest(count) {
  const docs = corpusDocuments();
  if (docs.length === 0) throw new Error(`no corpus documents found under ${CORPUS}`);
  const parts = [];
  for (let i = 0; i < count - 1; i++) parts.push(docs[i % docs.length]);
  parts.push('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: last\n  name: again\ndta:\n  key: value');
  return `${parts.join('\n---\n')}\n`;
}
