import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FakeClock } from '../clock';
import type { KubeObject } from './object';
import { ObjectStore, type Stored } from './object-store';

const R = '/configmaps';
const cm = (namespace: string, name: string, app: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace, labels: { app } },
});
const app = (obj: Stored) => obj.metadata.labels?.app;

/** Both ways of listing agree for every namespace and selector tried. */
function assertSame(store: ObjectStore, when: string): void {
  const keeps: [string, (o: Stored) => boolean][] = [
    ['app=a', (o) => app(o) === 'a'],
    ['app=b', (o) => app(o) === 'b'],
    ['everything', () => true],
    ['nothing', () => false],
  ];
  for (const namespace of [undefined, 'ns-1', 'ns-2', 'ns-9'])
    for (const [what, keep] of keeps) {
      const full = store.listDurable(R, namespace);
      const matched = store.listDurableMatching(R, namespace, keep);
      assert.equal(matched.resourceVersion, full.resourceVersion);
      assert.deepEqual(
        matched.items.map((o) => `${o.metadata.namespace}/${o.metadata.name}@${o.metadata.resourceVersion}`),
        full.items.filter(keep).map((o) => `${o.metadata.namespace}/${o.metadata.name}@${o.metadata.resourceVersion}`),
        `${when}, namespace ${namespace ?? 'all'}, ${what}`,
      );
    }
}

describe('listDurableMatching', () => {
  it('lists what listDurable lists and the filter keeps, in order, with writes in flight and after', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kw-matching-'));
    const store = await ObjectStore.open({ clock: new FakeClock(), dataDir: join(dir, 'store') });
    try {
      // Names that sort differently from their creation order; two namespaces.
      const names = Array.from({ length: 200 }, (_, i) => `c-${(i * 37) % 200}`);
      await Promise.all(names.map((n, i) => store.create(R, cm(`ns-${(i % 2) + 1}`, n, i % 3 === 0 ? 'a' : 'b'))));
      assertSame(store, 'all durable');
      // Writes not yet durable: updates that change the label, deletes, creates (the log holds none of them yet).
      const inFlight: Promise<unknown>[] = [];
      for (let i = 0; i < 200; i += 7) {
        const ns = `ns-${(i % 2) + 1}`;
        const obj = store.get(R, ns, names[i]!)!;
        if (i % 3 === 0) inFlight.push(store.delete(R, ns, names[i]!));
        else inFlight.push(store.update(R, { ...cm(ns, names[i]!, app(obj) === 'a' ? 'b' : 'a') }));
        inFlight.push(store.create(R, cm(ns, `new-${i}`, 'a')));
      }
      assertSame(store, 'writes in flight');
      await Promise.all(inFlight);
      assertSame(store, 'all durable again');
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
