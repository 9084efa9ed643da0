// Generated multi-line flow collections for the differential tests (see edge-cases.ts):
// where the collection sits (document root, mapping value, sequence item, nested
// blocks), how deep its lines and closing bracket are indented, and what sits between
// its items (comments, blank lines, commas first on a line, values on the next line,
// multi-line scalars, markers, carriage returns).

const BODIES: readonly ((i: string) => string)[] = [
  (i) => `{\n${i}a: 1,\n${i}b: "x",\n`,
  (i) => `{\n${i}a: 1\n`,
  (i) => `[\n${i}a,\n${i}"b",\n`,
  (i) => `[\n${i}a\n`,
  (i) => `[{\n${i}name: x,\n${i}ports: [{\n${i}  containerPort: 80,\n${i}}],\n${i}}`,
  (i) => `{\n${i}a: 1, # c\n${i}b: [x, y] # d\n`,
  (i) => `{\n${i}# c\n\n${i}a: 1,\n\n`,
  (i) => `[\n${i}a # c\n\n${i}# d\n`,
  (i) => `{ a: 1,\n${i}b: 2 `,
  (i) => `[ a,\n${i}b ]`,
  (i) => `{\n${i}a: [\n${i}  1, 2,\n${i}],\n`,
  (i) => `{\n${i}a:\n${i}  1\n`,
  (i) => `{\n${i}a\n${i}: 1\n`,
  (i) => `[\n${i}a\n${i}b\n`,
  (i) => `[\n${i}a\n${i},b\n`,
  (i) => `{\n${i}a: "x\n${i}y"\n`,
  (i) => `{\n${i}a: 1,#c\n`,
  (i) => `{\n${i}a: 1 #c\n`,
  (i) => `{\n${i}a: "x"#c\n`,
  (i) => `[\n${i}- a\n`,
  (i) => `{\n${i}a: 1,\n${i}a: 2\n`,
  (i) => `{\n${i}? a\n`,
  (i) => `[\n${i}a: 1\n`,
  (i) => `{\n${i}a: &x 1,\n${i}b: *x\n`,
  (i) => `{\n${i}a: 1,\n...\n`,
  (i) => `{\n${i}"a": 1,\n${i}'b': 'it''s',\n`,
  (i) => `[\n${i}{a: 1}\n`,
  (i) => `[\n${i}[1, 2]  # c\n`,
  (i) => `{\n${i}a: {b: 1}\n`,
  (i) => `{\n${i}a: [1,\n${i}2]\n`,
  (i) => `{\n${i}a:\n${i}  [1],\n${i}b:\n${i}  x\n`,
  (i) => `{\n${i}a: # c\n${i}  {b: 1}\n`,
  (i) => `{\n${i}a:\n\n${i}# c\n${i}  "x",\n`,
  (i) => `{\n${i}a:\n${i}b: 1\n`,
  (i) => `{\n${i}a:\n`,
  (i) => `{\n${i}a:#c\n${i}  1\n`,
  (i) => `{\n${i}a:\n${i}- 1\n`,
  (i) => `{\n${i}a:\n${i}  b: 1\n`,
];

function close(body: string): string {
  let depth = '';
  for (const c of body) {
    if (c === '[' || c === '{') depth += c;
    if ((c === ']' || c === '}') && depth.length > 0) depth = depth.slice(0, -1);
  }
  return [...depth]
    .reverse()
    .map((c) => (c === '[' ? ']' : '}'))
    .join('');
}

/** The collection of `body` closed on a line of its own indented `closeIndent`, after the block lines in `prefix`. */
function place(prefix: string, body: string, closeIndent: number, tail: string): string {
  return `${prefix}${body}${body.endsWith('\n') ? '' : '\n'}${' '.repeat(closeIndent)}${close(body)}${tail}`;
}

export function flowCases(): string[] {
  const out: string[] = [];
  const spots: { prefix: string; n: number }[] = [
    { prefix: '', n: 0 },
    { prefix: '---\n', n: 0 },
    { prefix: 'k: ', n: 0 },
    { prefix: 'x:\n  k: ', n: 2 },
    { prefix: '- ', n: 0 },
    { prefix: 'x:\n  - ', n: 2 },
    { prefix: '- - ', n: 2 },
    { prefix: '- k: ', n: 2 },
    { prefix: 'a: 1\nk: ', n: 0 },
  ];
  for (const { prefix, n } of spots) {
    for (const body of BODIES) {
      for (const d of [-1, 0, 1, 2]) {
        const inner = ' '.repeat(Math.max(0, n + d));
        const text = body(inner);
        for (const c of [n - 1, n, n + 1]) {
          if (c < 0) continue;
          out.push(place(prefix, text, c, '\n'));
        }
        out.push(place(prefix, text, n + 2, ' # after\n'));
      }
    }
    const body = (BODIES[0] as (i: string) => string)(' '.repeat(n + 2));
    for (const tail of ['\nz: 1\n', '\n  # deep\nz: 1\n', '\n# c\n', '\n\n', '', '\n...\n', ' x\n', '\n- z\n'])
      out.push(place(prefix, body, n, tail));
  }
  out.push(...out.slice(0, 200).map((text) => text.replace(/\n/g, '\r\n')));
  return out;
}
