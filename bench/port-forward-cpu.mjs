// CPU seconds per phase of each process on a kubectl port-forward path, against the same image's
// published port (docker-proxy): `PHASES=preq,req,big N=2000 node --import tsx bench/port-forward-cpu.mjs`.
// preq: N requests, then five 20 MB bodies, to a published port (docker-proxy and client CPU); req: N
// requests through kubectl port-forward (cluster process, kubectl, client); big: five 20 MB bodies through
// it. Every phase also prints the CPU of the httpd container(s) (cgroup cpuacct, forked children included).
// CONC=n: connections at a time (default 8). PROF=DIR: the
// cluster process writes a CPU profile there; PERF=FILE: `perf record` of the cluster (with JS names) and
// kubectl during each phase but preq; ROOT=/path/to/build: that build's cluster; HOLD=s: wait
// before the phases (to attach strace). Not a bench of `npm run bench`: where the CPU goes, not a ratio.
import { execFile, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startKubectlPortForward } from '../test/integration/support/kubectl-port-forward.ts';
import { startClusterAt } from './lib/cluster-at.mjs';
import { dockerBench } from './lib/docker-bench.mjs';
import { get, requestsPerSecond } from './lib/http-get.mjs';

/** CPU seconds (user + system) a process has used so far. */
const cpu = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
};
/** CPU seconds in the kernel (system time) a process has used so far. */
const sys = (pid) => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[12]) / 100;

/** CPU seconds the containers (full ids) have used so far (cgroup v1 cpuacct; 0 where it cannot be read). */
const containerCpu = (ids) =>
  ids.reduce((sum, id) => {
    try {
      return sum + Number(readFileSync(`/sys/fs/cgroup/cpuacct/docker/${id}/cpuacct.usage`, 'utf8')) / 1e9;
    } catch {
      return sum;
    }
  }, 0);
const HTTPD =
  'hostname > /www/index.html; for i in 0 1 2 3 4 5 6 7 8 9; do cat /bin/busybox; done > /www/big; exec httpd -f -p 8080 -h /www';
const sh = (cmd, args) =>
  new Promise((res, rej) => execFile(cmd, args, (e, o, se) => (e ? rej(new Error(se || e.message)) : res(o))));
const { engine, image, clusterIdFor, removeCluster } = await dockerBench();
const dir = mkdtempSync(join(tmpdir(), 'kw-scratch-pf-'));
const root = process.env.ROOT ?? process.cwd();
const prof = process.env.PROF;
const c = await startClusterAt(
  root,
  join(dir, 'd'),
  ['--runtime', 'docker'],
  [
    ...(prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : []),
    ...(process.env.PERF ? ['--perf-basic-prof'] : []),
    ...(process.env.NODEARGS ? process.env.NODEARGS.split(' ') : []),
  ],
);
// CHILDLOG=FILE: the cluster's output (with NODEARGS=--trace-deopt, say) goes there.
if (process.env.CHILDLOG) c.child.stdout.on('data', (b) => appendFileSync(process.env.CHILDLOG, b));
const kc = join(dir, 'd', 'kubeconfig');
const kubectl = (args) => sh('kubectl', ['--kubeconfig', kc, ...args]);
try {
  await kubectl(['run', 'pf', `--image=${image}`, '--restart=Never', '--command', '--', 'sh', '-c', HTTPD]);
  await kubectl(['wait', '--for=condition=Ready', 'pod/pf', '--timeout=120s']);
  const pf = await startKubectlPortForward(
    kc,
    ['pod/pf', ':8080'],
    process.env.PFENV ? JSON.parse(process.env.PFENV) : {},
  );
  const port = pf.localPorts[0];
  for (let i = 0; ; i++) {
    const r = await get(port, '/big', false).catch(() => undefined);
    if (r?.status === 200) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  console.log('port', port, 'kubectl pid', pf.child.pid, 'cluster pid', c.child.pid);
  const podContainers = (
    await sh('docker', [
      'ps',
      '-q',
      '--no-trunc',
      '--filter',
      `label=kube-workbench.cluster=${clusterIdFor(join(dir, 'd'))}`,
    ])
  )
    .trim()
    .split('\n')
    .filter(Boolean);
  // WARM=n (default 500): requests before the phases, so the JIT has compiled the path being measured.
  await requestsPerSecond(port, Number(process.env.WARM ?? 500), 8);
  if (process.env.HOLD) await new Promise((r) => setTimeout(r, Number(process.env.HOLD) * 1000));
  for (const phase of (process.env.PHASES ?? 'req,big').split(',')) {
    const pids = [c.child.pid, pf.child.pid, process.pid];
    const before = pids.map(cpu);
    const beforeSys = pids.map(sys);
    const beforePod = containerCpu(podContainers);
    // PERF=FILE: `perf record` of the cluster process and kubectl during the phase.
    const perf =
      process.env.PERF && phase !== 'preq'
        ? spawn(
            'perf',
            ['record', '-F', '499', '-g', '-o', `${process.env.PERF}.${phase}`, '-p', pids.slice(0, 2).join(',')],
            {
              stdio: 'ignore',
            },
          )
        : undefined;
    if (perf) await new Promise((r) => setTimeout(r, 1000));
    const report = async () => {
      const after = pids.map(cpu);
      const afterSys = pids.map(sys);
      const part = (i) => `${(after[i] - before[i]).toFixed(2)} (sys ${(afterSys[i] - beforeSys[i]).toFixed(2)})`;
      const pod = (containerCpu(podContainers) - beforePod).toFixed(2);
      console.log(phase, 'cpu s: cluster', part(0), 'kubectl', part(1), 'client', part(2), 'httpd container', pod);
      if (perf) {
        perf.kill('SIGINT');
        await new Promise((r) => perf.once('exit', r));
      }
    };
    if (phase === 'req') {
      console.log(
        'req/s',
        (await requestsPerSecond(port, Number(process.env.N ?? 2000), Number(process.env.CONC ?? 8))).toFixed(1),
      );
      await report();
    }
    if (phase === 'preq') {
      const name = `kwscratch_pf_${process.pid}`;
      const hp = 20000 + (process.pid % 20000);
      await sh('docker', ['run', '-d', '--name', name, '-p', `127.0.0.1:${hp}:8080`, image, 'sh', '-c', HTTPD]);
      try {
        for (let i = 0; ; i++) {
          const r = await get(hp, '/', false).catch(() => undefined);
          if (r?.status === 200) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        const proxy = Number((await sh('pgrep', ['-f', `docker-proxy.*-host-port ${hp}`])).trim().split('\n')[0]);
        const id = (await sh('docker', ['inspect', '-f', '{{.Id}}', name])).trim();
        const mark = () => [cpu(proxy), cpu(process.pid), sys(proxy), containerCpu([id])];
        const print = (what, b) => {
          const a = mark();
          console.log(
            `${what} cpu s: docker-proxy`,
            (a[0] - b[0]).toFixed(2),
            'sys',
            (a[2] - b[2]).toFixed(2),
            'client',
            (a[1] - b[1]).toFixed(2),
            'httpd container',
            (a[3] - b[3]).toFixed(2),
          );
        };
        let b = mark();
        const conc = Number(process.env.CONC ?? 8);
        console.log('published req/s', (await requestsPerSecond(hp, Number(process.env.N ?? 2000), conc)).toFixed(1));
        print('published', b);
        b = mark();
        const t0 = performance.now();
        let bytes = 0;
        for (let i = 0; i < 5; i++) bytes += (await get(hp, '/big', false)).bytes;
        console.log('published MB/s', (bytes / 1e6 / ((performance.now() - t0) / 1000)).toFixed(1));
        print('published big', b);
      } finally {
        await sh('docker', ['rm', '-f', name]);
      }
    }
    if (phase === 'big') {
      const t0 = performance.now();
      let b = 0;
      for (let i = 0; i < 5; i++) b += (await get(port, '/big', false)).bytes;
      console.log('MB/s', (b / 1e6 / ((performance.now() - t0) / 1000)).toFixed(1));
      await report();
    }
  }
  await pf.stop();
} finally {
  c.child.kill('SIGTERM');
  await new Promise((r) => c.child.once('exit', r));
  await removeCluster(engine, clusterIdFor(join(dir, 'd')));
  rmSync(dir, { recursive: true, force: true });
}
