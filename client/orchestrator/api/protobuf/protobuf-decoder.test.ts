import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { decodeKubernetesProtobuf } from './protobuf-decoder';

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
});
