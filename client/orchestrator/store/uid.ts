/**
 * Object uids: random (version 4) UUIDs, as Kubernetes makes them, from the system's secure random
 * generator like `crypto.randomUUID`, with the same 122 random bits each. The difference is the text:
 * `randomUUID` joins 20 pieces into a string of parts (about 480 bytes held per uid, flattened again by
 * the first map lookup or log line), where this writes a batch of uids as ASCII into one buffer and cuts
 * each out as one flat 36-character string (56 bytes). Every create of a churn makes one.
 */
import { randomFillSync } from 'node:crypto';

/** Uids made per call to the system's random generator. */
const BATCH = 256;
const UUID_CHARS = 36;
const HEX = Buffer.from('0123456789abcdef', 'latin1');

const random = Buffer.alloc(16 * BATCH);
const text = Buffer.alloc(UUID_CHARS * BATCH);
let next = BATCH;

/** A new random uid: `xxxxxxxx-xxxx-4xxx-Nxxx-xxxxxxxxxxxx` in lowercase hex, N one of 8, 9, a, b. */
export function newUid(): string {
  if (next === BATCH) refill();
  const start = next * UUID_CHARS;
  next++;
  return text.toString('latin1', start, start + UUID_CHARS);
}

/** Draws the next batch of random bytes and writes each uid's text, dashes included. */
function refill(): void {
  randomFillSync(random);
  let out = 0;
  for (let i = 0; i < BATCH; i++) {
    const bytes = i * 16;
    random[bytes + 6] = (random[bytes + 6]! & 0x0f) | 0x40; // version 4
    random[bytes + 8] = (random[bytes + 8]! & 0x3f) | 0x80; // RFC 4122 variant
    for (let j = 0; j < 16; j++) {
      if (j === 4 || j === 6 || j === 8 || j === 10) text[out++] = 0x2d; // '-'
      const b = random[bytes + j]!;
      text[out++] = HEX[b >> 4]!;
      text[out++] = HEX[b & 15]!;
    }
  }
  next = 0;
}
