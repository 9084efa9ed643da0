// Generated inputs for the differential tests (edge-cases.ts gathers them): what crosses or
// repeats lines — double-quoted values over several lines, keys with spaces before their colon,
// duplicate keys. Each must either take the fast path with exactly the `yaml` package's result, or bail.

/**
 * Double-quoted values over several lines (escaped line breaks, folding, blank lines, trailing and
 * leading spaces, escapes at a line's end), in every place a value goes and at every indentation of
 * their further lines, with what may follow them: the fast path must agree or bail.
 */
export function quotedOverLines(): string[] {
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
export function spaceBeforeColon(): string[] {
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
export function duplicateKeys(): string[] {
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

/**
 * Comments and colons where a plain key or value is read (found by searching the line, not character by
 * character): `#` with and without a space before it, `:` with and without one after it, a ` #` inside quotes
 * before or after a plain scalar on the line, and a comment only late in the text after many lines without.
 */
export function commentsAndColons(): string[] {
  const values = ['a#b', 'a #b', 'a  #b', 'a# b', 'a:b', 'a:', 'a: b', 'a:#b', 'a: #b', 'http://x:80/p', 'a :b'];
  values.push('a::b', 'a #b: c', 'a#b: c', '"x #y"', '"x" #y', "'a: #b'", 'a\t#b', '#a', ':a', 'a :');
  const out: string[] = [];
  for (const value of values)
    out.push(
      `k: ${value}\n`,
      `${value}: 1\n`,
      `- ${value}\n- b\n`,
      `x:\n  k: ${value}   \n  y: 1 # c\n`,
      `a: "q #r"\nk: ${value}\n`,
      `k: ${value} # c: d\nz: 1\n`,
    );
  const many = Array.from({ length: 40 }, (_, i) => `k${i}: v${i}`).join('\n');
  out.push(`${many}\nlast: x # late\n`, `${many}\nlast: x#not\n`, `# first\n${many}\n`, `${many}\n- x # c\n`);
  return out;
}
