// A timeline of `kubectl apply` of Deployment(3) + NodePort Service until three pods answer, against three
// `docker run -d` until answering: the API's watch events (Deployment, ReplicaSet, pods, Endpoints, Events),
// Docker's own container events and each pod's first answer through the node port, in ms from the start.
// Not a bench (npm run bench does not run it): `node --import tsx bench/apply-timeline.mjs [cycles]`.
// Cycles are applied one after another with `kubectl delete -f` between them, as a user would.
// With KW_ENGINE_TRACE=FILE the cluster logs every Docker engine request there (docker-client.ts): they are
// shown in the timeline of each apply, and counted by kind.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpGet } from 'node:http';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startClusterProcess } from '../test/integration/support/cluster-process.ts';
import { freePort } from './lib/free-port.mjs';
import { HTTPD, webManifest } from './lib/httpd-web.mjs';

const cycles = Number(process.argv[2] ?? 3);
const sh = (cmd, args, input) =>
  new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { timeout: 120_000 }, (e, out, err) =>
      e ? reject(new Error(err || e.message)) : resolve(out),
    );
    if (input !== undefined) child.stdin.end(input);
  });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const manifest = webManifest;

function get(port) {
  return new Promise((resolve) => {
    const req = httpGet(
      { host: '127.0.0.1', port, path: '/', agent: false, headers: { connection: 'close' } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve(res.statusCode === 200 ? body.trim() : undefined));
      },
    );
    req.setTimeout(3000, () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

async function untilAnswering(ports, count, mark) {
  const seen = new Set();
  const deadline = Date.now() + 120_000;
  while (seen.size < count && Date.now() < deadline) {
    for (const p of ports) {
      const b = await get(p);
      if (b && !seen.has(b)) {
        seen.add(b);
        mark(`answer ${b}`);
      }
    }
    await sleep(10);
  }
}

export async function main() {
  const { DockerEngine } = await import('../client/orchestrator/kubelet/docker-client.ts');
  const { clusterIdFor } = await import('../client/orchestrator/kubelet/docker-runtime-factory.ts');
  const { ensureBusyboxImage } = await import('../test/integration/support/test-image.ts');
  const { removeCluster } = await import('../test/integration/support/docker-cluster.ts');
  const engine = new DockerEngine();
  const image = await ensureBusyboxImage(engine);
  const dir = mkdtempSync(join(tmpdir(), 'kw-timeline-'));
  const dataDir = join(dir, 'data');
  const cluster = await startClusterProcess(dataDir, ['--runtime', 'docker']);
  const ca = readFileSync(join(dataDir, 'apiserver.crt'), 'utf8');
  const token = readFileSync(join(dataDir, 'token'), 'utf8').trim();
  const kubectl = (args, input) =>
    sh('kubectl', ['--kubeconfig', cluster.kubeconfig, '--cache-dir', join(dir, 'cache'), ...args], input);
  let t0 = Date.now();
  let lines = [];
  const mark = (what, at = Date.now()) => lines.push([at - t0, what]);
  const watches = [];
  const watch = (path, onEvent) => {
    const req = request(
      new URL(`${path}?watch=1`, cluster.api),
      { ca, headers: { Authorization: `Bearer ${token}` } },
      (res) => {
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          buf += c;
          let i;
          while ((i = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, i);
            buf = buf.slice(i + 1);
            if (line.trim()) onEvent(JSON.parse(line));
          }
        });
      },
    );
    req.on('error', () => undefined);
    req.end();
    watches.push(req);
  };
  const seenPods = new Map();
  watch('/apis/apps/v1/namespaces/default/deployments', (e) =>
    mark(`deployment ${e.type} gen=${e.object.metadata.generation} ready=${e.object.status?.readyReplicas ?? 0}`),
  );
  watch('/apis/apps/v1/namespaces/default/replicasets', (e) =>
    mark(
      `replicaset ${e.type} replicas=${e.object.status?.replicas ?? 0} ready=${e.object.status?.readyReplicas ?? 0}`,
    ),
  );
  watch('/api/v1/namespaces/default/pods', (e) => {
    const p = e.object;
    const name = p.metadata.name.slice(-5);
    const prev = seenPods.get(p.metadata.name) ?? {};
    const now = {
      node: p.spec.nodeName ?? '',
      phase: p.status?.phase ?? '',
      ip: p.status?.podIP ?? '',
      ready: (p.status?.conditions ?? []).find((c) => c.type === 'Ready')?.status ?? '',
      state: Object.keys(p.status?.containerStatuses?.[0]?.state ?? {})[0] ?? '',
      del: p.metadata.deletionTimestamp ? 'deleting' : '',
    };
    const diff = Object.entries(now)
      .filter(([k, v]) => prev[k] !== v)
      .map(([k, v]) => `${k}=${v}`);
    seenPods.set(p.metadata.name, now);
    if (e.type !== 'MODIFIED' || diff.length) mark(`pod ${name} ${e.type} ${diff.join(' ')}`);
  });
  watch('/api/v1/namespaces/default/endpoints', (e) => {
    if (e.object.metadata.name !== 'bench') return;
    const n = (e.object.subsets ?? []).reduce((s, x) => s + (x.addresses?.length ?? 0), 0);
    mark(`endpoints ${e.type} ready=${n}`);
  });
  watch('/api/v1/namespaces/default/events', (e) => {
    const ev = e.object;
    if (e.type === 'ADDED') mark(`event ${ev.involvedObject.kind}/${ev.involvedObject.name.slice(-5)} ${ev.reason}`);
  });
  const dockerEvents = spawn('docker', ['events', '--filter', 'type=container', '--format', '{{json .}}']);
  let dbuf = '';
  dockerEvents.stdout.on('data', (c) => {
    dbuf += c;
    let i;
    while ((i = dbuf.indexOf('\n')) >= 0) {
      const ev = JSON.parse(dbuf.slice(0, i));
      dbuf = dbuf.slice(i + 1);
      if (!['create', 'start', 'die', 'destroy', 'kill', 'stop'].includes(ev.Action)) continue;
      const name = ev.Actor?.Attributes?.name ?? '';
      mark(`docker ${ev.Action} ${name.slice(0, 40)}`, Math.floor(ev.timeNano / 1e6));
    }
  });
  await sleep(500);
  const trace = process.env.KW_ENGINE_TRACE;
  const engineCalls = () => {
    if (!trace) return;
    let text = '';
    try {
      text = readFileSync(trace, 'utf8');
      rmSync(trace);
    } catch {
      return;
    }
    const counts = new Map();
    for (const line of text.split('\n')) {
      const [at, method, path] = line.split(' ');
      if (!path || Number(at) < t0) continue;
      const what = `${method} ${path.replace(/\/v1\.\d+/, '').replace(/[0-9a-f]{64}/g, 'ID')}`;
      mark(`engine ${what}`, Number(at));
      counts.set(what, (counts.get(what) ?? 0) + 1);
    }
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    mark(`engine calls: ${total}: ${[...counts].map(([k, v]) => `${v}x ${k}`).join(', ')}`);
  };
  const print = (title) => {
    if (title.startsWith('ours')) engineCalls();
    console.log(`--- ${title}`);
    for (const [ms, what] of lines.sort((a, b) => a[0] - b[0])) console.log(String(ms).padStart(6), what);
    lines = [];
  };
  const names = [0, 1, 2].map((i) => `kwtl_${process.pid}_${i}`);
  try {
    await kubectl(['get', 'nodes']);
    for (let c = 0; c < cycles; c++) {
      const ports = [await freePort(), await freePort(), await freePort()];
      t0 = Date.now();
      for (const [i, n] of names.entries())
        await sh('docker', ['run', '-d', '--name', n, '-p', `127.0.0.1:${ports[i]}:8080`, image, 'sh', '-c', HTTPD]);
      mark('docker run x3 returned');
      await untilAnswering(ports, 3, mark);
      mark('floor done');
      await sleep(300);
      print(`floor ${c}`);
      await sh('docker', ['rm', '-f', ...names]);
      const nodePort = 30000 + ((process.pid + c) % 2700);
      await sleep(300);
      lines = [];
      if (trace) rmSync(trace, { force: true });
      t0 = Date.now();
      mark('kubectl apply start');
      await kubectl(['apply', '-f', '-'], manifest(image, nodePort));
      mark('kubectl apply end');
      await untilAnswering([nodePort], 3, mark);
      mark('ours done');
      await sleep(300);
      print(`ours ${c}`);
      await kubectl(['delete', '-f', '-'], manifest(image, nodePort));
      while ((await kubectl(['get', 'pods', '-l', 'app=bench', '-o', 'name'])).trim() !== '') await sleep(100);
      lines = [];
    }
  } finally {
    for (const w of watches) w.destroy();
    dockerEvents.kill();
    cluster.child.kill('SIGTERM');
    await new Promise((r) => cluster.child.once('exit', r));
    await sh('docker', ['rm', '-f', ...names]).catch(() => undefined);
    await removeCluster(engine, clusterIdFor(dataDir));
    rmSync(dir, { recursive: true, force: true });
  }
}
await main();
