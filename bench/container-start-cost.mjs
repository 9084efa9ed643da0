// What one container start costs on this engine, by the kind of network it gets: create + start wall time and
// the CPU dockerd and containerd spent on it (from /proc, their reaped children included: the engine's re-execs
// for the network hook and the embedded DNS set-up, and the iptables they run), for the floor's `docker run -p`
// on the default bridge, a pod sandbox on a cluster-like network, and a container joining a sandbox's network;
// then three pods' worth at once (ours, with a sandbox each, and without) against the floor's three in a row.
// Variants run interleaved, one container at a time, ROUNDS times; medians printed. Not a bench (npm run bench
// does not run it): `node --import tsx bench/container-start-cost.mjs [rounds]` (needs read access to dockerd's
// /proc entry for the CPU columns). Everything made here carries the label kube-workbench.start-cost=<pid> and is
// removed at the end.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { freePort } from './lib/free-port.mjs';
import { HTTPD } from './lib/httpd-web.mjs';

const rounds = Number(process.argv[2] ?? 7);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** utime + stime + cutime + cstime of a process, in ms (clock ticks of 10 ms). */
function cpuMs(pid) {
  if (!pid) return NaN;
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * 10;
  } catch {
    return NaN;
  }
}
const pidOf = (name) => {
  try {
    return execFileSync('pgrep', ['-x', name], { encoding: 'utf8' }).trim().split('\n')[0];
  } catch {
    return undefined;
  }
};

export async function main() {
  const { DockerEngine } = await import('../client/orchestrator/kubelet/docker-client.ts');
  const { ensureInfraImage, INFRA_BINARY } = await import('../client/orchestrator/kubelet/infra/infra-image.ts');
  const { ensureBusyboxImage } = await import('../test/integration/support/test-image.ts');
  const engine = new DockerEngine();
  await engine.ping();
  const image = await ensureBusyboxImage(engine);
  const infra = await ensureInfraImage(engine);
  const labels = { 'kube-workbench.start-cost': String(process.pid) };
  const network = `kw-start-cost-${process.pid}`;
  await engine.ensureNetwork(network, labels);
  const pids = { dockerd: pidOf('dockerd'), containerd: pidOf('containerd') };
  const httpd = ['sh', '-c', HTTPD];
  const pause = [INFRA_BINARY, 'pause'];
  const search = ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'];
  /** name -> create body (given the sandbox of the round, for the joining kinds). */
  const kinds = {
    'docker run -p, default bridge (the floor)': async () => ({
      Image: image,
      Cmd: httpd,
      Labels: labels,
      ExposedPorts: { '8080/tcp': {} },
      HostConfig: { PortBindings: { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: String(await freePort()) }] } },
    }),
    'default bridge, no port': async () => ({ Image: image, Cmd: httpd, Labels: labels, HostConfig: {} }),
    'network none (pause)': async () => ({
      Image: infra,
      Cmd: pause,
      Labels: labels,
      HostConfig: { NetworkMode: 'none' },
    }),
    'pod sandbox: pause on a user network': async () => ({
      Image: infra,
      Cmd: pause,
      Hostname: 'sandbox',
      Labels: labels,
      HostConfig: { NetworkMode: network, DnsSearch: search },
      NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: ['sandbox'] } } },
    }),
    'app owning its network (user network, httpd)': async () => ({
      Image: image,
      Cmd: httpd,
      Hostname: 'owner',
      Labels: labels,
      HostConfig: { NetworkMode: network, DnsSearch: search },
      NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: ['owner'] } } },
    }),
    'app joining the sandbox (container:)': async (sandbox) => ({
      Image: image,
      Cmd: httpd,
      Labels: labels,
      HostConfig: { NetworkMode: `container:${sandbox}` },
    }),
  };
  const results = new Map();
  const made = [];
  // Three pods' worth at once, as a round of the apply bench asks the engine: until all three containers that
  // serve run. The floor's three `docker run`s go one after another (as the CLI calls in the bench do).
  const sandboxBody = kinds['pod sandbox: pause on a user network'];
  const joinBody = kinds['app joining the sandbox (container:)'];
  const pods = {
    '3x docker run -p, one after another (the floor)': async () => {
      for (let i = 0; i < 3; i++) {
        const id = await engine.create(await kinds['docker run -p, default bridge (the floor)']());
        made.push(id);
        await engine.start(id);
      }
    },
    '3 pods at once: sandbox, then the app joining it (ours)': () =>
      Promise.all(
        [0, 1, 2].map(async () => {
          const sandbox = await engine.create(await sandboxBody());
          made.push(sandbox);
          const app = await engine.create(await joinBody(sandbox)); // created early, as the kubelet does
          made.push(app);
          await engine.start(sandbox);
          await engine.start(app);
        }),
      ),
    '3 pods at once: the app owning its network (no sandbox)': () =>
      Promise.all(
        [0, 1, 2].map(async () => {
          const id = await engine.create(await kinds['app owning its network (user network, httpd)']());
          made.push(id);
          await engine.start(id);
        }),
      ),
  };
  try {
    for (let r = 0; r < rounds; r++) {
      let sandbox;
      for (const [kind, body] of Object.entries(kinds)) {
        const spec = await body(sandbox);
        const before = [cpuMs(pids.dockerd), cpuMs(pids.containerd)];
        const t0 = performance.now();
        const id = await engine.create(spec);
        made.push(id);
        await engine.start(id);
        const wall = performance.now() - t0;
        await sleep(300); // the engine's work after the start call (events, the re-execs being reaped)
        const cpu = [cpuMs(pids.dockerd) - before[0], cpuMs(pids.containerd) - before[1]];
        if (kind.startsWith('pod sandbox')) sandbox = id;
        const row = results.get(kind) ?? [];
        row.push({ wall, dockerd: cpu[0], containerd: cpu[1] });
        results.set(kind, row);
      }
      for (const id of made.splice(0).reverse()) await engine.remove(id).catch(() => undefined);
      for (const [kind, run] of Object.entries(pods)) {
        const before = [cpuMs(pids.dockerd), cpuMs(pids.containerd)];
        const t0 = performance.now();
        await run();
        const wall = performance.now() - t0;
        await sleep(300);
        const row = results.get(kind) ?? [];
        row.push({ wall, dockerd: cpuMs(pids.dockerd) - before[0], containerd: cpuMs(pids.containerd) - before[1] });
        results.set(kind, row);
        for (const id of made.splice(0).reverse()) await engine.remove(id).catch(() => undefined);
      }
    }
  } finally {
    for (const id of made.reverse()) await engine.remove(id).catch(() => undefined);
    await engine.removeNetwork(network).catch(() => undefined);
  }
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(`container create + start, median of ${rounds} (load average ${load}); CPU in ms from /proc`);
  console.log(`${'kind'.padEnd(46)} ${'wall ms'.padStart(8)} ${'dockerd'.padStart(8)} ${'containerd'.padStart(10)}`);
  for (const [kind, rows] of results)
    console.log(
      `${kind.padEnd(46)} ${median(rows.map((x) => x.wall))
        .toFixed(0)
        .padStart(
          8,
        )} ${String(median(rows.map((x) => x.dockerd))).padStart(8)} ${String(median(rows.map((x) => x.containerd))).padStart(10)}`,
    );
}

await main();
