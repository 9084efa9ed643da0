// Every template-free corpus document as its file has it, one file of them
// (the generated corpus file, bigManifest, re-serialises them; this keeps
// flow-style documents as written, as `validate` reads them).
import { splitDocuments } from '../../server/src/document/split-documents.ts';
import { corpusFiles, readCorpusFile } from '../../test/unit/support/corpus.ts';

export function corpusAsWritten() {
  const docs = [];
  for (const file of corpusFiles()) {
    const text = readCorpusFile(file);
    if (text.includes('{{')) continue;
    for (const chunk of splitDocuments(text)) {
      const body = chunk.text.replace(/^---[^\n]*\n/, '').trimEnd();
      if (body.trim() !== '') docs.push(body);
    }
  }
  return `${docs.join('\n---\n')}\n`;
}
