// Where the cluster process's CPU goes while `kubectl apply` of Deployment(3) + NodePort Service runs until the
// three pods answer through the node port (the bench's apply rounds, with its polling every 10 ms): the cluster
// runs with `--cpu-prof`, cycles are applied and deleted, and only the profile's samples inside the apply windows
// (apply start to the third pod's answer) are counted, by self and inclusive time.
// Not a bench (npm run bench does not run it): `node --import tsx bench/apply-cpu-profile.mjs [cycles] [DIR]`
// (the profile stays in DIR when given). Only this run's cluster and containers are touched.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startClusterAt } from './lib/cluster-at.mjs';
import { dockerBench } from './lib/docker-bench.mjs';
import { webManifest } from './lib/httpd-web.mjs';

const cycles = Number(process.argv[2] ?? 3);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const sh = (cmd, args, input) =>
  new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { timeout: 120_000 }, (e, out, err) =>
      e ? reject(new Error(err || e.message)) : resolve(out),
    );
    if (input !== undefined) child.stdin.end(input);
  });
const get = (port) =>
  new Promise((resolve) => {
    const req = request(
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

/** Self and inclusive ms per function of the samples inside the windows (µs on the profile's clock). */
function summarize(profile, windows) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (n) => {
    const { functionName, url, lineNumber } = n.callFrame;
    return `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
  };
  const self = new Map();
  const inclusive = new Map();
  let t = profile.startTime;
  let total = 0;
  let idle = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    if (!windows.some(([a, b]) => t >= a && t <= b)) continue;
    const dt = profile.timeDeltas[i + 1] ?? 0;
    const node = nodes.get(profile.samples[i]);
    total += dt;
    if (node.callFrame.functionName === '(idle)') {
      idle += dt;
      continue;
    }
    self.set(name(node), (self.get(name(node)) ?? 0) + dt);
    const seen = new Set();
    for (let id = node.id; id !== undefined; id = parent.get(id)) {
      const key = name(nodes.get(id));
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + dt);
    }
  }
  return { total, idle, self, inclusive };
}

export async function main() {
  const { engine, image, clusterIdFor, removeCluster } = await dockerBench();
  const dir = mkdtempSync(join(tmpdir(), 'kw-apply-prof-'));
  const profileDir = process.argv[3] ?? join(dir, 'profile');
  mkdirSync(profileDir, { recursive: true });
  const dataDir = join(dir, 'data');
  const cluster = await startClusterAt(
    process.cwd(),
    dataDir,
    ['--runtime', 'docker'],
    ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--cpu-prof-interval', '200'],
  );
  const kubectl = (args, input) =>
    sh('kubectl', ['--kubeconfig', join(dataDir, 'kubeconfig'), '--cache-dir', join(dir, 'cache'), ...args], input);
  const windows = [];
  try {
    const nodePort = 30000 + (process.pid % 2700);
    const manifest = webManifest(image, nodePort);
    await kubectl(['apply', '--dry-run=server', '-f', '-'], manifest); // warm caches, as the bench does
    await sleep(1000);
    for (let c = 0; c < cycles; c++) {
      const t0 = process.hrtime.bigint();
      await kubectl(['apply', '-f', '-'], manifest);
      const seen = new Set();
      const deadline = Date.now() + 120_000;
      while (seen.size < 3) {
        if (Date.now() > deadline) throw new Error(`only ${seen.size} of 3 pods answered in 120 s`);
        const body = await get(nodePort);
        if (body) seen.add(body);
        await sleep(10);
      }
      const t1 = process.hrtime.bigint();
      windows.push([Number(t0 / 1000n), Number(t1 / 1000n)]);
      console.log(`apply ${c}: ${(Number(t1 - t0) / 1e9).toFixed(2)} s`);
      await kubectl(['delete', '-f', '-'], manifest);
      while ((await kubectl(['get', 'pods', '-o', 'name'])).trim() !== '') await sleep(100);
      await sleep(1500);
    }
  } finally {
    cluster.child.kill('SIGINT');
    await new Promise((resolve) => cluster.child.once('exit', resolve));
    await removeCluster(engine, clusterIdFor(dataDir));
  }
  const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no profile written in ${profileDir}`);
  const { total, idle, self, inclusive } = summarize(JSON.parse(readFileSync(join(profileDir, file), 'utf8')), windows);
  const ms = (us) => (us / 1000).toFixed(0).padStart(6);
  console.log(
    `${windows.length} applies: ${ms(total)} ms in the windows, busy ${ms(total - idle)} ms (${ms((total - idle) / windows.length)} per apply)`,
  );
  const top = (map, n) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n);
  console.log('--- self');
  for (const [k, v] of top(self, 25)) console.log(ms(v), k);
  console.log('--- inclusive');
  for (const [k, v] of top(inclusive, 40)) console.log(ms(v), k);
  if (process.argv[3] === undefined) rmSync(dir, { recursive: true, force: true });
}

await main();
