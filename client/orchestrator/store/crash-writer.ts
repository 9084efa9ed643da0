/**
 * A helper process for the crash test: opens a store in argv[2] and creates
 * ConfigMaps as fast as it can, several at a time, printing `ack <name>` for
 * each write once it is acknowledged, then changes every other one (`upd <name>`). The test kills it with
 * SIGKILL.
 */
import { systemClock } from '../clock';
import { ObjectStore } from './object-store';

async function run(dir: string, prefix: string): Promise<void> {
  const store = await ObjectStore.open({ clock: systemClock, dataDir: dir, compactBytes: 64 * 1024 });
  let n = 0;
  const writer = async (): Promise<void> => {
    for (;;) {
      const name = `${prefix}-${n++}`;
      const created = await store.create('/configmaps', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, namespace: 'default' },
        data: { payload: 'x'.repeat(200) },
      });
      process.stdout.write(`ack ${name}\n`);
      // Every other one changed afterwards: an update the log holds as what it changed.
      if (n % 2 === 0) {
        await store.update(
          '/configmaps',
          {
            ...created,
            metadata: { ...created.metadata },
            data: { ...(created.data as Record<string, string>), updated: 'yes' },
          },
          { fresh: true },
        );
        process.stdout.write(`upd ${name}\n`);
      }
    }
  };
  await Promise.all([writer(), writer(), writer(), writer()]);
}

if (require.main === module) {
  const [dir, prefix = 'cm'] = process.argv.slice(2);
  if (!dir) throw new Error('usage: crash-writer DIR [PREFIX]');
  void run(dir, prefix);
}
