// Generated inputs for the differential tests: each must either take the
// fast path with exactly the `yaml` package's result, or bail.
import { flowCases } from './flow-edge-cases.js';

const NUMBERS = [
  '0',
  '-0',
  '+0',
  '12',
  '-12',
  '+12',
  '1_000',
  '012',
  '0755',
  '-0755',
  '09',
  '0_7',
  '0_',
  '0o17',
  '0x1F',
  '-0x1f',
  '0x_1',
  '0b101',
  '-0b1_0',
  '0b',
  '1.5',
  '-1.50',
  '1.',
  '.5',
  '.',
  '1e3',
  '1E+3',
  '1.5e-3',
  '-.5e3',
  '1_0.0_0',
  '6.02e23',
  '.inf',
  '-.Inf',
  '+.INF',
  '.nan',
  '.NaN',
  '.NAN',
  '.Nan',
  '1:30',
  '190:20:30',
  '2001-12-14',
  '2001-12-14t21:59:43.10-05:00',
  '12345678901234567890',
  '0.1',
  '1e',
  'e3',
  '1__',
  '__1',
  '+',
  '-',
  '1.2.3',
  '0x',
  '0xg',
  '1,000',
  '3.0',
  '300m',
  '1Gi',
];
const WORDS = [
  'y',
  'Y',
  'yes',
  'Yes',
  'YES',
  'yEs',
  'n',
  'N',
  'no',
  'No',
  'NO',
  'true',
  'True',
  'TRUE',
  'tRue',
  'false',
  'False',
  'FALSE',
  'on',
  'On',
  'ON',
  'oN',
  'off',
  'Off',
  'OFF',
  'null',
  'Null',
  'NULL',
  'nULL',
  '~',
  'nil',
  'None',
  'yess',
  'o',
  'f',
  't',
];
const QUOTED = [
  '"a"',
  "'a'",
  '""',
  "''",
  '"it\'s"',
  "'it''s'",
  "'a''b''c'",
  '"a\\"b"',
  '"\\\\"',
  '"\\n\\t\\r\\0\\a\\b\\v\\f\\e\\ \\/"',
  '"\\N\\_\\L\\P"',
  '"\\x41\\u00e9\\U0001F600"',
  '"\\u12"',
  '"\\q"',
  '"a # b"',
  "'a # b'",
  '"a: b"',
  '"#"',
  '"\\uD83D"',
  '"trailing" # comment',
  "'x'#no space",
  '"x" y',
  '"unterminated',
  "'unterminated",
  '"a\\',
  '"é"',
];
const PLAIN = [
  'a b',
  'a#b',
  'a #b',
  'a: b',
  'a:b',
  'http://x:80/y',
  'a:',
  '-a',
  '-',
  '- a',
  '?a',
  '? a',
  ':a',
  '%a',
  '@a',
  '`a',
  "a'b",
  'a"b',
  '[a',
  'a]',
  'a,b',
  'a{b}',
  '&x a',
  '*x',
  '!!str a',
  '!t a',
  'a  ',
  'a   # c',
  '<<',
  'é ü',
  '0.0.0.0/0',
];
const BLOCK_HEADERS = ['|', '|-', '|+', '>', '>-', '>+', '|2', '|-2', '|2-', '>1', '| # c', '|#c', '|x', '>+1'];
const BLOCK_BODIES = [
  ['a'],
  ['a', 'b'],
  ['a', '', 'b'],
  ['a', '', '', 'b', ''],
  ['', 'a'],
  ['a', '  b', 'c'],
  ['a', '', '  b', '', 'c'],
  ['a', 'b', '', ''],
  ['a', '   ', 'b'],
  ['#a', 'b #c'],
  ['a b  ', 'c'],
];

function blockScalars(): string[] {
  const out: string[] = [];
  for (const header of BLOCK_HEADERS) {
    for (const body of BLOCK_BODIES) {
      const lines = body.map((l) => (l === '' ? '' : `  ${l}`));
      out.push(`a: ${header}\n${lines.join('\n')}\nb: 1\n`);
      out.push(`a: ${header}\n${lines.join('\n')}\n`);
      out.push(`a: ${header}\n${lines.join('\n')}`);
      out.push(`a: ${header}\n${lines.join('\n')}\n\n# c\n`);
      out.push(`- ${header}\n${lines.join('\n')}\n- x\n`);
      out.push(`x:\n  - k: ${header}\n${lines.map((l) => (l === '' ? '' : `      ${l}`)).join('\n')}\n  - y\n`);
      // At the end of the text, with no line break after its last line.
      out.push(
        `- ${header}\n${lines.join('\n')}`,
        `x:\n  - k: ${header}\n${lines.map((l) => `      ${l}`).join('\n')}`,
      );
    }
  }
  return out;
}

const STRUCTURES = [
  'a: 1\nb: 2\n',
  'a:\n  b:\n    c: d\n  e: f\ng: h\n',
  'a:\n- 1\n- 2\nb: 3\n',
  'a:\n  - 1\n  - 2\nb: 3\n',
  '- a\n- b: 1\n  c: 2\n- - x\n  - y\n- - - z\n-\n- \n',
  '- a: 1\n  b:\n  - c\n  d: 2\n',
  'a:\nb:\nc: ~\n',
  'a:   \nb: # c\nc:\n  # d\n\n  # e\nf:\n',
  'a:\n  b:\n  # c\n\n  d: 1\n',
  'a:\n  b:\n    # deep\n  # shallow\n\n  d: 1\n',
  'a:\n  b:\n\n    # deep\n\n  d: 1\n',
  'a:\n  b:\n    # deep\n',
  'a:\n  b:\n# low\n',
  'a: 1\n   # deep\n\n   # deep2\n# low\n   # deep3\nb: 2\n',
  'a:\n  b: 1\n  # same\nc: 2\n',
  'a:\n  b: 1\n    # deeper\nc: 2\n',
  'a:\n  b: 1\n# low\n  # mid\nc: 2\n',
  'a:\n  b:\n    c: 1\n    # four\n  # two\n# zero\nd: 1\n',
  'a:\n  b:\n    c: 1\n  # two\n\n',
  'a:\n  - x\n  # two\nb: 1\n',
  'a:\n- x\n# zero\n  # two\nb: 1\n',
  '- a\n  # c\n- b\n',
  '-\n  # c\n- b\n',
  '- # c\n- b\n',
  '- a: 1\n  # two\n- b\n',
  '- a: 1\n    # four\n- b\n',
  'a: [1, 2]\n   # deep\n\nb: {}\n',
  'a: |\n  x\n  # not a comment\n   # deep\nb: 1\n',
  'a: |\n  x\n # low\nb: 1\n',
  '# head\n\na: 1\n',
  '---\na: 1\n',
  '--- # c\na: 1\n',
  '# c\n---\n# d\na: 1\n...\n',
  '---\na: 1\n---\nb: 2\n',
  '---\n',
  '---\n---\na: 1\n',
  '# c\n---\n# x\n\n---\na: 1\n',
  '---  # c\n  # d\n---\na: 1\n',
  '---\n---\n---\na: 1\n',
  '\n---\n\n---\n- a\n',
  '\uFEFF---\n---\na: 1\n',
  '---\n...\n---\na: 1\n',
  '--- a\n---\nb: 1\n',
  '{a: 1}\n',
  '{a: 1}',
  '{a: 1} # c\n',
  '{a: 1} # c\n   # deep\n\n# x\n',
  '{a: 1}\n\n\n',
  '{a: 1}\n...\n',
  '[a]\n  \n',
  '---\n---\n{ apiVersion: "v1", kind: "Pod", metadata: { name: "x" } }\n',
  '[a, [b]]\n',
  '{a: 1}\nb: 2\n',
  'a: 1\n# c\n...\n',
  'a:\n  b: 1\n  # c\n...\n',
  'a: 1\n...\n# after\n\n',
  'a: 1\n... # c\n',
  'a: 1\n...',
  'a:\n...\n',
  'a: 1\n...#c\n',
  'a: 1\n... x\n',
  'a: 1\n...\nb: 2\n',
  'a: 1\n...\n---\nb: 2\n',
  '- a\n...\n',
  '# only a comment\n',
  '',
  '\n\n',
  'a: 1\n\n\n',
  'a: 1\n# end',
  'a: 1',
  'a:',
  'a: 1\r\nb:\r\n  - x\r\n  - y: z\r\n# c\r\n',
  'a: |\r\n  x\r\n  y\r\nb: 1\r\n',
  '\uFEFFa: 1\nb: 2\n',
  '\uFEFF# c\na: 1\n',
  'a: [ 1 , x ,y, ]\nb: { a: 1 , b: [] }\nc: {}\nd: [[1, [2]], {x: {y: z}}]\n',
  'a: ["q", \'r\', "s, t"]\nb: {"k": v}\n',
  'a: [a, b\nc: 1\n',
  'a: [a: b]\n',
  'a: {a}\n',
  'a: {a: }\n',
  'a: {a: 1, a: 2}\n',
  'a: [1, 2] # c\nb: [1]x\n',
  'a: 1\na: 2\n',
  'a: 1\n"a": 2\n',
  '1: a\n01: b\n',
  'y: 1\nyes: 2\n',
  'a: b\n  c\n',
  'a: b\n\n  c\n',
  'a: "b\n  c"\n',
  "a: 'b\n  c'\n",
  '  a: 1\n  b: 2\n',
  'a: 1\n b: 2\n',
  'a:\n    b: 1\n  c: 2\n',
  'a: - b\n',
  'a: b: c\n',
  '- a\nb: 1\n',
  'a: 1\n- b\n',
  'a: &x 1\nb: *x\n',
  'a: !!str 1\n',
  '<<: {a: 1}\n',
  '? a\n: b\n',
  '%YAML 1.1\n---\na: 1\n',
  'a:\tb\n',
  'a : b\n',
  '"a b": 1\n\'c\': 2\n',
  '"a":1\n',
  'a: 1 #c\nb: 2#c\n',
  'a:#b\n',
  'key with spaces: value with spaces\n',
  'a: b # c: d\n',
  'a: "x"\n  # deep\nb: 1\n',
  'a:\r\n  b: 1\r\n  # c\r\n\r\nd: 2\r\n',
  'a: 1\rb: 2\n',
  '- - - a\n    - b\n  - c\n- d\n',
  'a:\n  - b:\n      c: 1\n    d: 2\n  - e\n',
  'a: 1\n.nan: 1\n.NaN: 2\n',
  '0: a\n-0: b\n',
  '1: a\n1.0: b\n"1": c\n',
  'k1: 1\nk2: 2\nk3: 3\nk4: 4\nk5: 5\nk6: 6\nk7: 7\nk8: 8\nk9: 9\nk10: 10\nk3: 11\n',
  'k1: 1\nk2: 2\nk3: 3\nk4: 4\nk5: 5\nk6: 6\nk7: 7\nk8: 8\nk9: 9\n.nan: 10\n.NAN: 11\n',
];

function scalarCases(): string[] {
  const out: string[] = [];
  for (const s of [...NUMBERS, ...WORDS, ...QUOTED, ...PLAIN]) {
    out.push(`a: ${s}\n`, `- ${s}\n`, `${s}: a\n`, `a: [${s}]\n`, `a: {k: ${s}}\n`, `a:\n  - ${s}\n  - x\n`);
  }
  return out;
}

function nested(depth: number): string {
  let text = '';
  for (let i = 0; i < depth; i++) text += `${'  '.repeat(i)}k${i}:\n`;
  return `${text}${'  '.repeat(depth)}leaf: 1\n`;
}

export const EDGE_CASES: readonly string[] = [
  ...STRUCTURES,
  ...scalarCases(),
  ...blockScalars(),
  ...flowCases(),
  ...quotedOverLines(),
  ...spaceBeforeColon(),
  nested(10),
  nested(150),
  `a: ${'['.repeat(100)}${']'.repeat(100)}\n`,
  `${'- '.repeat(60)}x\n`,
  ...duplicateKeys(),
];

/**
 * Double-quoted values over several lines (escaped line breaks, folding, blank lines, trailing and
 * leading spaces, escapes at a line's end), in every place a value goes and at every indentation of
 * their further lines, with what may follow them: the fast path must agree or bail.
 */
function quotedOverLines(): string[] {
  const bodies = [
    (i: string) => `"a \\\n${i}b"`,
    (i: string) => `"\\\n${i}x\\n\\\n${i}y\\n\\\n${i}"`,
    (i: string) => `"a\n${i}b"`,
    (i: string) => `"a   \n${i}  b  \n${i}c"`,
    (i: string) => `"a\n\n${i}b"`,
    (i: string) => `"a\n  \n\n${i}b"`,
    (i: string) => `"a\\\n\n${i}b"`,
    (i: string) => `"a\\ \n${i}b"`,
    (i: string) => `"a\\t\n${i}b"`,
    (i: string) => `"a \\\n${i}# not a comment\n${i}b"`,
    (i: string) => `"a\n${i}b: c"`,
    (i: string) => `"a\n${i}- b"`,
    (i: string) => `"a\n${i}\\"b\\""`,
    (i: string) => `"a\n${i}b" # c`,
    (i: string) => `"a\n${i}b"x`,
    (i: string) => `"a\n---\n${i}b"`,
    (i: string) => `"a\n...\n${i}b"`,
    (i: string) => `"a\n${i}b`,
    (i: string) => `"a\r\n${i}b"`,
    (i: string) => `'a\n${i}b'`,
  ];
  const spots = [
    { prefix: 'k: ', n: 0, tail: '\nz: 1\n' },
    { prefix: 'x:\n  k: ', n: 2, tail: '\n  z: 1\n' },
    { prefix: '- ', n: 0, tail: '\n- z\n' },
    { prefix: 'x:\n  - ', n: 2, tail: '\n' },
    { prefix: '- - ', n: 2, tail: '\n' },
    { prefix: '- k: ', n: 2, tail: '\n  z: 1\n' },
    { prefix: 'k: [', n: 0, tail: ']\n' },
    { prefix: 'k: {a: ', n: 0, tail: '}\n' },
    { prefix: 'x:\n  k: [1, ', n: 2, tail: ', 2]\n' },
    { prefix: 'k: [\n  ', n: 0, tail: ',\n]\n' },
    { prefix: '[', n: -1, tail: ']\n' },
    { prefix: '{a: ', n: -1, tail: '}\n' },
    { prefix: '{', n: -1, tail: ': 1}\n' },
    { prefix: '', n: -1, tail: ': 1\n' },
  ];
  const out: string[] = [];
  for (const { prefix, n, tail } of spots)
    for (const body of bodies)
      for (const d of [-1, 0, 1, 2, 4]) out.push(`${prefix}${body(' '.repeat(Math.max(0, n + d)))}${tail}`);
  return out;
}

/** Plain keys with spaces before their colon (`limits :`), as values, nested, in sequences, duplicated, with odd neighbours. */
function spaceBeforeColon(): string[] {
  const keys = ['a', 'ab', 'a b', '1', 'true', '~', 'a:b', '-a', '<<', '"a"', "'a'", 'a #c', 'null'];
  const gaps = [' ', '  ', '   '];
  const rests = [
    ' 1',
    '',
    '  ',
    ' # c',
    ' "x"',
    ' [1]',
    ' {a: 1}',
    ' |\n    x',
    '\n    b: 1',
    '\n    - 1',
    ' b : c',
    ':',
    ' :',
  ];
  const out: string[] = [];
  for (const key of keys)
    for (const gap of gaps)
      for (const rest of rests)
        out.push(
          `${key}${gap}:${rest}\n`,
          `x:\n  ${key}${gap}:${rest}\n  z: 1\n`,
          `- ${key}${gap}:${rest}\n`,
          `a: 1\n${key}${gap}:${rest}\na : 2\n`,
        );
  return out;
}

/** Duplicate keys: kept on the fast path with the package's DUPLICATE_KEY errors, or bailed on. */
function duplicateKeys(): string[] {
  const keys = ['a', '"a"', "'a'", '1', '1.0', '"1"', 'true', 'yes', 'null', '~', '.nan', '.NaN', '0', '-0', '<<'];
  const out: string[] = [];
  for (const k of keys) out.push(`a: 1\n${k}: 2\n`, `${k}: x\n${k}:\n`);
  for (const gap of ['', '\n', '\n\n', '# c\n', '  # c\n', '  \n', '...\n'])
    for (const value of [
      '1',
      '',
      ' ',
      '   ',
      '"x"',
      '1 # c',
      '[1]',
      '{}',
      '|\n  x',
      '>-\n  x\n',
      '\n  b: 1',
      '\n- 1',
      '\n  - 1',
    ])
      out.push(
        `a:${value === '' || value.startsWith('\n') ? '' : ' '}${value}\n${gap}a: 2\n`,
        `x:\n  a: ${value}\n  ${gap}a: 3\n`,
      );
  out.push(
    'a: 1\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\ng: 7\nh: 8\ni: 9\nj: 10\na: 11\nj: 12\nj: 13\n',
    '- a: 1\n  a: 2\n- b: 1\n  b: 1\n  b:\n',
    'a:\n  b: 1\n  b: 2\n  b: 3\na: 4\n',
    'a: 1\r\na: 2\r\n',
    '\uFEFFa: 1\na: 2\n',
    '---\na: 1\na: 2\n',
    'a: {b: 1, b: 2}\na: 3\n',
  );
  return out;
}

/** Common shapes the fast path must take (not bail on). */
export const MUST_TAKE_FAST_PATH: readonly string[] = [
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x # c\n  labels: {app: x}\nspec:\n  containers:\n  - name: c\n    image: "nginx:1"\n    ports:\n      - containerPort: 80\n    args: [a, "b"]\n',
  'a: |\n  x\n  y\nb: >-\n  f\n  g\n\n  h\n',
  'a: 1\r\nb:\r\n  - x\r\n',
  '\uFEFFa: 1\n',
  '# c\n---\n# d\na: 1\n',
  "a: 'it''s'\nb: \"\\u00e9\"\n",
  'a: 0755\nb: 0x1F\nc: 1_000\nd: .inf\ne: yes\nf: ~\ng:\n',
  '---\n---\napiVersion: v1\nkind: List\n',
  '---\n{ apiVersion: "v1", kind: "Pod" }\n',
  'apiVersion: v1\nkind: Pod\n...\n',
  '---\n{\n  apiVersion: "v1",\n  kind: "Pod",\n  metadata: {\n    name: "x", # c\n  },\n  spec: {\n    containers: [{\n      name: "c",\n      ports: [{\n        containerPort: 80,\n      }],\n    }],\n  },\n}\n',
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  name: y\nspec:\n  containers:\n  - name: c\n    image: i\n    image: j\n',
  'a:\n  command: [\n    "/bin/sh", "-c", "sleep 180"\n  ]\n\nb: 1\n',
  'a: [\n  x,\n  y\n]\n',
];
