import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { AdmittedWriter } from '../api/admitted-writer';
import { INGRESSES, IngressStatusController, type IngressAddress } from './ingress-status-controller';
import { testContext, turns, waitFor } from '../machinery/test-support';

const ingress = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'web', namespace: 'default' },
  spec: { defaultBackend: { service: { name: 'web', port: { number: 80 } } } },
};

interface LoadBalancer {
  loadBalancer?: { ingress?: { ip: string; ports: { port: number; protocol: string }[] }[] };
}

describe('IngressStatusController', () => {
  it('writes the address of the Ingress entry into each Ingress once the entry listens', async () => {
    const ctx = await testContext();
    let address: IngressAddress | undefined;
    const controller = new IngressStatusController(ctx, () => address);
    await ctx.informers.start();
    const run = controller.run();
    try {
      await new AdmittedWriter(ctx.api, 'kubectl').create(INGRESSES, ingress);
      const status = (): LoadBalancer | undefined => ctx.store.get(INGRESSES, 'default', 'web')?.status as LoadBalancer;
      // Not listening yet: nothing is written.
      await turns();
      assert.equal(status()?.loadBalancer?.ingress, undefined);
      address = { ip: '127.0.0.1', port: 8088 };
      ctx.clock.advance(300); // the waiting key is looked at again
      await waitFor(() => status()?.loadBalancer?.ingress?.[0]?.ip === '127.0.0.1', 'the address in the status');
      assert.deepEqual(status()?.loadBalancer?.ingress, [
        { ip: '127.0.0.1', ports: [{ port: 8088, protocol: 'TCP' }] },
      ]);
    } finally {
      await run.stop();
    }
  });
});
