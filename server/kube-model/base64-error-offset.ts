/**
 * Where standard, padded base64 (as the API server's JSON decoder reads `[]byte`
 * fields: Secret `data`, ConfigMap `binaryData`) stops making sense: the byte
 * offset its `illegal base64 data at input byte N` names, or undefined when the
 * text decodes. Carriage returns and line feeds anywhere are skipped, as that
 * decoder skips them; the padding must be complete and nothing may follow it.
 */

const CR = 13;
const LF = 10;
const PAD = 61;

function isBase64Byte(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47;
}

function skipLineBreaks(src: Uint8Array, at: number): number {
  let i = at;
  while (i < src.length && (src[i] === CR || src[i] === LF)) i++;
  return i;
}

/** The offset of one quantum's problem, or where the next quantum starts ('done' at a clean end). */
function readQuantum(src: Uint8Array, start: number): { error: number } | { next: number } | 'done' {
  let i = start;
  let have = 0;
  while (have < 4) {
    if (i === src.length) return have === 0 ? 'done' : { error: i - have };
    const c = src[i++]!;
    if (isBase64Byte(c)) {
      have++;
      continue;
    }
    if (c === CR || c === LF) continue;
    if (c !== PAD || have < 2) return { error: i - 1 };
    if (have === 2) {
      // The second '=' must follow (line breaks between are fine).
      i = skipLineBreaks(src, i);
      if (i === src.length) return { error: src.length };
      if (src[i] !== PAD) return { error: i - 1 };
      i++;
    }
    i = skipLineBreaks(src, i);
    return i < src.length ? { error: i } : 'done';
  }
  return { next: i };
}

export function base64ErrorOffset(text: string): number | undefined {
  const src = Buffer.from(text, 'utf8');
  let at = 0;
  for (;;) {
    const step = readQuantum(src, at);
    if (step === 'done') return undefined;
    if ('error' in step) return step.error;
    at = step.next;
  }
}

/** How many bytes base64 text that decodes (base64ErrorOffset undefined) stands for. */
export function base64DecodedLength(text: string): number {
  return Buffer.from(text.replace(/[\r\n]/g, ''), 'base64').length;
}
