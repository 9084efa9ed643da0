import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { AdmittedWriter } from '../api/admitted-writer';
import { NAMESPACES, PODS, REPLICA_SETS, SERVICES } from '../machinery/informer-factory';
import { StatusError } from '../store/errors';
import { clone, type KubeObject } from '../store/object';
import { GarbageCollector } from './garbage-collector';
import { NamespaceController } from './namespace-controller';
import { ReplicaSetController } from './replica-set-controller';
import { replicaSet, testContext, turns, waitFor } from '../machinery/test-support';

async function setup() {
  const ctx = await testContext();
  const controllers = [new GarbageCollector(ctx), new ReplicaSetController(ctx), new NamespaceController(ctx)];
  await ctx.informers.start();
  const runs = controllers.map((c) => c.run());
  const user = new AdmittedWriter(ctx.api, 'kubectl');
  await user.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
  await user.create(SERVICES, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'svc', namespace: 'team' },
    spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
  });
  await user.create(REPLICA_SETS, { ...replicaSet('web', 2), metadata: { name: 'web', namespace: 'team' } });
  await waitFor(() => ctx.store.list(PODS, 'team').items.length === 2, 'pods');
  return { ctx, user, stop: () => Promise.all(runs.map((r) => r.stop())) };
}

describe('NamespaceController', () => {
  it('keeps a deleted namespace Terminating until its contents are gone, then removes it', async () => {
    const { ctx, user, stop } = await setup();
    // A pod held by someone else's finalizer keeps the namespace Terminating.
    const held = clone(ctx.store.list(PODS, 'team').items[0]!) as KubeObject;
    held.metadata.finalizers = ['example.com/hold'];
    await user.update(PODS, held);

    await user.delete(NAMESPACES, '', 'team');
    const terminating = ctx.store.get(NAMESPACES, '', 'team');
    assert.equal((terminating?.status as { phase?: string }).phase, 'Terminating');
    assert.deepEqual((terminating?.spec as { finalizers?: string[] }).finalizers, ['kubernetes']);

    await waitFor(() => ctx.store.list(SERVICES, 'team').items.length === 0, 'the service deleted');
    await waitFor(() => ctx.store.list(REPLICA_SETS, 'team').items.length === 0, 'the ReplicaSet deleted');
    for (let i = 0; i < 5; i++) {
      ctx.clock.advance(1000);
      await turns(20);
    }
    assert.ok(ctx.store.get(NAMESPACES, '', 'team'), 'still there while a pod is held');
    assert.deepEqual(
      ctx.store.list(PODS, 'team').items.map((p) => p.metadata.name),
      [held.metadata.name],
    );

    const last = clone(ctx.store.get(PODS, 'team', held.metadata.name!)!) as KubeObject;
    last.metadata.finalizers = [];
    await user.update(PODS, last);
    for (let i = 0; i < 20 && ctx.store.get(NAMESPACES, '', 'team'); i++) {
      ctx.clock.advance(1000);
      await turns(20);
    }
    assert.equal(ctx.store.get(NAMESPACES, '', 'team'), undefined);
    await stop();
  });

  it('refuses new objects in a terminating namespace', async () => {
    const { ctx, user, stop } = await setup();
    const held = clone(ctx.store.list(PODS, 'team').items[0]!) as KubeObject;
    held.metadata.finalizers = ['example.com/hold'];
    await user.update(PODS, held);
    await user.delete(NAMESPACES, '', 'team');
    await assert.rejects(
      user.create('/configmaps', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'late', namespace: 'team' },
      }),
      (e: unknown) =>
        e instanceof StatusError &&
        e.reason === 'Forbidden' &&
        /unable to create new content in namespace team because it is being terminated/.test(e.message),
    );
    assert.equal(ctx.store.get('/configmaps', 'team', 'late'), undefined);
    await stop();
  });
});
