// The orchestrator-scale churn alone, for profiling and for comparing node flags: starts
// `cluster start --runtime fake --nodes 100` from ROOT (default: this build) with NODE_ARGS
// (e.g. `--cpu-prof --cpu-prof-dir=DIR`, `--max-semi-space-size=4`), creates 100 Deployments of
// 100 replicas, waits until all 10,000 pods are Ready and prints wall time, the cluster's CPU
// seconds, peak RSS (VmHWM) and the writes it saw.
// usage: node bench/profile-scale.mjs [ROOT] [-- NODE_ARGS...]
// With KW_KEEP_WAL=FILE the churn's log (store/wal.jsonl) is copied to FILE at the end (for bench/store-floor.mjs).
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { apiClient, createBenchDeployments, readyReplicas } from './lib/api-client.mjs';
import { startClusterAt } from './lib/cluster-at.mjs';

const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
const root = resolve(dash === 0 ? '.' : (argv[0] ?? '.'));
const nodeArgs = dash >= 0 ? argv.slice(dash + 1) : [];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const stat = (pid) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
const cpuSeconds = (pid) => {
  const f = stat(pid);
  return (Number(f[11]) + Number(f[12])) / 100;
};
// Bytes the process handed to write(2) and friends (the log, snapshots, sockets), /proc/PID/io's wchar.
const written = (pid) => Number(/wchar:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))[1]);
const hwm = (pid) => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

const dir = mkdtempSync(join(tmpdir(), 'kw-prof-'));
const { child, api } = await startClusterAt(root, dir, ['--nodes', '100'], nodeArgs);
try {
  const call = apiClient(api, dir);
  await sleep(1500);
  const cpu0 = cpuSeconds(child.pid);
  const written0 = written(child.pid);
  const t0 = performance.now();
  const mono0 = process.hrtime.bigint() / 1000n;
  await createBenchDeployments(call, 100, 100);
  let ready = 0;
  while (ready < 10_000) {
    await sleep(250);
    ready = await readyReplicas(call);
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(child.pid) - cpu0;
  const writtenMiB = (written(child.pid) - written0) / 2 ** 20;
  const mono1 = process.hrtime.bigint() / 1000n;
  const rv = (await call('GET', '/apis/apps/v1/namespaces/default/deployments')).metadata.resourceVersion;
  console.log(
    JSON.stringify({
      root,
      nodeArgs: nodeArgs.join(' '),
      seconds: +seconds.toFixed(2),
      cpu: +cpu.toFixed(2),
      peakRssMiB: Math.round(hwm(child.pid)),
      writtenMiB: Math.round(writtenMiB),
      resourceVersion: Number(rv),
      // The churn's window on the monotonic clock (µs), as a CPU profile's timestamps count it.
      window: [String(mono0), String(mono1)],
    }),
  );
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  if (process.env.KW_KEEP_WAL) copyFileSync(join(dir, 'store', 'wal.jsonl'), process.env.KW_KEEP_WAL);
  rmSync(dir, { recursive: true, force: true });
}
