import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseObjectBody } from '../http-io';
import { decodeKubernetesProtobuf } from './protobuf-decoder';

const PROTOBUF = 'application/vnd.kubernetes.protobuf';

/** Minimal protobuf writer for the test: length-delimited fields and varints. */
const varint = (n: number) => {
  const out: number[] = [];
  do {
    out.push((n & 0x7f) | (n >= 0x80 ? 0x80 : 0));
    n = Math.floor(n / 128);
  } while (n > 0);
  return Buffer.from(out);
};
const field = (no: number, value: Buffer | string) => {
  const b = typeof value === 'string' ? Buffer.from(value) : value;
  return Buffer.concat([varint((no << 3) | 2), varint(b.length), b]);
};
const num = (no: number, n: number) => Buffer.concat([varint(no << 3), varint(n)]);

describe('Kubernetes protobuf bodies', () => {
  it('decodes a ConfigMap as kubectl create configmap sends it', () => {
    const meta = Buffer.concat([
      field(1, 'settings'),
      field(3, ''),
      field(11, Buffer.concat([field(1, 'app'), field(2, 'web')])),
    ]);
    const configMap = Buffer.concat([
      field(1, meta),
      field(2, Buffer.concat([field(1, 'greeting'), field(2, 'hello')])),
    ]);
    const envelope = Buffer.concat([
      field(1, Buffer.concat([field(1, 'v1'), field(2, 'ConfigMap')])),
      field(2, configMap),
    ]);
    const body = Buffer.concat([Buffer.from('k8s\0', 'binary'), envelope]);
    assert.deepEqual(decodeKubernetesProtobuf(body), {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', labels: { app: 'web' } },
      data: { greeting: 'hello' },
    });
  });

  it('keeps a zero replica count and reads int-or-string ports', () => {
    const spec = Buffer.concat([num(1, 0)]);
    const deployment = Buffer.concat([field(1, field(1, 'zero')), field(2, spec)]);
    const envelope = Buffer.concat([
      field(1, Buffer.concat([field(1, 'apps/v1'), field(2, 'Deployment')])),
      field(2, deployment),
    ]);
    const decoded = decodeKubernetesProtobuf(Buffer.concat([Buffer.from('k8s\0', 'binary'), envelope]));
    assert.deepEqual(decoded.spec, { replicas: 0 });
    const port = Buffer.concat([num(3, 80), field(4, Buffer.concat([num(1, 1), field(3, 'http')]))]);
    const service = Buffer.concat([field(1, field(1, 's')), field(2, field(1, port))]);
    const svcEnvelope = Buffer.concat([
      field(1, Buffer.concat([field(1, 'v1'), field(2, 'Service')])),
      field(2, service),
    ]);
    const svc = decodeKubernetesProtobuf(Buffer.concat([Buffer.from('k8s\0', 'binary'), svcEnvelope]));
    assert.deepEqual(svc.spec, { ports: [{ port: 80, targetPort: 'http' }] });
  });

  it('refuses a body without the envelope', () => {
    assert.throws(() => decodeKubernetesProtobuf(Buffer.from('{}')), /missing the k8s envelope/);
  });

  const wrap = (apiVersion: string, kind: string, raw: Buffer) =>
    Buffer.concat([
      Buffer.from('k8s\0', 'binary'),
      field(1, Buffer.concat([field(1, apiVersion), field(2, kind)])),
      field(2, raw),
    ]);

  it('decodes v1 DeleteOptions with a zero grace period, as kubectl delete --force sends them', () => {
    const options = Buffer.concat([num(1, 0), field(4, 'Background')]);
    assert.deepEqual(decodeKubernetesProtobuf(wrap('v1', 'DeleteOptions', options)), {
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      gracePeriodSeconds: 0,
      propagationPolicy: 'Background',
    });
  });

  it('decodes policy/v1 Eviction, PodDisruptionBudget and autoscaling/v1 Scale', () => {
    const eviction = Buffer.concat([
      field(1, Buffer.concat([field(1, 'web-0'), field(3, 'shop')])),
      field(2, num(1, 5)),
    ]);
    assert.deepEqual(decodeKubernetesProtobuf(wrap('policy/v1', 'Eviction', eviction)), {
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: 'web-0', namespace: 'shop' },
      deleteOptions: { gracePeriodSeconds: 5 },
    });
    const intOrString = Buffer.concat([num(1, 0), num(2, 0), field(3, '')]);
    const selector = field(1, Buffer.concat([field(1, 'app'), field(2, 'web')]));
    const pdb = Buffer.concat([
      field(1, field(1, 'web')),
      field(2, Buffer.concat([field(1, intOrString), field(2, selector)])),
    ]);
    assert.deepEqual(decodeKubernetesProtobuf(wrap('policy/v1', 'PodDisruptionBudget', pdb)).spec, {
      minAvailable: 0,
      selector: { matchLabels: { app: 'web' } },
    });
    const scale = Buffer.concat([field(1, field(1, 'web')), field(2, num(1, 0))]);
    assert.deepEqual(decodeKubernetesProtobuf(wrap('autoscaling/v1', 'Scale', scale)).spec, { replicas: 0 });
  });

  it('finds the package of every served group', () => {
    const role = Buffer.concat([
      field(1, field(1, 'reader')),
      field(2, Buffer.concat([field(1, 'get'), field(3, 'pods')])),
    ]);
    assert.deepEqual(decodeKubernetesProtobuf(wrap('rbac.authorization.k8s.io/v1', 'Role', role)).rules, [
      { verbs: ['get'], resources: ['pods'] },
    ]);
    const pc = Buffer.concat([field(1, field(1, 'low')), num(2, 0)]);
    assert.equal(decodeKubernetesProtobuf(wrap('scheduling.k8s.io/v1', 'PriorityClass', pc)).value, 0);
  });

  it('keeps a __proto__ map key as an own key', () => {
    const meta = field(11, Buffer.concat([field(1, '__proto__'), field(2, 'x')]));
    const decoded = decodeKubernetesProtobuf(wrap('v1', 'ConfigMap', field(1, meta)));
    const labels = (decoded.metadata as { labels: Record<string, string> }).labels;
    assert.deepEqual(Object.getOwnPropertyNames(labels), ['__proto__']);
    assert.equal(Object.getPrototypeOf(labels), Object.prototype);
    assert.equal(({} as Record<string, unknown>).x, undefined);
  });

  it('refuses hostile bodies with a 400 naming the byte', () => {
    const refuses = (body: Buffer, pattern: RegExp) =>
      assert.throws(
        () => decodeKubernetesProtobuf(body),
        (e: Error & { code?: number }) => e.code === 400 && pattern.test(e.message),
      );
    const cm = (raw: Buffer) => wrap('v1', 'ConfigMap', raw);
    refuses(cm(Buffer.from([0x0a, 0x85])), /truncated varint at byte \d+/);
    refuses(
      cm(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f])),
      /length \d+ runs past the end of its message at byte/,
    );
    refuses(cm(Buffer.concat([varint(72), Buffer.alloc(11, 0xff)])), /varint longer than 10 bytes/);
    refuses(cm(num(1, 3)), /field ConfigMap.metadata has wire type varint, expected length-delimited at byte 23/);
    refuses(cm(field(1, field(1, Buffer.from([0xff, 0xfe])))), /ObjectMeta.name is not valid UTF-8/);
    refuses(cm(Buffer.from([0x4b])), /unsupported wire type group start/);
    refuses(cm(Buffer.from([0x49, 1, 2])), /truncated 64-bit value/);
    refuses(cm(Buffer.from([0x00])), /invalid field number 0/);
    refuses(cm(field(1, field(8, num(1, 2 ** 40)))), /outside years 1-9999/);
    // Managed fields hold JSON: broken JSON inside is a 400, not a crash.
    refuses(cm(field(1, field(17, field(7, field(1, '{"a":'))))), /embedded JSON object is not valid JSON/);
  });

  it('refuses embedded JSON nested past the limit with a 400', () => {
    const json = '['.repeat(100_000) + ']'.repeat(100_000);
    const revision = Buffer.concat([field(1, field(1, 'r1')), field(2, field(1, json)), num(3, 1)]);
    assert.throws(
      () => parseObjectBody(PROTOBUF, wrap('apps/v1', 'ControllerRevision', revision)),
      (e: Error & { code?: number }) => e.code === 400 && /exceeded max depth/.test(e.message),
    );
  });

  it('names an unsupported kind', () => {
    assert.throws(
      () => decodeKubernetesProtobuf(wrap('example.com/v1', 'Widget', Buffer.alloc(0))),
      (e: Error & { code?: number }) => e.code === 415 && /"example.com\/v1" "Widget"/.test(e.message),
    );
  });

  it('writes inline structs into their parent and keeps empty messages (emptyDir: {})', () => {
    const volume = Buffer.concat([field(1, 'scratch'), field(2, field(2, Buffer.alloc(0)))]);
    const container = Buffer.concat([field(1, 'app'), field(2, 'nginx:1.27')]);
    const pod = Buffer.concat([
      field(1, field(1, 'p')),
      field(2, Buffer.concat([field(1, volume), field(2, container)])),
    ]);
    const spec = decodeKubernetesProtobuf(wrap('v1', 'Pod', pod)).spec as Record<string, unknown>;
    assert.deepEqual(spec.volumes, [{ name: 'scratch', emptyDir: {} }]);
  });

  it('answers 20,000 mutated bodies with a value or a 400/415 StatusError, never another error', () => {
    const container = Buffer.concat([field(1, 'app'), field(2, 'nginx:1.27'), field(8, Buffer.concat([num(3, 80)]))]);
    const podSpec = Buffer.concat([
      field(1, Buffer.concat([field(1, 'v'), field(2, field(2, Buffer.alloc(0)))])),
      field(2, container),
    ]);
    const template = Buffer.concat([
      field(1, field(11, Buffer.concat([field(1, 'app'), field(2, 'web')]))),
      field(2, podSpec),
    ]);
    const seeds = [
      wrap(
        'apps/v1',
        'Deployment',
        Buffer.concat([field(1, field(1, 'web')), field(2, Buffer.concat([num(1, 3), field(3, template)]))]),
      ),
      wrap('v1', 'DeleteOptions', Buffer.concat([num(1, 0), field(4, 'Background')])),
      wrap('policy/v1', 'PodDisruptionBudget', field(2, field(1, Buffer.concat([num(1, 1), field(3, '50%')])))),
      wrap(
        'v1',
        'ConfigMap',
        Buffer.concat([field(1, field(1, 'c')), field(2, Buffer.concat([field(1, 'k'), field(2, 'v')]))]),
      ),
    ];
    let state = 12345;
    const rand = (n: number) => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state % n;
    };
    for (let i = 0; i < 20_000; i++) {
      const seed = seeds[rand(seeds.length)]!;
      let body = Buffer.from(seed);
      for (let m = 1 + rand(3); m > 0; m--) {
        const at = rand(body.length);
        const op = rand(4);
        if (op === 0) body = body.subarray(0, at);
        else if (op === 1) body[at] = rand(256);
        else if (op === 2)
          body = Buffer.concat([body.subarray(0, at), Buffer.from([rand(256), rand(256)]), body.subarray(at)]);
        else
          body = Buffer.concat([body.subarray(0, at), Buffer.from([0xff, 0xff, 0xff, 0xff, 0x7f]), body.subarray(at)]);
      }
      try {
        decodeKubernetesProtobuf(body);
      } catch (error) {
        const code = (error as { code?: number }).code;
        assert.ok(code === 400 || code === 415, `mutation ${i}: ${String(error)}`);
      }
    }
  });
});
