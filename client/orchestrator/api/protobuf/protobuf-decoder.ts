/**
 * Reads the Kubernetes protobuf encoding (`application/vnd.kubernetes.protobuf`),
 * which kubectl's typed clients (`kubectl create configmap|secret|deployment|...`)
 * send. `proto-messages.ts` lists every message of the served API groups as
 * field number → [JSON name, one|repeated|map, type], generated from the
 * Kubernetes `generated.proto` files by scripts/generate-protobuf.mjs. The
 * result is the object's JSON form.
 */
import { StatusError } from '../../store/errors';
import { PROTO_MESSAGES } from './proto-messages';
import { AUTOSCALING_MESSAGES } from './autoscaling-messages';

const MESSAGES = { ...PROTO_MESSAGES, ...AUTOSCALING_MESSAGES };

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);
const META = 'k8s.io.apimachinery.pkg.apis.meta.v1.';
const PACKAGES: Record<string, string> = {
  v1: 'k8s.io.api.core.v1',
  'apps/v1': 'k8s.io.api.apps.v1',
  'batch/v1': 'k8s.io.api.batch.v1',
  'networking.k8s.io/v1': 'k8s.io.api.networking.v1',
  'discovery.k8s.io/v1': 'k8s.io.api.discovery.v1',
  'events.k8s.io/v1': 'k8s.io.api.events.v1',
  'autoscaling/v1': 'k8s.io.api.autoscaling.v1',
};
/** Zero values that mean something (pointer fields in the Go types); other zeros are left out, as JSON omits them. */
const KEEP_ZERO = new Set([
  'replicas',
  'revisionHistoryLimit',
  'terminationGracePeriodSeconds',
  'progressDeadlineSeconds',
  'runAsUser',
  'runAsGroup',
  'fsGroup',
  'automountServiceAccountToken',
  'enableServiceLinks',
  'allowPrivilegeEscalation',
  'runAsNonRoot',
  'readOnlyRootFilesystem',
  'privileged',
  'optional',
  'allocateLoadBalancerNodePorts',
  'publishNotReadyAddresses',
  'ready',
  'serving',
  'terminating',
  'parallelism',
  'completions',
  'activeDeadlineSeconds',
  'backoffLimit',
  'ttlSecondsAfterFinished',
  'suspend',
  'manualSelector',
  'startingDeadlineSeconds',
  'successfulJobsHistoryLimit',
  'failedJobsHistoryLimit',
]);

const bad = (why: string) =>
  new StatusError('BadRequest', `the body of the request could not be decoded as protobuf: ${why}`);

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}
  get done(): boolean {
    return this.pos >= this.buf.length;
  }
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw bad('truncated varint');
      const byte = this.buf[this.pos++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  }
  bytes(): Buffer {
    const len = Number(this.varint());
    if (this.pos + len > this.buf.length) throw bad('truncated field');
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw bad(`unsupported wire type ${wire}`);
  }
}

function scalar(type: string, r: Reader, wire: number): unknown {
  switch (type) {
    case 'string':
      return r.bytes().toString('utf8');
    case 'bytes':
      return r.bytes().toString('base64');
    case 'bool':
      return r.varint() !== 0n;
    case 'int32':
      return Number(BigInt.asIntN(32, r.varint()));
    case 'int64':
    case 'uint32':
    case 'uint64':
      return Number(BigInt.asIntN(64, r.varint()));
    case 'double': {
      const v = r.buf.readDoubleLE(r.pos);
      r.pos += 8;
      return v;
    }
    default:
      r.skip(wire);
      return undefined;
  }
}

/** Messages whose JSON form is not an object. */
function special(type: string, fields: Record<string, unknown>): unknown {
  switch (type) {
    case `${META}Time`:
    case `${META}MicroTime`: {
      const seconds = Number(fields.seconds ?? 0);
      return seconds === 0 ? undefined : new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
    }
    case 'k8s.io.apimachinery.pkg.util.intstr.IntOrString':
      return Number(fields.type ?? 0) === 1 ? (fields.strVal ?? '') : (fields.intVal ?? 0);
    case 'k8s.io.apimachinery.pkg.api.resource.Quantity':
      return fields.string;
    case `${META}FieldsV1`:
    case 'k8s.io.apimachinery.pkg.runtime.RawExtension':
      return typeof fields.Raw === 'string' || typeof fields.raw === 'string'
        ? (JSON.parse(Buffer.from(String(fields.Raw ?? fields.raw), 'base64').toString('utf8')) as unknown)
        : undefined;
    default:
      return fields;
  }
}

function isEmpty(value: unknown, name: string): boolean {
  if (value === undefined || value === '') return true;
  if ((value === 0 || value === false) && !KEEP_ZERO.has(name)) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}

export function decodeMessage(type: string, buf: Buffer): unknown {
  const defs = MESSAGES[type];
  const out: Record<string, unknown> = {};
  const r = new Reader(buf);
  while (!r.done) {
    const key = Number(r.varint());
    const number = key >>> 3;
    const wire = key & 7;
    const def = defs?.[String(number)];
    if (!def) {
      r.skip(wire);
      continue;
    }
    const [name, cardinality, fieldType] = def;
    let value: unknown;
    if (cardinality === 'map') {
      const entry = new Reader(r.bytes());
      let k: unknown = '';
      let v: unknown;
      while (!entry.done) {
        const ek = Number(entry.varint());
        if (ek >>> 3 === 1) k = scalar('string', entry, ek & 7);
        else if (ek >>> 3 === 2)
          v = MESSAGES[fieldType] ? decodeMessage(fieldType, entry.bytes()) : scalar(fieldType, entry, ek & 7);
        else entry.skip(ek & 7);
      }
      const map = (out[name] ??= {}) as Record<string, unknown>;
      map[String(k)] = v ?? (fieldType === 'string' ? '' : v);
      continue;
    }
    if (MESSAGES[fieldType]) value = decodeMessage(fieldType, r.bytes());
    else if (wire === 2 && fieldType !== 'string' && fieldType !== 'bytes') {
      // A packed repeated scalar.
      const packed = new Reader(r.bytes());
      const list = (out[name] ??= []) as unknown[];
      while (!packed.done) list.push(scalar(fieldType, packed, 0));
      continue;
    } else value = scalar(fieldType, r, wire);
    if (cardinality === 'repeated') ((out[name] ??= []) as unknown[]).push(value);
    else out[name] = value;
  }
  for (const [k, v] of Object.entries(out)) if (isEmpty(v, k) && !Array.isArray(v)) delete out[k];
  return special(type, out);
}

/** Decodes a `k8s\0`-prefixed runtime.Unknown envelope into the object's JSON form. */
export function decodeKubernetesProtobuf(body: Buffer): Record<string, unknown> {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) throw bad('missing the k8s envelope');
  const envelope = decodeMessage('k8s.io.apimachinery.pkg.runtime.Unknown', body.subarray(4)) as {
    typeMeta?: { apiVersion?: string; kind?: string };
    raw?: string;
  };
  const apiVersion = envelope.typeMeta?.apiVersion ?? '';
  const kind = envelope.typeMeta?.kind ?? '';
  const pkg = PACKAGES[apiVersion];
  const type = pkg ? `${pkg}.${kind}` : kind === 'DeleteOptions' ? `${META}DeleteOptions` : '';
  if (!MESSAGES[type])
    throw new StatusError(
      'UnsupportedMediaType',
      `protobuf bodies of ${apiVersion} ${kind} are not supported; send JSON`,
    );
  const object = decodeMessage(type, Buffer.from(envelope.raw ?? '', 'base64')) as Record<string, unknown>;
  return { apiVersion, kind, ...object };
}
