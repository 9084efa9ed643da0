// Run with a rebuild, side by side with plain Docker in the same run: from a
// changed source file of a small Python web app to the new code answering.
// Ours: `kube-workbench run` (hash the context, build the image, apply the
// Deployment with the new tag, roll it out) until the Service on 127.0.0.1
// answers with the new text (the run must also exit 0). Anchor: `docker build` of the same
// context + `docker rm -f` of the old container + `docker run -d -p` until it
// answers with the new text. Median of ROUNDS edits, after one warm-up of each.
// Only 127.0.0.1 and this run's own containers are contacted; everything made
// here is removed. Runs under `node --import tsx bench/run.mjs run-rebuild`.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
/* global AbortSignal */
import { pythonImage } from '../test/support/language-images.ts';
import { BIN } from '../test/integration/support/cluster-process.ts';
import { startDockerCluster } from '../test/integration/support/docker-cluster.ts';
import { appSource, writePythonWorkspace } from '../test/integration/support/python-web-workspace.ts';
import { freePort } from './lib/free-port.mjs';

export const title = 'Inner loop: Run with rebuild (kube-workbench run)';

const ROUNDS = 3;
const NAME = 'bench-py-web';
const ANCHOR_LABEL = 'kube-workbench-bench=run-rebuild';
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function sh(cmd, args, env = {}) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 300_000, env: { ...process.env, ...env } }, (error, stdout, stderr) =>
      error ? reject(new Error(`${cmd} ${args.join(' ')}: ${stderr || error.message}`)) : resolve(stdout),
    );
  });
}

/** Polls http://127.0.0.1:port/ until the body contains `text` (60 s at most). */
async function answers(port, text) {
  const end = Date.now() + 60_000;
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2_000) });
      if ((await res.text()).includes(text)) return;
    } catch {
      // not up yet
    }
    if (Date.now() > end) throw new Error(`127.0.0.1:${port} never answered '${text}'`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function kubeWorkbenchRun(root, kubeconfig) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'run', root], { env: { ...process.env, KUBECONFIG: kubeconfig } });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`run exited ${code}:\n${out}`))));
  });
}

export async function run() {
  const base = await pythonImage();
  const dc = await startDockerCluster();
  const root = mkdtempSync(join(tmpdir(), 'kw-bench-run-'));
  const anchorPort = await freePort();
  const anchorImage = `kw-bench/py-web-anchor`;
  const anchorIds = [];
  try {
    const files = writePythonWorkspace(root, base, NAME, `warm ${root}`);
    await kubeWorkbenchRun(root, dc.cluster.kubeconfig);
    const nodePort = Number(dc.kubectl(['get', 'svc', NAME, '-o', 'jsonpath={.spec.ports[0].nodePort}']).out);
    await answers(nodePort, `warm ${root}`);
    const ours = [];
    for (let i = 0; i < ROUNDS; i++) {
      const text = `ours ${i} ${root}`;
      writeFileSync(files.app, appSource(text));
      const t0 = performance.now();
      // The new code answers once the rollout has replaced the pod; `run` exits a little later (it waits 2 s
      // for the workload to stay ready). Both must happen; the time is to the first answer.
      const finished = kubeWorkbenchRun(root, dc.cluster.kubeconfig);
      await answers(nodePort, text);
      ours.push(performance.now() - t0);
      await finished;
    }

    const anchorRound = async (text) => {
      writeFileSync(files.app, appSource(text));
      const t0 = performance.now();
      const tag = `${anchorImage}:${Date.now()}`;
      await sh('docker', ['build', '-q', '-t', tag, join(root, 'app')], { DOCKER_BUILDKIT: '0' });
      for (const id of anchorIds.splice(0)) await sh('docker', ['rm', '-f', id]);
      const id = (
        await sh('docker', ['run', '-d', '--label', ANCHOR_LABEL, '-p', `127.0.0.1:${anchorPort}:8080`, tag])
      ).trim();
      anchorIds.push(id);
      await answers(anchorPort, text);
      return performance.now() - t0;
    };
    await anchorRound(`anchor warm ${root}`);
    const anchor = [];
    for (let i = 0; i < ROUNDS; i++) anchor.push(await anchorRound(`anchor ${i} ${root}`));
    return [
      {
        metric: 'changed file to new code answering (rebuild)',
        unit: 's',
        ours: median(ours) / 1000,
        anchor: median(anchor) / 1000,
        anchorName: 'docker build + run',
        better: 'lower',
      },
    ];
  } finally {
    for (const id of anchorIds) await sh('docker', ['rm', '-f', id]).catch(() => undefined);
    const images = (await sh('docker', ['images', '-q', anchorImage]).catch(() => '')).split('\n').filter(Boolean);
    if (images.length > 0) await sh('docker', ['rmi', '-f', ...new Set(images)]).catch(() => undefined);
    await dc.destroy();
    rmSync(root, { recursive: true, force: true });
  }
}
