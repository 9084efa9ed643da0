/**
 * StatefulSets and DaemonSets through the real kubectl against
 * `cluster start --runtime fake --nodes 3`: web-0, web-1, web-2 are created in
 * order (each after the one before is Running and Ready, as a watch sees it),
 * each with its own Bound claim; a `kubectl set image` rolls out from the
 * highest ordinal down and `kubectl rollout status/history/undo` follow it;
 * scaling to 1 removes web-2 then web-1 and keeps their claims; a DaemonSet
 * runs one pod on each of the 3 nodes, one with a nodeSelector on one node.
 * Needs a build first.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { clusterFixture, tableRows, waitUntil } from './support/cluster-process';

const MANIFEST = `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  clusterIP: None
  selector: {app: web}
  ports: [{port: 8080, name: http}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: web
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: app
        image: example.test/app:1
        volumeMounts: [{name: data, mountPath: /data}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 1Gi}}
`;

/** One line per watch event of the web pods: `TYPE NAME PHASE READY DELETING`. */
/** A deletionTimestamp in a watch line: the pod is being deleted. */
const DATE = '\\d{4}-\\d\\d-\\d\\dT';

const WATCH_FORMAT =
  '{.type} {.object.metadata.name} {.object.status.phase} ' +
  '{.object.status.conditions[?(@.type=="Ready")].status} {.object.metadata.deletionTimestamp}{"\\n"}';

describe('StatefulSets and DaemonSets through kubectl', () => {
  const c = clusterFixture('kw-sts-', ['--nodes', '3']);
  const { kubectl, ok, apply } = c;
  const rows = (args: string[]) => tableRows(ok([...args, '--no-headers']));

  /** Starts `kubectl get pods -w` on the web pods; `stop` returns the events seen, one `TYPE NAME ...` line each. */
  const watchPods = async (selector: string) => {
    const child = spawn('kubectl', [
      '--kubeconfig',
      c.cluster.kubeconfig,
      '--cache-dir',
      c.cacheDir,
      'get',
      'pods',
      '-l',
      selector,
      '-w',
      '--output-watch-events',
      '-o',
      `jsonpath=${WATCH_FORMAT}`,
      // Its request log says when the watch request has its answer: from then on no event is missed.
      '-v=6',
    ]);
    let out = '';
    let log = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (log += c.toString()));
    await waitUntil('kubectl to open its watch', 30, () => /watch=true\S*"? .*200 OK/.test(log));
    const lines = () => out.split('\n').filter((l) => l.trim() !== '');
    return {
      lines,
      stop: () => {
        child.kill();
        return lines();
      },
    };
  };
  const firstIndex = (lines: string[], re: RegExp) => lines.findIndex((l) => re.test(l));
  const indexAfter = (lines: string[], re: RegExp, from: number) => {
    const i = lines.slice(from + 1).findIndex((l) => re.test(l));
    return i === -1 ? -1 : from + 1 + i;
  };

  it('creates web-0, web-1, web-2 in order, each after the one before is Running and Ready', async () => {
    const watch = await watchPods('app=web');
    apply(MANIFEST);
    const status = ok(['rollout', 'status', 'sts/web', '--timeout=60s']);
    assert.match(status, /partitioned roll out complete: 3 new pods have been updated/);
    await waitUntil('the watch to see web-2 ready', 10, () =>
      watch.lines().some((l) => /^MODIFIED web-2 Running True/.test(l)),
    );
    const lines = watch.stop();
    for (const [before, next] of [
      ['web-0', 'web-1'],
      ['web-1', 'web-2'],
    ] as const) {
      const ready = firstIndex(lines, new RegExp(`^\\w+ ${before} Running True`));
      const added = firstIndex(lines, new RegExp(`^ADDED ${next} `));
      assert.ok(ready >= 0 && added > ready, `${next} was created before ${before} was ready:\n${lines.join('\n')}`);
    }
    assert.deepEqual(
      rows(['get', 'sts', 'web']).map((r) => r.slice(0, 2)),
      [['web', '3/3']],
    );
    assert.deepEqual(rows(['get', 'sts', 'web', '-o', 'wide'])[0]?.slice(3), ['app', 'example.test/app:1']);
    const hostnames = ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].spec.hostname}']);
    assert.equal(hostnames, 'web-0 web-1 web-2');
    assert.equal(ok(['get', 'pod', 'web-1', '-o', 'jsonpath={.spec.subdomain}']), 'web');
  });

  it('gives each pod its own claim data-web-N, Bound', async () => {
    const claims = await waitUntil('three Bound claims', 20, () => {
      const r = rows(['get', 'pvc']);
      return r.length === 3 && r.every((c) => c[1] === 'Bound') ? r : undefined;
    });
    assert.deepEqual(
      claims.map((c) => c[0]),
      ['data-web-0', 'data-web-1', 'data-web-2'],
    );
    for (const n of [0, 1, 2])
      assert.equal(
        ok([
          'get',
          'pod',
          `web-${n}`,
          '-o',
          'jsonpath={.spec.volumes[?(@.name=="data")].persistentVolumeClaim.claimName}',
        ]),
        `data-web-${n}`,
      );
  });

  it('rolls a new image out from the highest ordinal down, and undoes it', async () => {
    const watch = await watchPods('app=web');
    ok(['set', 'image', 'sts/web', 'app=example.test/app:2']);
    const status = kubectl(['rollout', 'status', 'sts/web', '--timeout=60s']);
    assert.equal(status.code, 0, status.err);
    assert.match(status.out, /partitioned roll out complete: 3 new pods have been updated/);
    await waitUntil(
      'the watch to see web-0 back',
      10,
      () =>
        indexAfter(watch.lines(), /^MODIFIED web-0 Running True $/, firstIndex(watch.lines(), /^DELETED web-0 /)) > 0,
    );
    const lines = watch.stop();
    const deleted = lines.filter((l) => l.startsWith('DELETED ')).map((l) => l.split(' ')[1]);
    assert.deepEqual(deleted, ['web-2', 'web-1', 'web-0'], lines.join('\n'));
    // Each pod is back and ready before the next one is deleted.
    for (const [pod, next] of [
      ['web-2', 'web-1'],
      ['web-1', 'web-0'],
    ] as const) {
      const gone = firstIndex(lines, new RegExp(`^DELETED ${pod} `));
      const back = indexAfter(lines, new RegExp(`^MODIFIED ${pod} Running True $`), gone);
      const nextGoes = indexAfter(lines, new RegExp(`^MODIFIED ${next} .*${DATE}`), gone);
      assert.ok(
        gone >= 0 && back > gone && nextGoes > back,
        `${next} went before ${pod} was back:\n${lines.join('\n')}`,
      );
    }
    const images = ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].spec.containers[0].image}']);
    assert.equal(images, 'example.test/app:2 example.test/app:2 example.test/app:2');
    const revisions = rows(['get', 'controllerrevisions']).map((r) => [r[1], r[2]]);
    assert.deepEqual(revisions.sort(), [
      ['statefulset.apps/web', '1'],
      ['statefulset.apps/web', '2'],
    ]);
    assert.match(ok(['rollout', 'history', 'sts/web']), /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>\n/);
    assert.match(ok(['rollout', 'history', 'sts/web', '--revision=1']), /Image:\s+example\.test\/app:1/);

    ok(['rollout', 'undo', 'sts/web']);
    ok(['rollout', 'status', 'sts/web', '--timeout=60s']);
    const back = ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].spec.containers[0].image}']);
    assert.equal(back, 'example.test/app:1 example.test/app:1 example.test/app:1');
    assert.match(
      ok(['rollout', 'undo', 'sts/web', '--to-revision=3']),
      /skipped rollback \(current template already matches revision 3\)/,
    );
  });

  it('scales down to 1 by removing web-2, then web-1, and keeps their claims', async () => {
    const watch = await watchPods('app=web');
    ok(['scale', 'sts/web', '--replicas=1']);
    await waitUntil('one pod left', 30, () => rows(['get', 'pods', '-l', 'app=web']).length === 1);
    await waitUntil('the watch to see web-1 gone', 10, () => watch.lines().some((l) => l.startsWith('DELETED web-1 ')));
    const lines = watch.stop();
    const deleted = lines.filter((l) => l.startsWith('DELETED ')).map((l) => l.split(' ')[1]);
    assert.deepEqual(deleted, ['web-2', 'web-1']);
    const web2Gone = firstIndex(lines, /^DELETED web-2 /);
    const web1Goes = firstIndex(lines, new RegExp(`^MODIFIED web-1 .*${DATE}`));
    assert.ok(web2Gone >= 0 && web1Goes > web2Gone, `web-1 went before web-2 was gone:\n${lines.join('\n')}`);
    assert.deepEqual(
      rows(['get', 'pods', '-l', 'app=web']).map((r) => r[0]),
      ['web-0'],
    );
    assert.deepEqual(
      rows(['get', 'sts', 'web']).map((r) => r.slice(0, 2)),
      [['web', '1/1']],
    );
    assert.deepEqual(
      rows(['get', 'pvc']).map((r) => [r[0], r[1]]),
      [
        ['data-web-0', 'Bound'],
        ['data-web-1', 'Bound'],
        ['data-web-2', 'Bound'],
      ],
    );
  });

  it('runs a DaemonSet pod on each of the 3 nodes, and one with a nodeSelector on its node only', async () => {
    apply(`apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: agent, image: example.test/agent:1}]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: pinned}
spec:
  selector: {matchLabels: {app: pinned}}
  template:
    metadata: {labels: {app: pinned}}
    spec:
      nodeSelector: {kubernetes.io/hostname: kube-workbench-node-2}
      containers: [{name: agent, image: example.test/agent:1}]
`);
    assert.match(ok(['rollout', 'status', 'ds/agent', '--timeout=60s']), /daemon set "agent" successfully rolled out/);
    assert.match(
      ok(['rollout', 'status', 'ds/pinned', '--timeout=60s']),
      /daemon set "pinned" successfully rolled out/,
    );
    const nodesOf = (app: string) =>
      rows(['get', 'pods', '-l', `app=${app}`, '-o', 'wide'])
        .map((r) => r[6])
        .sort();
    assert.deepEqual(nodesOf('agent'), ['kube-workbench-node-1', 'kube-workbench-node-2', 'kube-workbench-node-3']);
    assert.deepEqual(nodesOf('pinned'), ['kube-workbench-node-2']);
    // NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR (then AGE)
    assert.deepEqual(
      rows(['get', 'ds']).map((r) => r.slice(0, 7)),
      [
        ['agent', '3', '3', '3', '3', '3', '<none>'],
        ['pinned', '1', '1', '1', '1', '1', 'kubernetes.io/hostname=kube-workbench-node-2'],
      ],
    );

    ok(['set', 'image', 'ds/agent', 'agent=example.test/agent:2']);
    assert.match(ok(['rollout', 'status', 'ds/agent', '--timeout=60s']), /successfully rolled out/);
    const images = ok(['get', 'pods', '-l', 'app=agent', '-o', 'jsonpath={.items[*].spec.containers[0].image}']);
    assert.equal(images, 'example.test/agent:2 example.test/agent:2 example.test/agent:2');
    assert.deepEqual(nodesOf('agent'), ['kube-workbench-node-1', 'kube-workbench-node-2', 'kube-workbench-node-3']);

    ok(['delete', 'ds', 'agent', 'pinned']);
    await waitUntil(
      'the daemon pods gone',
      30,
      () => rows(['get', 'pods', '-l', 'app in (agent,pinned)']).length === 0,
    );
  });
});
