// The inner loop, side by side with plain Docker in the same run: a small app
// (busybox httpd serving index.html, built from a Dockerfile) under
// `kube-workbench run --watch` on the embedded cluster (Docker runtime, behind a
// NodePort Service), against the plain loop of `docker build` + `docker rm -f` +
// `docker run` of the same context after each save. Two figures, each the median
// of ROUNDS saves, from the file written to the new text answering on 127.0.0.1:
// a synced file (ours: sync into the running pod; plain Docker rebuilds and
// restarts), and a Dockerfile edit (ours: rebuild and roll out; the same for
// plain Docker). Everything made here is removed.
// Runs under `node --import tsx bench/run.mjs dev-loop` (it imports the
// TypeScript test support to start the cluster and build the base image).
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BIN } from '../test/integration/support/cluster-process.ts';
import { startDockerCluster } from '../test/integration/support/docker-cluster.ts';
import { httpdDockerfile, writeHttpdProject } from '../test/integration/support/httpd-workspace.ts';
import { freePort } from './lib/free-port.mjs';

export const title = 'Inner loop: save to served (run --watch vs docker build + run)';

const ROUNDS = 3;
const IMAGE = 'kube-workbench-bench/dev-loop';
const ANCHOR = 'kube-workbench-bench/dev-loop-plain';
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function sh(cmd, args) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 180_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${cmd} ${args.join(' ')}: ${stderr || error.message}`)) : resolve(stdout),
    );
  });
}

function get(port, path) {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve(res.statusCode === 200 ? body.trim() : undefined));
    });
    req.setTimeout(2000, () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

/** Milliseconds from `t0` until `path` on `port` answers `text` (polled every 10 ms). */
async function until(port, path, text, t0, seconds = 120) {
  const deadline = t0 + seconds * 1000;
  while (performance.now() < deadline) {
    if ((await get(port, path)) === text) return performance.now() - t0;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${path} on ${port} did not answer '${text}' within ${seconds} s`);
}

/** The Dockerfile instruction of edition `n` (served as /edition.html). */
const edition = (n) => `RUN echo ${n} > /www/edition.html`;
const dockerfile = (base, n) => httpdDockerfile(base, edition(n));

/** The plain loop after a save: build, replace the container, until it answers. */
async function plainLoop(ctx, tag, port, name) {
  await sh('docker', ['build', '-q', '-t', `${ANCHOR}:${tag}`, ctx]);
  await sh('docker', ['rm', '-f', name]).catch(() => undefined);
  await sh('docker', ['run', '-d', '--name', name, '-p', `127.0.0.1:${port}:8080`, `${ANCHOR}:${tag}`]);
}

export async function run() {
  const dc = await startDockerCluster();
  const project = join(dc.root, 'project');
  const plain = join(dc.root, 'plain');
  const container = `kw-bench-dev-loop-${process.pid}`;
  let watch;
  try {
    writeHttpdProject(project, { base: dc.image, image: IMAGE, name: 'dev-loop', text: 'text 0\n', extra: edition(0) });
    mkdirSync(plain);
    writeFileSync(join(plain, 'Dockerfile'), dockerfile(dc.image, 0));
    writeFileSync(join(plain, 'index.html'), 'text 0\n');

    let out = '';
    watch = spawn(process.execPath, [BIN, 'run', '--watch', project], {
      env: { ...process.env, KUBECONFIG: dc.cluster.kubeconfig },
    });
    watch.stdout.setEncoding('utf8').on('data', (c) => (out += c));
    watch.stderr.setEncoding('utf8').on('data', (c) => (out += c));
    const t0 = performance.now();
    while (!/^ready$/m.test(out)) {
      if (performance.now() - t0 > 120_000 || watch.exitCode !== null) throw new Error(`run --watch:\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const nodePort = Number(dc.kubectl(['get', 'svc', 'dev-loop', '-o', 'jsonpath={.spec.ports[0].nodePort}']).out);
    await until(nodePort, '/', 'text 0', performance.now());

    const plainPort = await freePort();
    await plainLoop(plain, 'e0', plainPort, container);
    await until(plainPort, '/', 'text 0', performance.now());

    const synced = [];
    const plainSynced = [];
    const rolled = [];
    const plainRolled = [];
    for (let i = 1; i <= ROUNDS; i++) {
      let start = performance.now();
      writeFileSync(join(project, 'index.html'), `text ${i}\n`);
      synced.push(await until(nodePort, '/', `text ${i}`, start));

      start = performance.now();
      writeFileSync(join(plain, 'index.html'), `text ${i}\n`);
      await plainLoop(plain, `t${i}`, plainPort, container);
      plainSynced.push(await until(plainPort, '/', `text ${i}`, start));

      start = performance.now();
      writeFileSync(join(project, 'Dockerfile'), dockerfile(dc.image, i));
      rolled.push(await until(nodePort, '/edition.html', String(i), start));

      start = performance.now();
      writeFileSync(join(plain, 'Dockerfile'), dockerfile(dc.image, i));
      await plainLoop(plain, `e${i}`, plainPort, container);
      plainRolled.push(await until(plainPort, '/edition.html', String(i), start));
    }
    const anchorName = 'docker build + run';
    return [
      {
        metric: 'save synced file -> new text served (median)',
        unit: 'ms',
        ours: median(synced),
        anchor: median(plainSynced),
        anchorName,
        better: 'lower',
      },
      {
        metric: 'save Dockerfile -> rebuilt, rolled out, served',
        unit: 'ms',
        ours: median(rolled),
        anchor: median(plainRolled),
        anchorName,
        better: 'lower',
      },
    ];
  } finally {
    if (watch && watch.exitCode === null) {
      const exited = new Promise((r) => watch.on('exit', r));
      watch.kill('SIGINT');
      await exited;
    }
    await sh('docker', ['rm', '-f', container]).catch(() => undefined);
    await dc.destroy();
    for (const repo of [IMAGE, ANCHOR]) {
      const tags = await sh('docker', ['images', repo, '--format', '{{.Repository}}:{{.Tag}}']).catch(() => '');
      for (const tag of tags.split('\n').filter((t) => t !== ''))
        await sh('docker', ['rmi', tag]).catch(() => undefined);
    }
  }
}
