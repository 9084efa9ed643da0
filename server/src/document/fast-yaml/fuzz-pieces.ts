/**
 * Small pieces of text carrying YAML's indicators (and line breaks, a BOM, a non-ASCII letter), spliced
 * at random places into real documents by the fast path's fuzz tests and benches.
 */
export const YAML_FUZZ_PIECES: readonly string[] = [
  ' ',
  '  ',
  '\n',
  '- ',
  ': ',
  ':',
  '#',
  ' #',
  "'",
  '"',
  '|',
  '>',
  '|-',
  '>+',
  '[',
  ']',
  '{',
  '}',
  ',',
  '&a ',
  '*a',
  '!',
  '\t',
  '\r',
  '\r\n',
  '? ',
  '%',
  '0',
  '.',
  'y',
  '\\',
  '---\n',
  '...\n',
  '\uFEFF',
  'é',
];

/** `text` with one random change: a character dropped or doubled, a piece inserted, a line dropped, doubled or its indentation moved. */
export function mutateYaml(text: string, random: () => number): string {
  const pieces = YAML_FUZZ_PIECES;
  const at = Math.floor(random() * (text.length + 1));
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const lineEndAt = text.indexOf('\n', at);
  const lineEnd = lineEndAt < 0 ? text.length : lineEndAt + 1;
  switch (Math.floor(random() * 7)) {
    case 0:
      return text.slice(0, at) + text.slice(at + 1);
    case 1:
      return text.slice(0, at) + (pieces[Math.floor(random() * pieces.length)] as string) + text.slice(at);
    case 2:
      return text.slice(0, at) + text.charAt(at) + text.slice(at);
    case 3:
      return text.slice(0, lineStart) + text.slice(lineEnd);
    case 4:
      return text.slice(0, lineEnd) + text.slice(lineStart, lineEnd) + text.slice(lineEnd);
    case 5:
      return text.slice(0, lineStart) + ' ' + text.slice(lineStart);
    default:
      return text.charAt(lineStart) === ' ' ? text.slice(0, lineStart) + text.slice(lineStart + 1) : text;
  }
}
