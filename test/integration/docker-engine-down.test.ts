/**
 * The Docker engine goes away while the cluster runs, and comes back. The
 * cluster process talks to the engine through a socket the test can turn
 * off (support/engine-switch.ts), so the machine's engine, which other tests
 * share, keeps running. What a user sees through kubectl: the node turns
 * NotReady saying the runtime is down and why, and is tainted not-ready (so,
 * as in Kubernetes, the scheduler places no new pod there); a pod bound to it
 * meanwhile says it waits for the engine (status and event); running pods are
 * left as they are; the API keeps answering; once the engine is back, the node
 * is Ready and untainted, the waiting pods run and the running ones are adopted
 * without duplicates.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LABEL } from '../../client/orchestrator/kubelet/docker-labels.js';
import { eventually, podJson, startDockerCluster, type DockerCluster } from './support/docker-cluster.js';
import { EngineSwitch } from './support/engine-switch.js';

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

describe('Docker engine down and back', () => {
  let dir: string;
  let engine: EngineSwitch;
  let dc: DockerCluster;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kw-engine-'));
    engine = new EngineSwitch(join(dir, 'docker.sock'));
    await engine.on();
    dc = await startDockerCluster([], { DOCKER_HOST: engine.dockerHost });
  });
  after(async () => {
    await engine?.on().catch(() => undefined);
    await dc?.destroy();
    await engine?.off();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const nodeReady = (): Condition | undefined => {
    const r = dc.kubectl(['get', 'node', 'kube-workbench-node-1', '-o', 'json']);
    assert.equal(r.code, 0, `the API answers: ${r.err}`);
    const node = JSON.parse(r.out) as { status: { conditions: Condition[] } };
    return node.status.conditions.find((c) => c.type === 'Ready');
  };
  const conditions = (pod: string): Condition[] =>
    (podJson(dc, pod)?.status as { conditions?: Condition[] } | undefined)?.conditions ?? [];
  const containersOf = async (pod: string) =>
    (await dc.containers({ [LABEL.podName]: pod })).map((c) => `${c.id} ${c.state}`).sort();
  const pod = (name: string, nodeName?: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  ${nodeName ? `nodeName: ${nodeName}` : ''}
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: ${dc.image}
    command: [/bin/sh, -c, 'touch /tmp/ok; exec sleep 3600']
    readinessProbe: {exec: {command: [cat, /tmp/ok]}, periodSeconds: 1, failureThreshold: 1}
`;

  it('says the runtime is down on the node and on new pods, leaves running pods alone, and recovers by itself', async () => {
    dc.apply(pod('steady'));
    await eventually('steady Running and ready', 60, () =>
      /steady\s+1\/1\s+Running\s+0/.test(dc.kubectl(['get', 'pod', 'steady']).out),
    );
    const steadyBefore = await containersOf('steady');
    assert.equal(steadyBefore.length, 1, 'one container, owning the pod network');

    await engine.off();
    const down = await eventually('the node NotReady', 30, () => {
      const ready = nodeReady();
      return ready?.status === 'False' ? ready : undefined;
    });
    assert.equal(down.reason, 'KubeletNotReady');
    assert.match(down.message ?? '', /^container runtime is down: No Docker engine answers on /);
    assert.ok(down.message?.includes(engine.path), `names the socket: ${down.message}`);
    assert.match(down.message ?? '', /Start Docker/);
    assert.match(dc.kubectl(['get', 'nodes']).out, /kube-workbench-node-1\s+NotReady/);
    assert.match(
      dc.kubectl(['get', 'events', '--field-selector', 'involvedObject.kind=Node']).out,
      /NodeNotReady\s+node\/kube-workbench-node-1\s+Node kube-workbench-node-1 status is now: NodeNotReady/,
    );
    await eventually('a readable line on stderr', 10, () =>
      /node kube-workbench-node-1 is NotReady: container runtime is down: No Docker engine answers on/.test(
        dc.cluster.stderr(),
      ),
    );

    await eventually('the node tainted not-ready', 30, () =>
      /node\.kubernetes\.io\/not-ready/.test(
        dc.kubectl(['get', 'node', 'kube-workbench-node-1', '-o', 'jsonpath={.spec.taints[*].key}']).out,
      ),
    );
    dc.apply(pod('unplaced'));
    await eventually('the scheduler leaves a new pod Pending, naming the taint', 30, () =>
      conditions('unplaced').some(
        (c) =>
          c.type === 'PodScheduled' && /untolerated taint \{node\.kubernetes\.io\/not-ready: \}/.test(c.message ?? ''),
      ),
    );
    // A pod bound to the node by its spec (no scheduler) reaches the kubelet, which says it waits for the engine.
    dc.apply(pod('late', 'kube-workbench-node-1'));
    const waiting = await eventually('the new pod says it waits for the engine', 30, () =>
      conditions('late').find((c) => c.type === 'PodReadyToStartContainers' && c.reason !== undefined),
    );
    assert.equal(waiting.status, 'False');
    assert.equal(waiting.reason, 'ContainerRuntimeUnreachable');
    assert.match(waiting.message ?? '', /^container runtime is down: No Docker engine answers on .*Start Docker/);
    assert.match(waiting.message ?? '', /The pod starts when it answers again\.$/);
    assert.match(dc.kubectl(['get', 'pod', 'late']).out, /late\s+0\/1\s+ContainerCreating\s+0/);
    const waitingState = podJson(dc, 'late')?.status?.containerStatuses?.[0]?.state.waiting;
    assert.equal(waitingState?.reason, 'ContainerCreating');
    assert.match(waitingState?.message ?? '', /container runtime is down/);
    assert.match(
      dc.kubectl(['get', 'events', '--field-selector', 'involvedObject.name=late']).out,
      /FailedCreatePodSandBox\s+pod\/late\s+Failed to create pod sandbox: container runtime is down: No Docker engine answers on/,
    );

    // A few readiness periods (exec probes need the engine): the running pod is not touched.
    await new Promise((r) => setTimeout(r, 4000));
    assert.match(dc.kubectl(['get', 'pod', 'steady']).out, /steady\s+1\/1\s+Running\s+0/);
    assert.deepEqual(await containersOf('steady'), steadyBefore, 'its containers still run');
    assert.equal(nodeReady()?.status, 'False', 'still down');

    await engine.on();
    const up = await eventually('the node Ready again', 30, () => {
      const ready = nodeReady();
      return ready?.status === 'True' ? ready : undefined;
    });
    assert.equal(up.reason, 'KubeletReady');
    await eventually('the waiting pod runs', 30, () =>
      /late\s+1\/1\s+Running\s+0/.test(dc.kubectl(['get', 'pod', 'late']).out),
    );
    assert.equal(conditions('late').find((c) => c.type === 'PodReadyToStartContainers')?.status, 'True');
    await eventually('the unplaced pod scheduled and running once the taint is gone', 30, () =>
      /unplaced\s+1\/1\s+Running\s+0/.test(dc.kubectl(['get', 'pod', 'unplaced']).out),
    );
    const late = await containersOf('late');
    assert.equal(late.length, 1, 'one container, owning the pod network');
    assert.ok(late.every((c) => c.endsWith(' running')));
    // Ready again within a few probe periods (a probe may time out while the engine comes back on a busy machine).
    await eventually('the running pod Ready, never restarted', 30, () =>
      /steady\s+1\/1\s+Running\s+0/.test(dc.kubectl(['get', 'pod', 'steady']).out),
    );
    assert.deepEqual(await containersOf('steady'), steadyBefore, 'adopted as it was: no duplicates');
    assert.match(dc.cluster.stderr(), /node kube-workbench-node-1 is Ready again/);
    assert.match(
      dc.kubectl(['get', 'events', '--field-selector', 'involvedObject.kind=Node']).out,
      /NodeReady\s+node\/kube-workbench-node-1\s+Node kube-workbench-node-1 status is now: NodeReady/,
    );
  });
});
