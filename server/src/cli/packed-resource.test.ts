/**
 * `validate`'s index entries packed into bytes read back as the entries they
 * were made from: every fact of real documents (all the kinds the checks
 * read, CRLF, text that is not ASCII, `__proto__` keys, a column past 15
 * million), any number, a record larger than a chunk; what is not plain data
 * (a class instance, a cycle, labels that are not strings) is left unpacked;
 * equal pod label sets are one record.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseManifestFile } from '../document/manifest-file.js';
import { extractResources } from '../workspace/extract-resources.js';
import type { IndexedResource } from '../workspace/indexed-resource.js';
import { FactArena } from './fact-arena.js';
import { ResourcePacker } from './packed-resource.js';
import { StringTable } from './string-table.js';

const KEYS = [
  'uri',
  'kind',
  'apiVersion',
  'namespace',
  'name',
  'nameRange',
  'documentRange',
  'labels',
  'pod',
  'service',
  'dataKeys',
  'backends',
  'references',
  'autoscaler',
] as const;

/** A value as comparable plain data: ranges through their getters, Maps and Sets as lists, prototypes named. */
function plain(value: unknown): unknown {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : Number.isNaN(value) ? 'NaN' : value;
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Map) return ['Map', [...value].map(([k, v]) => [plain(k), plain(v)])];
  if (value instanceof Set) return ['Set', [...value].map(plain)];
  if (Array.isArray(value)) return value.map(plain);
  // A range, plain or packed (read through its getters).
  if ('start' in value && 'end' in value && (!Object.hasOwn(value, 'start') || Object.keys(value).length === 2))
    return { range: [plain(value.start), plain(value.end)] };
  const out: Record<string, unknown> = { proto: Object.getPrototypeOf(value) === null ? 'none' : 'object' };
  for (const key of Object.keys(value)) out[`.${key}`] = plain((value as Record<string, unknown>)[key]);
  return out;
}

function assertSame(packed: IndexedResource, original: IndexedResource): void {
  for (const key of KEYS) if (key !== 'pod') assert.deepEqual(plain(packed[key]), plain(original[key]), key);
  assert.equal(packed.pod === undefined, original.pod === undefined);
  for (const key of ['labels', 'labelsRange', 'containerPorts', 'containers'] as const)
    assert.deepEqual(plain(packed.pod?.[key]), plain(original.pod?.[key]), `pod.${key}`);
  assert.equal(JSON.stringify(packed), JSON.stringify(original));
}

const packer = (): ResourcePacker => new ResourcePacker(new FactArena(new StringTable()));

const DOCUMENTS = [
  `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: { app: web, tier: "front" }
spec:
  template:
    metadata:
      labels:
        app: web
        __proto__: polluted
        "é漢字": "ünïcödé"
    spec:
      serviceAccountName: runner
      containers:
        - name: app
          ports: [{ name: http, containerPort: 8080 }, { name: metrics, containerPort: 9090 }]
          resources: { requests: { cpu: 100m, memory: 1Gi } }
          env:
            - name: A
              valueFrom: { configMapKeyRef: { name: cfg, key: a } }
            - name: B
              valueFrom: { secretKeyRef: { name: sec, key: b, optional: true } }
          envFrom: [{ configMapRef: { name: other } }]
      volumes:
        - name: v
          persistentVolumeClaim: { claimName: data }
        - name: w
          configMap: { name: cfg, items: [{ key: x, path: x }] }
`,
  'apiVersion: v1\r\nkind: Service\r\nmetadata:\r\n  name: web\r\nspec:\r\n  selector:\r\n    app: web\r\n  ports:\r\n  - port: 80\r\n    name: h\r\n    targetPort: http\r\n  - port: 81\r\n',
  `apiVersion: v1
kind: ConfigMap
metadata: { name: cfg }
data: { a: "1", "__proto__": "2" }
binaryData: { c: AA== }
`,
  `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: in }
spec:
  defaultBackend: { service: { name: web, port: { number: 80 } } }
  rules:
    - http:
        paths:
          - path: /
            pathType: Prefix
            backend: { service: { name: api, port: { name: grpc } } }
`,
  `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: web }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
  metrics:
    - type: Resource
      resource: { name: cpu, target: { type: Utilization, averageUtilization: 50 } }
`,
  `apiVersion: v1
kind: Pod
metadata: { name: lone }
spec:
  containers: [{ name: c, image: busybox }]
`,
  `apiVersion: v1\nkind: Secret\nmetadata: { name: ${'x'.repeat((15 * 2 ** 20) / 16)}, namespace: "" }\nstringData: { k: v }\n`,
];

describe('packed index entries', () => {
  it('read back every fact of real documents', () => {
    const p = packer();
    const uri = 'file:///work/a%20b/m.yaml';
    const resources = extractResources(uri, parseManifestFile(DOCUMENTS.join('---\n')));
    assert.equal(resources.length, DOCUMENTS.length);
    for (const r of resources) {
      const packed = p.pack(r);
      assert.ok(packed, r.kind);
      assertSame(packed, r);
      // Read twice: the same facts again.
      assertSame(packed, r);
    }
  });

  it('keeps any number and string, and a record larger than a chunk', () => {
    const [base] = extractResources('file:///a.yaml', parseManifestFile(DOCUMENTS[0] ?? ''));
    assert.ok(base);
    const numbers = [0, 1, 127, 128, 2 ** 31, 2 ** 53 - 1, 2 ** 53, -1, -0, 1.5, NaN, Infinity, -Infinity, 1e300];
    const texts = ['', '\0', '\ud800', 'a\u2028b', '"quoted"', '<&>', '__proto__', 'x'.repeat(70000)];
    const entry: IndexedResource = {
      ...base,
      nameRange: { start: { line: 2 ** 40, character: 15 * 2 ** 20 }, end: { line: 2 ** 40 + 100, character: 0 } },
      // Not ranges: kept as the objects they are.
      documentRange: { start: { line: -1, character: 0 }, end: { line: 0, character: 0 } },
      labels: Object.assign(Object.create(null) as Record<string, string>, { __proto__: 'x', a: 'b' }),
      backends: [
        ...numbers.map((port, i) => ({
          serviceName: texts[i % texts.length] ?? '',
          nameRange: { start: { line: 9, character: 9 }, end: { line: 8, character: 0 } },
          port,
          portRange: undefined,
        })),
      ],
      references: Array.from({ length: 40000 }, (_, i) => ({
        via: 'env.configMapKeyRef',
        targetKind: 'ConfigMap' as const,
        name: `cfg-${i}`,
        nameRange: { start: { line: i, character: 3 }, end: { line: i, character: 9 } },
        keys: [],
        optional: i % 2 === 0,
        checked: true,
      })),
    };
    const packed = packer().pack(entry);
    assert.ok(packed);
    assertSame(packed, entry);
  });

  it('leaves what is not plain data unpacked', () => {
    const [base] = extractResources('file:///a.yaml', parseManifestFile(DOCUMENTS[0] ?? ''));
    assert.ok(base);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    class Port {
      port = 1;
    }
    const p = packer();
    for (const odd of [
      { ...base, service: cycle as never },
      { ...base, backends: [new Port()] as never },
      { ...base, autoscaler: new Date() as never },
      { ...base, pod: { ...base.pod, labels: { app: 1 } } as never },
      { ...base, name: 7 as never },
    ])
      assert.equal(p.pack(odd), undefined);
    // The packer still works after refusing.
    const packed = p.pack(base);
    assert.ok(packed);
    assertSame(packed, base);
  });

  it('shares one record per set of pod labels', () => {
    const p = packer();
    const text = (app: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: { app: ${app}, x: "1" }\nspec: { containers: [] }\n`;
    const [a, b, c] = extractResources(
      'file:///p.yaml',
      parseManifestFile([text('a'), text('a'), text('b')].join('---\n')),
    );
    assert.ok(a && b && c);
    const [pa, pb, pc] = [p.pack(a), p.pack(b), p.pack(c)];
    assert.ok(pa?.pod && pb?.pod && pc?.pod);
    assert.equal(pa.pod.labels, pb.pod.labels);
    assert.notEqual(pa.pod.labels, pc.pod.labels);
    assert.deepEqual({ ...pc.pod.labels }, { app: 'b', x: '1' });
  });
});
