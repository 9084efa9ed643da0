/**
 * Issue #12, finding 5: watches whose clients never read are closed once too far behind, and the
 * orchestrator's memory stays bounded, while a watch that reads gets every event.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import type { TLSSocket } from 'node:tls';
import { Agent } from 'node:https';
import { describe, it } from 'node:test';
import { BUNDLE, clusterFixture } from './support/cluster-process';
import { rawRequest, rawStream, stalledRequest } from './support/raw-api';

const STALLED = 20;
const CREATES = 2000;
const VALUE = 'x'.repeat(10 * 1024);

/** The process's resident set, in MiB, from /proc. */
function rssMiB(pid: number): number {
  const line = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(line?.[1] ?? 0) / 1024;
}

/** Reads a stalled connection to its end: it ends only when the server closed the watch. */
const drained = (socket: TLSSocket) =>
  new Promise<void>((resolve) => {
    socket.on('data', () => undefined);
    socket.on('error', () => undefined);
    socket.once('close', () => resolve());
    socket.resume();
  });

function within<T>(what: string, ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

describe(
  'stalled watches',
  { skip: existsSync(BUNDLE) && existsSync('/proc/self/status') ? false : 'needs the bundle and /proc' },
  () => {
    const f = clusterFixture('kw-watch-backlog-');

    it('are closed once too far behind; memory stays bounded; a reading watch sees everything', async () => {
      const pid = f.cluster.child.pid!;
      const before = rssMiB(pid);
      const path = '/api/v1/namespaces/default/configmaps?watch=1';
      const stalled = await Promise.all(Array.from({ length: STALLED }, () => stalledRequest(f.cluster, path)));

      const reader = await rawStream(f.cluster, path);
      let added = 0;
      let partial = '';
      const seenAll = new Promise<void>((resolve) => {
        reader.on('data', (chunk: Buffer) => {
          const lines = (partial + chunk.toString()).split('\n');
          partial = lines.pop()!;
          for (const line of lines) if ((JSON.parse(line) as { type: string }).type === 'ADDED') added++;
          if (added === CREATES) resolve();
        });
      });

      const agent = new Agent({ keepAlive: true, maxSockets: 16 });
      let next = 0;
      const worker = async () => {
        while (next < CREATES) {
          const i = next++;
          const r = await rawRequest(f.cluster, 'POST', '/api/v1/namespaces/default/configmaps', {
            agent,
            body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `big-${i}` }, data: { v: VALUE } },
          });
          assert.equal(r.status, 201, r.body);
        }
      };
      await Promise.all(Array.from({ length: 16 }, worker));
      agent.destroy();

      await within('the reading watch to see every create', 30_000, seenAll);
      const after = rssMiB(pid);
      process.stderr.write(
        `orchestrator RSS with ${STALLED} stalled watches: ${before.toFixed(0)} -> ${after.toFixed(0)} MiB\n`,
      );
      assert.equal(reader.socket.destroyed, false, 'the reading watch stays open');
      reader.destroy();
      await within('every stalled watch to be closed by the server', 20_000, Promise.all(stalled.map(drained)));
      // Unbounded, the stalled watches held every event: ~511 MB. Bounded, well under that.
      assert.ok(after < 300, `RSS ${after.toFixed(0)} MiB (before: ${before.toFixed(0)} MiB)`);
      const list = await rawRequest(f.cluster, 'GET', '/api/v1/namespaces/default/configmaps?limit=1');
      assert.equal(list.status, 200);
    });
  },
);
