/**
 * A minimal writer of the Kubernetes protobuf encoding for tests: varints,
 * length-delimited fields and the `k8s\0` runtime.Unknown envelope that
 * kubectl's typed clients send.
 */
export const PROTOBUF = 'application/vnd.kubernetes.protobuf';

export function varint(n: number | bigint): Buffer {
  let v = BigInt(n);
  const out: number[] = [];
  do {
    out.push(Number(v & 0x7fn) | (v >= 0x80n ? 0x80 : 0));
    v >>= 7n;
  } while (v > 0n);
  return Buffer.from(out);
}

/** A length-delimited field: a string, bytes or an embedded message. */
export function field(no: number, value: Buffer | string): Buffer {
  const b = typeof value === 'string' ? Buffer.from(value) : value;
  return Buffer.concat([varint((no << 3) | 2), varint(b.length), b]);
}

/** A varint field (int32, int64, bool). */
export function num(no: number, n: number | bigint): Buffer {
  return Buffer.concat([varint(no << 3), varint(n)]);
}

export function message(...fields: Buffer[]): Buffer {
  return Buffer.concat(fields);
}

/** A map entry of string keys and values. */
export function entry(no: number, key: string, value: string): Buffer {
  return field(no, message(field(1, key), field(2, value)));
}

/** ObjectMeta with a name and, optionally, a namespace and labels. */
export function objectMeta(name: string, namespace?: string, labels: Record<string, string> = {}): Buffer {
  return message(
    field(1, name),
    ...(namespace !== undefined ? [field(3, namespace)] : []),
    ...Object.entries(labels).map(([k, v]) => entry(11, k, v)),
  );
}

/** The body as kubectl sends it: magic, then runtime.Unknown{typeMeta, raw}. */
export function envelope(apiVersion: string, kind: string, raw: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from('k8s\0', 'binary'),
    field(1, message(field(1, apiVersion), field(2, kind))),
    field(2, raw),
  ]);
}
