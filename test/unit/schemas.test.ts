// The generated Kubernetes schemas (scripts/generate-schemas.mjs), checked the
// way a validator uses them: with ajv, against hand-written manifests and the
// real-world corpus in ../shared/corpus.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';

const ROOT = join(__dirname, '..', '..');
const SCHEMAS = join(ROOT, 'schemas');
const CORPUS = join(ROOT, '..', 'shared', 'corpus');

interface SchemaIndex {
  default: string;
  versions: Record<string, { kubernetesVersion: string; source: string; file: string; kinds: Record<string, string> }>;
}

interface Definition {
  properties?: Record<string, Record<string, unknown>>;
  required?: string[];
  'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string }[];
}

const KINDS_EVERY_VERSION_HAS = [
  'v1/Pod',
  'apps/v1/Deployment',
  'apps/v1/ReplicaSet',
  'apps/v1/StatefulSet',
  'apps/v1/DaemonSet',
  'batch/v1/Job',
  'batch/v1/CronJob',
  'v1/Service',
  'v1/Endpoints',
  'discovery.k8s.io/v1/EndpointSlice',
  'networking.k8s.io/v1/Ingress',
  'networking.k8s.io/v1/IngressClass',
  'v1/ConfigMap',
  'v1/Secret',
  'v1/Namespace',
  'v1/ServiceAccount',
  'v1/PersistentVolume',
  'v1/PersistentVolumeClaim',
  'autoscaling/v1/HorizontalPodAutoscaler',
  'autoscaling/v2/HorizontalPodAutoscaler',
  'networking.k8s.io/v1/NetworkPolicy',
  'policy/v1/PodDisruptionBudget',
  'rbac.authorization.k8s.io/v1/Role',
  'rbac.authorization.k8s.io/v1/RoleBinding',
  'rbac.authorization.k8s.io/v1/ClusterRole',
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding',
  'v1/LimitRange',
  'v1/ResourceQuota',
  'apiextensions.k8s.io/v1/CustomResourceDefinition',
  'storage.k8s.io/v1/StorageClass',
  'v1/ReplicationController',
  'v1/Node',
  'v1/Event',
  'events.k8s.io/v1/Event',
  'v1/PodList',
];

/**
 * Corpus files that a Kubernetes 1.34 API server with strict field validation
 * rejects, and why (found here first; KNOWN-INVALID.tsv lists them too now).
 */
const ALSO_INVALID: Record<string, string> = {
  'k8s-examples/_archived/volumes/aws_ebs/aws-ebs-web.yaml': 'container port protocol "tcp": must be TCP, UDP or SCTP',
  'k8s-examples/_archived/volumes/cinder/cinder-web.yaml': 'container port protocol "tcp": must be TCP, UDP or SCTP',
  'k8s-examples/_archived/volumes/fibre_channel/fc.yaml': 'fc.lun is a placeholder string, not an integer',
  'k8s-examples/_archived/volumes/rbd/rbd.yaml':
    'rbd volume has imageformat/imagefeatures, which are StorageClass parameters, not volume fields',
  'k8s-examples/_archived/volumes/scaleio/pod.yaml': 'scaleIO.protectionDoamin: misspelled protectionDomain',
  'k8s-examples/_archived/volumes/storageos/storageos-pod.yaml': 'storageos volume has no field "pool"',
  'k8s-examples/_archived/volumes/storageos/storageos-pv.yaml': 'storageos has secretRef, not "secretName"',
};

const QUANTITY = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?\d+)?$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;

/** An ajv instance that knows the formats and `x-kubernetes-*` keywords the schemas use. */
function kubernetesAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true });
  for (const keyword of [
    'x-kubernetes-int-or-string',
    'x-kubernetes-group-version-kind',
    'x-kubernetes-list-type',
    'x-kubernetes-list-map-keys',
    'x-kubernetes-patch-strategy',
    'x-kubernetes-patch-merge-key',
  ]) {
    ajv.addKeyword(keyword);
  }
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && Math.abs(n) <= 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat('byte', (s: string) => {
    const compact = s.replace(/[\r\n]/g, '');
    return compact.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(compact);
  });
  ajv.addFormat('date-time', DATE_TIME);
  ajv.addFormat('quantity', QUANTITY);
  return ajv;
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

function readYaml(text: string): unknown {
  const [document] = parseAllDocuments(text);
  assert.ok(document && !('empty' in document), 'one YAML document');
  return document.toJS();
}

let index: SchemaIndex;
const validators = new Map<string, (apiVersion: string, kind: string) => ValidateFunction | undefined>();
const definitionsOf = new Map<string, Record<string, Definition>>();

/** Validates a manifest against a version's schema for its apiVersion and kind; returns the errors. */
function errorsOf(manifest: unknown, version = '1.34'): ErrorObject[] {
  const { apiVersion, kind } = manifest as { apiVersion: string; kind: string };
  const validate = validators.get(version)?.(apiVersion, kind);
  assert.ok(validate, `a schema for ${apiVersion}/${kind} in ${version}`);
  return validate(manifest) ? [] : (validate.errors ?? []);
}

before(() => {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'generate-schemas.mjs'), '--if-stale'], { stdio: 'inherit' });
  index = readJson<SchemaIndex>(join(SCHEMAS, 'index.json'));
  for (const [version, entry] of Object.entries(index.versions)) {
    const ajv = kubernetesAjv();
    const document = readJson<{ definitions: Record<string, Definition> }>(join(SCHEMAS, entry.file));
    definitionsOf.set(version, document.definitions);
    ajv.addSchema(document, version);
    validators.set(version, (apiVersion, kind) => {
      const name = entry.kinds[`${apiVersion}/${kind}`];
      return name === undefined ? undefined : ajv.getSchema(`${version}#/definitions/${name}`);
    });
  }
});

const DEPLOYMENT = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: { app: web }
spec:
  replicas: 2
  strategy:
    type: RollingUpdate
    rollingUpdate: { maxSurge: 1, maxUnavailable: 25% }
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.27
          imagePullPolicy: IfNotPresent
          ports:
            - containerPort: 80
              name: http
          env:
            - name: MODE
              value: "production"
          resources:
            requests: { cpu: 100m, memory: 64Mi }
            limits: { cpu: 1, memory: 1Gi }
          readinessProbe:
            httpGet: { path: /healthz, port: http }
      tolerations:
        - key: dedicated
          operator: Exists
          effect: NoSchedule
`;

const SERVICE = `
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  selector: { app: web }
  ports:
    - port: 80
      targetPort: http
`;

function withSpec(yamlText: string, change: (spec: Record<string, unknown>) => void): unknown {
  const manifest = readYaml(yamlText) as { spec: Record<string, unknown> };
  change(manifest.spec);
  return manifest;
}

describe('schemas index', () => {
  it('ships 1.34 as the default, and 1.30, 1.32, 1.33 and 1.36', () => {
    assert.equal(index.default, '1.34');
    assert.deepEqual(Object.keys(index.versions).sort(), ['1.30', '1.32', '1.33', '1.34', '1.36']);
    assert.equal(index.versions['1.30']?.kubernetesVersion, '1.30.1');
    assert.equal(index.versions['1.30']?.source, '@kubernetes/client-node@1.0.0-rc7');
    assert.equal(index.versions['1.32']?.kubernetesVersion, '1.32.0');
    assert.equal(index.versions['1.33']?.kubernetesVersion, '1.33.0');
    assert.equal(index.versions['1.32']?.source, '@kubernetes/client-node@1.1.3');
    assert.equal(index.versions['1.33']?.source, '@kubernetes/client-node@1.3.0');
    assert.match(index.versions['1.34']?.kubernetesVersion ?? '', /^1\.34\./);
    assert.match(index.versions['1.36']?.kubernetesVersion ?? '', /^1\.36\./);
    assert.equal(index.versions['1.34']?.source, '@kubernetes/client-node@1.4.0');
    assert.equal(index.versions['1.36']?.source, '@kubernetes/client-node@2.0.1');
    for (const entry of Object.values(index.versions)) assert.ok(existsSync(join(SCHEMAS, entry.file)), entry.file);
  });

  it('covers the built-in kinds people write manifests for, in every version', () => {
    for (const [version, entry] of Object.entries(index.versions)) {
      const missing = KINDS_EVERY_VERSION_HAS.filter((key) => !(key in entry.kinds));
      assert.deepEqual(missing, [], `kinds missing from ${version}`);
    }
  });

  it('points every kind at a definition that declares the same group, version and kind', () => {
    for (const [version, entry] of Object.entries(index.versions)) {
      const definitions = definitionsOf.get(version) ?? {};
      for (const [key, name] of Object.entries(entry.kinds)) {
        const [gvk] = definitions[name]?.['x-kubernetes-group-version-kind'] ?? [];
        assert.ok(gvk, `${version} ${key} -> ${name}`);
        assert.equal(`${gvk.group ? `${gvk.group}/` : ''}${gvk.version}/${gvk.kind}`, key);
      }
    }
  });
});

describe('validating manifests', () => {
  it('accepts a valid Deployment', () => {
    assert.deepEqual(errorsOf(readYaml(DEPLOYMENT)), []);
    assert.deepEqual(errorsOf(readYaml(DEPLOYMENT), '1.36'), []);
  });

  it('rejects a misspelled field at its path', () => {
    const pod = readYaml('apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  contaners: []\n');
    const errors = errorsOf(pod);
    assert.ok(
      errors.some(
        (e) =>
          e.keyword === 'additionalProperties' &&
          e.instancePath === '/spec' &&
          e.params['additionalProperty'] === 'contaners',
      ),
      JSON.stringify(errors),
    );
  });

  it('rejects a Service type outside the enum', () => {
    const errors = errorsOf(withSpec(SERVICE, (spec) => (spec['type'] = 'Nodeport')));
    assert.ok(errors.some((e) => e.keyword === 'enum' && e.instancePath === '/spec/type'));
  });

  it('takes a named or numbered targetPort (int-or-string), but no fraction', () => {
    assert.deepEqual(errorsOf(readYaml(SERVICE)), []);
    const port = (value: unknown) =>
      withSpec(SERVICE, (spec) => ((spec['ports'] as Record<string, unknown>[])[0]!['targetPort'] = value));
    assert.deepEqual(errorsOf(port(8080)), []);
    assert.ok(errorsOf(port(80.5)).length > 0);
  });

  it('requires a Deployment selector', () => {
    const deployment = withSpec(DEPLOYMENT, (spec) => delete spec['selector']);
    const errors = errorsOf(deployment);
    assert.ok(
      errors.some(
        (e) => e.keyword === 'required' && e.instancePath === '/spec' && e.params['missingProperty'] === 'selector',
      ),
      JSON.stringify(errors),
    );
  });

  it('checks quantities: strings with a suffix, or plain numbers', () => {
    const container = (resources: unknown) =>
      withSpec(DEPLOYMENT, (spec) => {
        const template = spec['template'] as { spec: { containers: Record<string, unknown>[] } };
        template.spec.containers[0]!['resources'] = resources;
      });
    assert.deepEqual(errorsOf(container({ limits: { cpu: 0.5, memory: '512Mi', 'nvidia.com/gpu': 1 } })), []);
    assert.ok(errorsOf(container({ limits: { memory: '1 GB' } })).some((e) => e.keyword === 'format'));
  });

  it('accepts what the server sets: metadata fields and status', () => {
    const pod = readYaml(`
apiVersion: v1
kind: Pod
metadata:
  name: p
  uid: 0a6f2a5e-2f2e-4b8f-9e43-0d1c5a1b2c3d
  resourceVersion: "4711"
  generation: 1
  creationTimestamp: "2025-01-01T00:00:00Z"
  managedFields:
    - manager: kubectl
      operation: Update
      apiVersion: v1
      time: "2025-01-01T00:00:00Z"
      fieldsType: FieldsV1
      fieldsV1: { "f:spec": {} }
spec:
  containers: [{ name: c, image: busybox }]
status:
  phase: Running
  podIP: 10.0.0.5
`);
    assert.deepEqual(errorsOf(pod), []);
  });

  it('does not require what the API server defaults (RoleBinding roleRef.apiGroup)', () => {
    const binding = readYaml(`
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: read }
roleRef: { kind: Role, name: reader }
subjects: [{ kind: ServiceAccount, name: app }]
`);
    assert.deepEqual(errorsOf(binding), []);
  });

  it('follows the version: toleration operator Gt exists from 1.35 on', () => {
    const pod = readYaml(`
apiVersion: v1
kind: Pod
metadata: { name: p }
spec:
  containers: [{ name: c, image: busybox }]
  tolerations: [{ key: score, operator: Gt, value: "5", effect: NoSchedule }]
`);
    assert.ok(errorsOf(pod, '1.34').some((e) => e.keyword === 'enum'));
    assert.deepEqual(errorsOf(pod, '1.36'), []);
  });
});

describe('facts added to the models', () => {
  const property = (definition: string, name: string) => definitionsOf.get('1.34')?.[definition]?.properties?.[name];

  it('marks how lists merge and patch', () => {
    assert.deepEqual(property('V1PodSpec', 'containers')?.['x-kubernetes-list-map-keys'], ['name']);
    assert.equal(property('V1PodSpec', 'containers')?.['x-kubernetes-patch-merge-key'], 'name');
    assert.equal(property('V1PodSpec', 'volumes')?.['x-kubernetes-patch-strategy'], 'merge,retainKeys');
    assert.equal(property('V1ServiceSpec', 'ports')?.['x-kubernetes-patch-merge-key'], 'port');
    assert.equal(property('V1Container', 'volumeMounts')?.['x-kubernetes-patch-merge-key'], 'mountPath');
    assert.equal(property('V1PodSpec', 'tolerations')?.['x-kubernetes-list-type'], 'atomic');
  });

  it('records the defaults of common fields', () => {
    assert.equal(property('V1DeploymentSpec', 'replicas')?.['default'], 1);
    assert.equal(property('V1DeploymentSpec', 'revisionHistoryLimit')?.['default'], 10);
    assert.equal(property('V1RollingUpdateDeployment', 'maxSurge')?.['default'], '25%');
    assert.equal(property('V1PodSpec', 'terminationGracePeriodSeconds')?.['default'], 30);
    assert.equal(property('V1Probe', 'periodSeconds')?.['default'], 10);
    assert.equal(property('V1ServiceSpec', 'type')?.['default'], 'ClusterIP');
  });

  it('keeps open value sets open: Secret type', () => {
    assert.equal(property('V1Secret', 'type')?.['enum'], undefined);
  });
});

describe('real-world corpus', { skip: existsSync(CORPUS) ? false : `no corpus at ${CORPUS}` }, () => {
  it('validates every document of a known kind with no errors, except known-invalid files', () => {
    const knownInvalid = new Set(
      readFileSync(join(CORPUS, 'KNOWN-INVALID.tsv'), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => line.split('\t')[0]),
    );
    const files = readFileSync(join(CORPUS, 'MANIFEST.tsv'), 'utf8')
      .split('\n')
      .slice(1)
      .filter((line) => line.trim() !== '')
      .map((line) => line.split('\t')[3] ?? '');
    const kinds = index.versions['1.34']?.kinds ?? {};
    const unexpected: string[] = [];
    const stillInvalid = new Set<string>();
    let validated = 0;
    // ALSO_INVALID files are checked whether or not KNOWN-INVALID.tsv has come to list them.
    for (const file of files.filter((f) => !knownInvalid.has(f) || f in ALSO_INVALID)) {
      for (const document of parseAllDocuments(readFileSync(join(CORPUS, file), 'utf8'))) {
        const manifest: unknown = document.toJS();
        if (typeof manifest !== 'object' || manifest === null) continue;
        const { apiVersion, kind } = manifest as { apiVersion?: string; kind?: string };
        if (`${apiVersion}/${kind}` in kinds === false) continue;
        validated++;
        const errors = errorsOf(manifest);
        if (errors.length === 0) continue;
        if (file in ALSO_INVALID) stillInvalid.add(file);
        else unexpected.push(`${file}: ${errors.map((e) => `${e.instancePath} ${e.message}`).join('; ')}`);
      }
    }
    assert.deepEqual(unexpected, []);
    assert.deepEqual([...stillInvalid].sort(), Object.keys(ALSO_INVALID).sort(), 'every ALSO_INVALID file fails');
    assert.ok(validated > 300, `validated ${validated} documents`);
  });
});
