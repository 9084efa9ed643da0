/**
 * Reads the Kubernetes protobuf encoding (`application/vnd.kubernetes.protobuf`),
 * which kubectl's typed clients (`kubectl create configmap|secret|deployment|...`)
 * send. `proto-messages.ts` lists every message of the served API groups as
 * field number → [JSON name, one|repeated|map, type], generated from the
 * Kubernetes `generated.proto` files by scripts/generate-protobuf.mjs. The
 * result is the object's JSON form.
 */
import { StatusError } from '../../store/errors';
import { MAX_NESTING_DEPTH } from '../../store/object';
import { PROTO_MESSAGES as MESSAGES } from './proto-messages';
import { ProtoReader, WIRE, wireName } from './proto-reader';

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);
const META = 'k8s.io.apimachinery.pkg.apis.meta.v1.';
/**
 * Embedded structs whose fields JSON writes into the parent (Go fields tagged `json:""` or `json:",inline"`,
 * which the .proto files do not mark): every such field of the served groups' types.go.
 */
const INLINE = new Set(
  [
    'Volume.volumeSource',
    'PersistentVolumeSpec.persistentVolumeSource',
    'EphemeralContainer.ephemeralContainerCommon',
    'Probe.handler',
    'ConfigMapEnvSource.localObjectReference',
    'ConfigMapKeySelector.localObjectReference',
    'ConfigMapProjection.localObjectReference',
    'ConfigMapVolumeSource.localObjectReference',
    'SecretEnvSource.localObjectReference',
    'SecretKeySelector.localObjectReference',
    'SecretProjection.localObjectReference',
  ]
    .map((f) => `k8s.io.api.core.v1.${f}`)
    .concat('k8s.io.api.networking.v1.IngressRule.ingressRuleValue'),
);
/** meta/v1 kinds that every group version carries. */
const META_KINDS = new Set(['DeleteOptions', 'CreateOptions', 'UpdateOptions', 'PatchOptions']);
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
  // DeleteOptions (kubectl delete --grace-period=0 --force sends 0).
  'gracePeriodSeconds',
  'orphanDependents',
  'ignoreStoreReadErrorWithClusterBreakingPotential',
  // Int-or-string pointers of PodDisruptionBudget and of rolling updates.
  'minAvailable',
  'maxUnavailable',
  'maxSurge',
  // HorizontalPodAutoscaler, Lease, StorageClass, PriorityClass.
  'minReplicas',
  'targetCPUUtilizationPercentage',
  'stabilizationWindowSeconds',
  'leaseDurationSeconds',
  'leaseTransitions',
  'allowVolumeExpansion',
  'value',
]);

const bad = (why: string) =>
  new StatusError('BadRequest', `the body of the request could not be decoded as protobuf: ${why}`);

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const has = (type: string): boolean => Object.hasOwn(MESSAGES, type);

function expectWire(r: ProtoReader, at: number, wire: number, expected: number, field: string): void {
  if (wire !== expected)
    throw r.fail(`field ${field} has wire type ${wireName(wire)}, expected ${wireName(expected)}`, at);
}

/** A scalar of one of the types the tables use (int32, int64, bool, string, bytes). */
function scalar(type: string, r: ProtoReader, wire: number, at: number, field: string): unknown {
  switch (type) {
    case 'string':
    case 'bytes': {
      expectWire(r, at, wire, WIRE.bytes, field);
      const start = r.offset;
      const bytes = r.sub().rest();
      if (type === 'bytes') return bytes.toString('base64');
      try {
        return UTF8.decode(bytes);
      } catch {
        throw r.fail(`field ${field} is not valid UTF-8`, start);
      }
    }
    case 'bool':
      expectWire(r, at, wire, WIRE.varint, field);
      return r.varint() !== 0n;
    case 'int32':
      expectWire(r, at, wire, WIRE.varint, field);
      return Number(BigInt.asIntN(32, r.varint()));
    case 'int64': {
      expectWire(r, at, wire, WIRE.varint, field);
      const value = BigInt.asIntN(64, r.varint());
      if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER))
        throw r.fail(`field ${field}: ${value} is out of range (at most 2^53 - 1 in magnitude)`, at);
      return Number(value);
    }
    default:
      throw r.fail(`field ${field} has the unsupported type ${type}`, at);
  }
}

/** Latest second a Time may name: 9999-12-31T23:59:59Z, as RFC 3339 can write it. */
const MAX_SECONDS = 253402300799;

/** Messages whose JSON form is not an object. */
function special(type: string, fields: Record<string, unknown>, r: ProtoReader): unknown {
  switch (type) {
    case `${META}Time`:
    case `${META}MicroTime`: {
      const seconds = Number(fields.seconds ?? 0);
      if (seconds === 0) return undefined;
      if (seconds < -62135596800 || seconds > MAX_SECONDS)
        throw r.fail(`a time of ${seconds} seconds is outside years 1-9999`);
      return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
    }
    case 'k8s.io.apimachinery.pkg.util.intstr.IntOrString':
      return Number(fields.type ?? 0) === 1 ? (fields.strVal ?? '') : (fields.intVal ?? 0);
    case 'k8s.io.apimachinery.pkg.api.resource.Quantity':
      return fields.string;
    case `${META}FieldsV1`:
    case 'k8s.io.apimachinery.pkg.runtime.RawExtension': {
      const raw = fields.Raw ?? fields.raw;
      if (typeof raw !== 'string') return undefined;
      try {
        return JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as unknown;
      } catch (error) {
        if (error instanceof RangeError) throw error;
        throw r.fail(`an embedded JSON object is not valid JSON (${(error as Error).message})`);
      }
    }
    default:
      return fields;
  }
}

/**
 * Whether a decoded field is left out of the JSON form. An embedded message is kept even when empty:
 * one is on the wire only when set (a pointer) or always there (a struct), which Go's JSON writes as `{}`
 * too, and `emptyDir: {}` means something.
 */
function isEmpty(value: unknown, name: string): boolean {
  if (value === undefined || value === '') return true;
  if ((value === 0 || value === false) && !KEEP_ZERO.has(name)) return true;
  if (Array.isArray(value)) return value.length === 0;
  return false;
}

/** Sets an own property, even one named `__proto__`. */
function put(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

function mapEntry(r: ProtoReader, fieldType: string, field: string, depth: number): [string, unknown] {
  let k = '';
  let v: unknown;
  while (!r.done) {
    const { number, wire, at } = r.key();
    if (number === 1) k = scalar('string', r, wire, at, `${field} key`) as string;
    else if (number === 2) {
      if (has(fieldType)) {
        expectWire(r, at, wire, WIRE.bytes, `${field}[${k}]`);
        v = decodeAt(fieldType, r.sub(), depth + 1);
      } else v = scalar(fieldType, r, wire, at, `${field}[${k}]`);
    } else r.skip(wire, at);
  }
  return [k, v ?? (fieldType === 'string' ? '' : v)];
}

function decodeAt(type: string, r: ProtoReader, depth: number): unknown {
  if (depth > MAX_NESTING_DEPTH) throw r.fail(`messages nested deeper than ${MAX_NESTING_DEPTH} levels`);
  const defs = MESSAGES[type];
  const out: Record<string, unknown> = {};
  const short = type.slice(type.lastIndexOf('.') + 1);
  while (!r.done) {
    const { number, wire, at } = r.key();
    const def = defs?.[String(number)];
    if (!def) {
      r.skip(wire, at);
      continue;
    }
    const [name, cardinality, fieldType] = def;
    const field = `${short}.${name}`;
    if (cardinality === 'map') {
      expectWire(r, at, wire, WIRE.bytes, field);
      const [k, v] = mapEntry(r.sub(), fieldType, field, depth);
      if (!Object.hasOwn(out, name)) out[name] = {};
      put(out[name] as Record<string, unknown>, k, v);
      continue;
    }
    let value: unknown;
    if (has(fieldType)) {
      expectWire(r, at, wire, WIRE.bytes, field);
      value = decodeAt(fieldType, r.sub(), depth + 1);
    } else if (cardinality === 'repeated' && wire === WIRE.bytes && fieldType !== 'string' && fieldType !== 'bytes') {
      // A packed repeated scalar.
      const packed = r.sub();
      const list = (out[name] ??= []) as unknown[];
      while (!packed.done) list.push(scalar(fieldType, packed, WIRE.varint, packed.offset, field));
      continue;
    } else value = scalar(fieldType, r, wire, at, field);
    if (cardinality === 'repeated') ((out[name] ??= []) as unknown[]).push(value);
    else if (INLINE.has(`${type}.${name}`) && typeof value === 'object' && value !== null)
      for (const [k, v] of Object.entries(value)) put(out, k, v);
    else out[name] = value;
  }
  for (const [k, v] of Object.entries(out)) if (isEmpty(v, k) && !Array.isArray(v)) delete out[k];
  return special(type, out, r);
}

/** The JSON form of one message of `type` (a key of the generated table). */
export function decodeMessage(type: string, buf: Buffer): unknown {
  return decodeAt(type, new ProtoReader(buf), 0);
}

/** The table's name of the message for an envelope's apiVersion and kind, or undefined. */
export function messageTypeOf(apiVersion: string, kind: string): string | undefined {
  const slash = apiVersion.lastIndexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  // A group's package is named after its first label: rbac.authorization.k8s.io -> k8s.io.api.rbac.
  const label = group === '' ? 'core' : group.split('.')[0]!;
  const candidates = group === 'meta.k8s.io' ? [`${META}${kind}`] : [`k8s.io.api.${label}.${version}.${kind}`];
  // Kubernetes registers DeleteOptions in every group version; kubectl sends it as `v1` (or the resource's group).
  if (META_KINDS.has(kind)) candidates.push(`${META}${kind}`);
  return candidates.find((type) => /^[A-Za-z0-9.]+$/.test(type) && has(type));
}

/** Decodes a `k8s\0`-prefixed runtime.Unknown envelope into the object's JSON form. */
export function decodeKubernetesProtobuf(body: Buffer): Record<string, unknown> {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) throw bad('missing the k8s envelope');
  const r = new ProtoReader(body.subarray(4), 4);
  let typeMeta: { apiVersion?: unknown; kind?: unknown } = {};
  let raw: ProtoReader | undefined;
  while (!r.done) {
    const { number, wire, at } = r.key();
    if (number === 1) {
      expectWire(r, at, wire, WIRE.bytes, 'Unknown.typeMeta');
      typeMeta = decodeAt(`k8s.io.apimachinery.pkg.runtime.TypeMeta`, r.sub(), 1) as typeof typeMeta;
    } else if (number === 2) {
      expectWire(r, at, wire, WIRE.bytes, 'Unknown.raw');
      raw = r.sub();
    } else r.skip(wire, at);
  }
  const apiVersion = typeof typeMeta.apiVersion === 'string' ? typeMeta.apiVersion : '';
  const kind = typeof typeMeta.kind === 'string' ? typeMeta.kind : '';
  const type = messageTypeOf(apiVersion, kind);
  if (!type)
    throw new StatusError(
      'UnsupportedMediaType',
      `protobuf bodies of ${JSON.stringify(apiVersion)} ${JSON.stringify(kind)} are not supported; send JSON`,
    );
  const object = (raw ? decodeAt(type, raw, 0) : {}) as Record<string, unknown>;
  return { apiVersion, kind, ...object };
}
