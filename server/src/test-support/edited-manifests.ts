/**
 * Random edits of a file of Deployments for the differential tests of an open document's pieces: values,
 * names and labels changed, markers added and removed (pieces join and split), CRLF and lone CRs,
 * surrogate halves, templates, and hostile values (fractions, huge numbers, `__proto__` keys, deep nesting).
 */
import type { Position, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { PiecedTextDocument } from '../document/pieced-text-document.js';

const INSERTS = [
  'x',
  'two',
  '1.5',
  '99999999999999999999999',
  '-1',
  '\n',
  '\r\n',
  '\r',
  '---\n',
  '\n---\n',
  '---',
  '# note\n',
  '\n  __proto__: x\n',
  '\n  constructor: {}\n',
  `\n  deep: ${'['.repeat(80)}${']'.repeat(80)}\n`,
  '\uD83D',
  '😀',
  '\u0000',
  '{{ x }}',
  ':latest',
  '-x',
  '',
];

function deployment(i: number, eol: string): string {
  const app = `web-${i % 7}`;
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: web-${i}`,
    'spec:',
    '  replicas: 1',
    '  selector:',
    '    matchLabels:',
    `      app: ${app}`,
    '  template:',
    '    metadata:',
    '      labels:',
    `        app: ${app}`,
    '    spec:',
    '      containers:',
    `        - name: web`,
    `          image: nginx${i % 3 === 0 ? '' : ':1.27'}`,
    '          envFrom:',
    '            - configMapRef:',
    `                name: config-${i % 5}`,
    '',
  ].join(eol);
}

/** A file of `count` Deployments (mostly LF, some CRLF or lone CR), a comments-only document now and then. */
export function deploymentsFile(count: number, next: () => number): string {
  let text = '';
  for (let i = 0; i < count; i++) {
    const eol = next() < 0.85 ? '\n' : next() < 0.5 ? '\r\n' : '\r';
    text += `${i === 0 ? '' : `---${eol}`}${next() < 0.03 ? `# only a note${eol}` : deployment(i, eol)}`;
  }
  return text;
}

/**
 * One random change of `doc`: mostly a character or a word, sometimes a line or two, now and then across
 * pieces. `templates: false`: `{ x }` where it would type `{{ x }}` (a templated file has no hover nor
 * completion at all, so a series that wants them answered keeps it out).
 */
export function randomChange(
  doc: PiecedTextDocument,
  next: () => number,
  { templates = true }: { readonly templates?: boolean } = {},
): TextDocumentContentChangeEvent {
  const picked = INSERTS[Math.floor(next() * INSERTS.length)] ?? '';
  const text = !templates && picked.includes('{{') ? '{ x }' : picked;
  const line = Math.floor(next() * doc.lineCount);
  const start: Position = { line, character: Math.floor(next() * 24) };
  const lines = next() < 0.05 ? Math.floor(next() * 600) : next() < 0.2 ? 1 : 0;
  const end: Position = { line: line + lines, character: lines === 0 ? start.character + Math.floor(next() * 4) : 0 };
  return { range: { start, end }, text };
}
