/**
 * The embedded cluster's API server driven by the real kubectl (1.32), as a
 * user would: `kube-workbench cluster start` as a child process, kubectl with
 * the kubeconfig it writes. Needs `npm run build` first (client/out/orchestrator.js).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BUNDLE, startClusterProcess, stopClusterProcess } from './support/cluster-process.js';
import type { ClusterProcess } from './support/cluster-process.js';

/** The cluster process as the shared support module starts it. */
type Cluster = ClusterProcess;
const startCluster = (dataDir: string): Promise<Cluster> => startClusterProcess(dataDir);
const stop = (cluster: Cluster, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> =>
  stopClusterProcess(cluster, signal);

interface Reply {
  status: number;
  body: string;
}

/** An HTTPS request to the API server that trusts the cluster's own certificate. */
function http(
  cluster: Cluster,
  method: string,
  path: string,
  options: { token?: string | null; body?: unknown } = {},
): Promise<Reply> {
  const ca = readFileSync(join(cluster.dataDir, 'apiserver.crt'), 'utf8');
  const token =
    options.token === undefined ? readFileSync(join(cluster.dataDir, 'token'), 'utf8').trim() : options.token;
  const url = new URL(path, cluster.api);
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        ca,
        headers: {
          ...(token !== null ? { Authorization: `Bearer ${token}` } : {}),
          ...(payload !== undefined ? { 'Content-Type': 'application/json' } : {}),
        },
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe(
  'kube-workbench cluster with kubectl',
  { skip: existsSync(BUNDLE) ? false : 'run `npm run build` first' },
  () => {
    let dir: string;
    let cluster: Cluster;
    const kubectl = (...args: string[]) => {
      const r = spawnSync('kubectl', ['--kubeconfig', cluster.kubeconfig, '--cache-dir', join(dir, 'cache'), ...args], {
        encoding: 'utf8',
        timeout: 30_000,
      });
      return { code: r.status, out: r.stdout, err: r.stderr };
    };
    const ok = (...args: string[]) => {
      const r = kubectl(...args);
      assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${r.err}`);
      return r.out;
    };
    const manifest = (name: string, text: string) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };
    const app = (greeting: string) =>
      manifest(
        'app.yaml',
        `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports: [{containerPort: 80}]
        env: [{name: A, value: "1"}]
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
data:
  greeting: ${greeting}
`,
      );

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'kw-kubectl-'));
      cluster = await startCluster(join(dir, 'data'));
    });

    after(async () => {
      if (cluster) assert.equal(await stop(cluster), 0, 'SIGTERM stops the cluster with exit code 0');
      rmSync(dir, { recursive: true, force: true });
    });

    it('prints an https api address and writes a kubeconfig with the kube-workbench context', () => {
      assert.match(cluster.api, /^https:\/\/127\.0\.0\.1:\d+$/);
      const config = readFileSync(cluster.kubeconfig, 'utf8');
      assert.match(config, /current-context: kube-workbench/);
      assert.equal(ok('config', 'current-context', '--kubeconfig', cluster.kubeconfig).trim(), 'kube-workbench');
    });

    it('kubectl version shows the server version', () => {
      assert.match(kubectl('version').out, /Server Version: v1\.34\.0-kube-workbench/);
    });

    it('kubectl api-resources lists the served kinds with short names', () => {
      const out = ok('api-resources');
      assert.match(out, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
      assert.match(out, /^pods\s+po\s+v1\s+true\s+Pod$/m);
      assert.match(out, /^nodes\s+no\s+v1\s+false\s+Node$/m);
      assert.match(out, /^ingresses\s+ing\s+networking\.k8s\.io\/v1\s+true\s+Ingress$/m);
      assert.match(out, /^endpointslices\s+discovery\.k8s\.io\/v1\s+true\s+EndpointSlice$/m);
      assert.match(ok('api-resources', '--categories=all', '-o', 'name'), /^deployments\.apps$/m);
    });

    it('starts with the system namespaces, a Ready node and the kubernetes Service', () => {
      const ns = ok('get', 'namespaces');
      for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
        assert.match(ns, new RegExp(`^${name}\\s+Active\\s+\\d+s$`, 'm'));
      }
      assert.match(ok('get', 'nodes'), /^kube-workbench-node-1\s+Ready\s+<none>\s+\d+s\s+v1\.34\.0-kube-workbench$/m);
      assert.match(
        ok('get', 'svc', 'kubernetes'),
        /^kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443\/TCP\s+\d+s$/m,
      );
      assert.match(ok('get', 'serviceaccounts', '-n', 'kube-system'), /^default\s+0\s+\d+s$/m);
    });

    it('kubectl apply creates, then reports unchanged, then configured', () => {
      const file = app('hello');
      const first = ok('apply', '-f', file);
      assert.match(first, /^deployment\.apps\/web created$/m);
      assert.match(first, /^service\/web created$/m);
      assert.match(first, /^configmap\/web-config created$/m);
      const second = ok('apply', '-f', file);
      assert.match(second, /^deployment\.apps\/web unchanged$/m);
      assert.match(second, /^service\/web unchanged$/m);
      assert.match(second, /^configmap\/web-config unchanged$/m);
      const third = ok('apply', '-f', app('bonjour'));
      assert.match(third, /^deployment\.apps\/web unchanged$/m);
      assert.match(third, /^configmap\/web-config configured$/m);
      assert.equal(ok('get', 'cm', 'web-config', '-o', 'jsonpath={.data.greeting}'), 'bonjour');
    });

    it('kubectl get prints the columns users know, with defaults filled in', () => {
      const out = ok('get', 'deploy,svc,cm');
      assert.match(out, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/m);
      assert.match(out, /^deployment\.apps\/web\s+\d\/2\s+\d\s+\d\s+\d+s$/m);
      assert.match(out, /^service\/web\s+ClusterIP\s+10\.\d+\.\d+\.\d+\s+<none>\s+80\/TCP\s+\d+s$/m);
      assert.match(out, /^configmap\/web-config\s+1\s+\d+s$/m);
      assert.match(
        ok('get', 'deploy', 'web', '-o', 'wide'),
        /^web\s+\d\/2\s+\d\s+\d\s+\d+s\s+web\s+nginx:1\.27\s+app=web$/m,
      );
      const spec = JSON.parse(ok('get', 'deploy', 'web', '-o', 'json')) as {
        metadata: { generation: number; uid: string };
        spec: {
          strategy: unknown;
          revisionHistoryLimit: number;
          progressDeadlineSeconds: number;
          template: { spec: { containers: { imagePullPolicy: string }[]; restartPolicy: string } };
        };
      };
      assert.deepEqual(spec.spec.strategy, {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
      });
      assert.equal(spec.spec.revisionHistoryLimit, 10);
      assert.equal(spec.spec.progressDeadlineSeconds, 600);
      assert.equal(spec.spec.template.spec.containers[0]?.imagePullPolicy, 'IfNotPresent');
      assert.equal(spec.spec.template.spec.restartPolicy, 'Always');
      assert.equal(spec.metadata.generation, 1);
    });

    it('kubectl get -w shows pods being added, changed and deleted', async () => {
      const watcher = spawn('kubectl', [
        '--kubeconfig',
        cluster.kubeconfig,
        '--cache-dir',
        join(dir, 'cache'),
        'get',
        'pods',
        '-w',
        '--output-watch-events',
        '--request-timeout=60s',
      ]);
      let seen = '';
      const waitFor = (re: RegExp) =>
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`watch output never matched ${String(re)}:\n${seen}`)),
            20_000,
          );
          const check = () => {
            if (re.test(seen)) {
              clearTimeout(timer);
              watcher.stdout.off('data', check);
              resolve();
            }
          };
          watcher.stdout.on('data', (c: Buffer) => {
            seen += c.toString();
            check();
          });
          watcher.stderr.on('data', (c: Buffer) => (seen += c.toString()));
          check();
        });
      try {
        // The initial list is empty; the header arrives with the first event.
        ok('run', 'watched', '--image=nginx:1.27');
        await waitFor(/^ADDED\s+watched\s+\d\/1\s+(Pending|ContainerCreating|Running)\s+0\s+\d+s$/m);
        ok('label', 'pod', 'watched', 'seen=yes');
        await waitFor(/^MODIFIED\s+watched\s+\d\/1\s+\w+/m);
        ok('delete', 'pod', 'watched');
        await waitFor(/^DELETED\s+watched\s+\d\/1\s+\w+/m);
        assert.match(seen, /^EVENT\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m);
      } finally {
        watcher.kill();
      }
    });

    it('kubectl scale sets spec.replicas through the scale subresource', () => {
      assert.match(ok('scale', 'deployment', 'web', '--replicas=5'), /^deployment\.apps\/web scaled$/m);
      assert.equal(ok('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas} {.metadata.generation}'), '5 2');
      assert.match(ok('get', 'deploy', 'web'), /^web\s+\d\/5\s+\d\s+\d\s+\d+s$/m);
    });

    it('kubectl label and annotate change metadata without a new generation', () => {
      assert.match(ok('label', 'deploy', 'web', 'tier=front'), /^deployment\.apps\/web labeled$/m);
      assert.match(ok('annotate', 'deploy', 'web', 'note=hello'), /^deployment\.apps\/web annotated$/m);
      assert.match(ok('get', 'deploy', 'web', '--show-labels'), /\sapp=web,tier=front$/m);
      assert.equal(ok('get', 'deploy', '-l', 'tier=front', '-o', 'name'), 'deployment.apps/web\n');
      assert.equal(ok('get', 'deploy', '-l', 'tier in (back)', '-o', 'name'), '');
      assert.equal(
        ok('get', 'deploy', 'web', '-o', 'jsonpath={.metadata.annotations.note} {.metadata.generation}'),
        'hello 2',
      );
    });

    it('kubectl patch works with merge, json and strategic patches', () => {
      assert.match(
        ok('patch', 'deploy', 'web', '--type=merge', '-p', '{"spec":{"replicas":3}}'),
        /deployment\.apps\/web patched/,
      );
      assert.match(
        ok(
          'patch',
          'deploy',
          'web',
          '--type=json',
          '-p',
          '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"nginx:1.28"}]',
        ),
        /deployment\.apps\/web patched/,
      );
      assert.match(
        ok(
          'patch',
          'deploy',
          'web',
          '--type=strategic',
          '-p',
          '{"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"name":"B","value":"2"}]}]}}}}',
        ),
        /deployment\.apps\/web patched/,
      );
      assert.equal(
        ok(
          'get',
          'deploy',
          'web',
          '-o',
          'jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].env[*].name}',
        ),
        '3 nginx:1.28 A B',
      );
      const bad = kubectl(
        'patch',
        'deploy',
        'web',
        '--type=json',
        '-p',
        '[{"op":"test","path":"/spec/replicas","value":9}]',
      );
      assert.notEqual(bad.code, 0);
      assert.match(bad.err, /testing value \/spec\/replicas failed/);
    });

    it('kubectl apply after other changes merges three ways (strategic merge patch)', () => {
      assert.match(ok('apply', '-f', app('bonjour')), /^deployment\.apps\/web configured$/m);
      // Fields from the file are restored; the env var added by a patch (not in the last applied file) stays.
      assert.equal(
        ok(
          'get',
          'deploy',
          'web',
          '-o',
          'jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].env[*].name}',
        ),
        '2 nginx:1.27 A B',
      );
    });

    it('rejects unknown fields the way strict validation does', () => {
      const file = manifest(
        'typo.yaml',
        `apiVersion: apps/v1
kind: Deployment
metadata: {name: typo}
spec:
  selectr: {matchLabels: {app: typo}}
  template:
    metadata: {labels: {app: typo}}
    spec:
      containers: [{name: web, image: nginx, imagePullPolice: Always}]
`,
      );
      const r = kubectl('apply', '-f', file);
      assert.equal(r.code, 1);
      assert.match(
        r.err,
        /strict decoding error: unknown field "spec\.selectr", unknown field "spec\.template\.spec\.containers\[0\]\.imagePullPolice"/,
      );
      assert.equal(kubectl('get', 'deploy', 'typo').code, 1, 'nothing was stored');
    });

    it('rejects an invalid object whole with the field at fault', () => {
      const file = manifest(
        'invalid.yaml',
        `apiVersion: apps/v1
kind: Deployment
metadata: {name: invalid}
spec:
  selector: {matchLabels: {app: one}}
  template:
    metadata: {labels: {app: other}}
    spec:
      containers: [{name: web, image: nginx}]
`,
      );
      const r = kubectl('apply', '-f', file);
      assert.equal(r.code, 1);
      assert.match(
        r.err,
        /The Deployment "invalid" is invalid: spec\.template\.metadata\.labels: Invalid value: .*`selector` does not match template `labels`/,
      );
      assert.match(kubectl('run', 'p', '--image=nginx', '-n', 'nowhere').err, /namespaces "nowhere" not found/);
    });

    it('kubectl apply --server-side tracks managers and reports conflicts', () => {
      const file = manifest(
        'ssa.yaml',
        `apiVersion: v1
kind: ConfigMap
metadata:
  name: ssa
data: {a: "1", b: "2"}
`,
      );
      assert.match(ok('apply', '--server-side', '-f', file), /^configmap\/ssa serverside-applied$/m);
      ok('patch', 'cm', 'ssa', '--type=merge', '-p', '{"data":{"a":"changed"}}');
      const conflict = kubectl('apply', '--server-side', '-f', file);
      assert.equal(conflict.code, 1);
      assert.match(conflict.err, /Apply failed with 1 conflict: conflict with "kubectl-patch" using v1: \.data\.a/);
      assert.match(ok('apply', '--server-side', '--force-conflicts', '-f', file), /serverside-applied/);
      assert.equal(ok('get', 'cm', 'ssa', '-o', 'jsonpath={.data.a}'), '1');
      // Dropping a field from the applied file removes it from the object.
      writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata: {a: "1"}\n');
      ok('apply', '--server-side', '-f', file);
      assert.equal(ok('get', 'cm', 'ssa', '-o', 'jsonpath={.data}'), '{"a":"1"}');
      const managers = ok(
        'get',
        'cm',
        'ssa',
        '--show-managed-fields',
        '-o',
        'jsonpath={.metadata.managedFields[*].manager}',
      );
      assert.equal(managers, 'kubectl');
    });

    it('kubectl create generators work (they send protobuf)', () => {
      assert.match(ok('create', 'configmap', 'gen', '--from-literal=a=b'), /^configmap\/gen created$/m);
      assert.match(ok('create', 'secret', 'generic', 'gen', '--from-literal=p=q'), /^secret\/gen created$/m);
      assert.match(ok('create', 'namespace', 'team-a'), /^namespace\/team-a created$/m);
      assert.match(
        ok('create', 'deployment', 'gen', '--image=nginx:1.27', '--replicas=3'),
        /^deployment\.apps\/gen created$/m,
      );
      assert.match(ok('expose', 'deployment', 'gen', '--port=80', '--type=NodePort'), /^service\/gen exposed$/m);
      assert.equal(ok('get', 'cm', 'gen', '-o', 'jsonpath={.data.a}'), 'b');
      assert.equal(ok('get', 'secret', 'gen', '-o', 'jsonpath={.data.p}'), Buffer.from('q').toString('base64'));
      assert.match(ok('get', 'sa', '-n', 'team-a'), /^default\s+0\s+\d+s$/m);
      assert.match(
        ok('get', 'deploy', 'gen', '-o', 'wide'),
        /^gen\s+\d\/3\s+\d\s+\d\s+\d+s\s+nginx\s+nginx:1\.27\s+app=gen$/m,
      );
      assert.match(ok('get', 'svc', 'gen'), /^gen\s+NodePort\s+10\.\d+\.\d+\.\d+\s+<none>\s+80:3\d{4}\/TCP\s+\d+s$/m);
      assert.match(ok('delete', 'namespace', 'team-a'), /namespace "team-a" deleted/);
      const protectedNs = kubectl('delete', 'namespace', 'default');
      assert.match(protectedNs.err, /namespaces "default" is forbidden: this namespace may not be deleted/);
    });

    it('kubectl delete -f removes what the file describes', () => {
      const out = ok('delete', '-f', app('bonjour'));
      assert.match(out, /^deployment\.apps "web" deleted$/m);
      assert.match(out, /^service "web" deleted$/m);
      assert.match(out, /^configmap "web-config" deleted$/m);
      const gone = kubectl('get', 'deploy', 'web');
      assert.equal(gone.code, 1);
      assert.match(gone.err, /deployments\.apps "web" not found/);
    });

    it('answers 401 with a Status without the right bearer token', async () => {
      for (const token of [null, 'wrong']) {
        const reply = await http(cluster, 'GET', '/api/v1/namespaces', { token });
        assert.equal(reply.status, 401);
        assert.deepEqual(JSON.parse(reply.body), {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: 'Unauthorized',
          reason: 'Unauthorized',
          code: 401,
        });
      }
      assert.equal((await http(cluster, 'GET', '/api/v1/namespaces')).status, 200);
    });
  },
);

describe(
  'kube-workbench cluster persistence',
  { skip: existsSync(BUNDLE) ? false : 'run `npm run build` first' },
  () => {
    it('keeps every acknowledged write after kill -9 and restart', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'kw-restart-'));
      let cluster = await startCluster(dir);
      try {
        const created: string[] = [];
        await Promise.all(
          Array.from({ length: 40 }, async (_, i) => {
            const reply = await http(cluster, 'POST', '/api/v1/namespaces/default/configmaps', {
              body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}` }, data: { i: String(i) } },
            });
            assert.equal(reply.status, 201, reply.body);
            created.push(`cm-${i}`);
          }),
        );
        const deleted = await http(cluster, 'DELETE', '/api/v1/namespaces/default/configmaps/cm-0');
        assert.equal(deleted.status, 200);
        await stop(cluster, 'SIGKILL');

        cluster = await startCluster(dir);
        const list = JSON.parse((await http(cluster, 'GET', '/api/v1/namespaces/default/configmaps')).body) as {
          items: { metadata: { name: string }; data: { i: string } }[];
        };
        const names = list.items.map((o) => o.metadata.name).sort();
        assert.deepEqual(names, created.filter((n) => n !== 'cm-0').sort());
        const one = JSON.parse((await http(cluster, 'GET', '/api/v1/namespaces/default/configmaps/cm-7')).body) as {
          data: unknown;
        };
        assert.deepEqual(one.data, { i: '7' });
        assert.equal(await stop(cluster), 0);
      } finally {
        if (cluster.child.exitCode === null) cluster.child.kill('SIGKILL');
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
);
