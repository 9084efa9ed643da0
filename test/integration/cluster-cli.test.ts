/**
 * The `kube-workbench` command line as a user types it (issue #17, item 15):
 * help on every command and after any subcommand, `--version`, usage errors
 * with a hint (exit 2), and `cluster status|list|stop|delete` against a real
 * cluster on Docker: stop leaves no container of the cluster running, delete
 * leaves no container, volume, network or data directory, and neither touches
 * a container the cluster did not create. Needs `npm run build` first.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LABEL } from '../../client/orchestrator/kubelet/docker-labels.js';
import { BIN } from './support/cluster-process.js';
import { eventually, startDockerCluster, type DockerCluster } from './support/docker-cluster.js';

const ROOT = join(__dirname, '..', '..');

interface Run {
  code: number | null;
  out: string;
  err: string;
}

function kw(args: string[], env: Record<string, string> = {}): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, ...env },
  });
  assert.equal(r.error, undefined, `kube-workbench ${args.join(' ')} did not finish: ${String(r.error)}`);
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('kube-workbench help, version and usage errors', () => {
  it('prints help for --help, -h and no command, listing the commands, exit 0', () => {
    for (const args of [['--help'], ['-h'], []]) {
      const r = kw(args);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /usage: kube-workbench <command>/);
      assert.match(r.out, /^ {2}validate /m);
      assert.match(r.out, /^ {2}cluster /m);
    }
  });

  it('prints the version of package.json for --version', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = kw(['--version']);
    assert.equal(r.code, 0);
    assert.equal(r.out, `kube-workbench ${version}\n`);
  });

  it('prints a command’s help for --help or -h anywhere after it, exit 0', () => {
    for (const args of [
      ['cluster', '--help'],
      ['cluster', 'stop', '--help'],
      ['cluster', 'delete', '--data-dir', '/nowhere', '-h'],
      ['cluster', 'start', '--port', '0', '--help'],
      ['help', 'cluster'],
    ]) {
      const r = kw(args);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.err}`);
      assert.match(r.out, /^usage: kube-workbench cluster|\nusage: kube-workbench cluster/, args.join(' '));
    }
    assert.match(kw(['cluster', 'status', '-h']).out, /^usage: kube-workbench cluster status \[--data-dir DIR\]/);
  });

  it('answers an unknown command or flag with exit 2 and where to look', () => {
    const cases: [string[], RegExp][] = [
      [['bogus'], /^kube-workbench: unknown command 'bogus'\nRun 'kube-workbench --help' for usage\.\n$/],
      [['--bogus'], /unknown flag: --bogus/],
      [['cluster', 'bogus'], /unknown command 'bogus'\nRun 'kube-workbench cluster --help' for usage/],
      [['cluster', 'stop', '--force'], /unknown flag: --force\nSee 'kube-workbench cluster stop --help' for usage/],
      [['cluster', 'start', '--bogus'], /unknown flag: --bogus\nSee 'kube-workbench cluster start --help'/],
      [['cluster', 'status', 'extra'], /unexpected argument 'extra'/],
      [['cluster', 'stop', '--grace-period', '1.5'], /--grace-period needs whole seconds/],
    ];
    for (const [args, message] of cases) {
      const r = kw(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, message);
    }
  });

  it('refuses to delete a directory that is not a cluster’s data directory, removing nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kw-not-a-cluster-'));
    try {
      writeFileSync(join(dir, 'precious.txt'), 'keep me');
      const r = kw(['cluster', 'delete', '--data-dir', dir]);
      assert.equal(r.code, 1);
      assert.match(r.err, /is not a kube-workbench cluster's data directory; nothing removed/);
      assert.equal(readFileSync(join(dir, 'precious.txt'), 'utf8'), 'keep me');
      const status = kw(['cluster', 'status', '--data-dir', dir]);
      assert.equal(status.code, 1);
      assert.match(status.out, /status: no cluster here/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('cluster status, list, stop and delete on Docker', () => {
  let dc: DockerCluster;
  let state = '';
  const foreign: string[] = [];
  const running = (id: string) =>
    execFileSync('docker', ['inspect', '-f', '{{.State.Running}}', id], { encoding: 'utf8' }).trim() === 'true';
  before(async () => {
    dc = await startDockerCluster();
    state = mkdtempSync(join(tmpdir(), 'kw-state-'));
    // A stopped cluster under the default state directory, which `list` must find.
    mkdirSync(join(state, 'kube-workbench', 'old'), { recursive: true });
    writeFileSync(join(state, 'kube-workbench', 'old', 'token'), 'x\n');
    // Containers the cluster did not create: one unlabelled, one of another cluster.
    for (const labels of [[], ['--label', `${LABEL.cluster}=someone-else`]])
      foreign.push(
        execFileSync('docker', ['run', '-d', ...labels, dc.image, 'sleep', '3600'], { encoding: 'utf8' }).trim(),
      );
    dc.apply(`apiVersion: v1
kind: Pod
metadata: {name: sleeper}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - {name: main, image: ${dc.image}, command: [sleep, '3600'], volumeMounts: [{name: scratch, mountPath: /scratch}]}
  volumes: [{name: scratch, emptyDir: {}}]
`);
    await eventually('the pod runs', 60, () => /1\/1\s+Running/.test(dc.kubectl(['get', 'pod', 'sleeper']).out));
  });
  after(async () => {
    for (const id of foreign) spawnSync('docker', ['rm', '-f', id]);
    await dc?.destroy();
    if (state) rmSync(state, { recursive: true, force: true });
  });

  it('status says it runs, with its API URL, nodes and version', () => {
    const r = kw(['cluster', 'status', '--data-dir', dc.cluster.dataDir]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^status: running \(pid \d+, since /m);
    assert.match(r.out, new RegExp(`^api: ${dc.cluster.api.replace(/[.]/g, '\\.')}$`, 'm'));
    assert.match(r.out, /^version: v1\.\d+\.\d+/m);
    assert.match(r.out, /^runtime: docker$/m);
    assert.match(r.out, /^nodes: kube-workbench-node-1 Ready$/m);
  });

  it('list shows the clusters under the state directory and the data directory given', () => {
    const r = kw(['cluster', 'list', '--data-dir', dc.cluster.dataDir], { XDG_STATE_HOME: state });
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trim().split('\n');
    assert.match(lines[0]!, /^DATA DIR\s+STATUS\s+API\s+VERSION$/);
    assert.ok(
      lines.some((l) => l.startsWith(join(state, 'kube-workbench', 'old')) && /\sstopped\s+-\s+-$/.test(l)),
      r.out,
    );
    assert.ok(
      lines.some((l) => l.startsWith(dc.cluster.dataDir) && l.includes(` running  ${dc.cluster.api}`)),
      r.out,
    );
  });

  it('stop waits until the process has exited and its containers are stopped, touching no other container', async () => {
    assert.ok((await dc.containers()).some((c) => c.state === 'running'));
    const r = kw(['cluster', 'stop', '--data-dir', dc.cluster.dataDir, '--grace-period', '1']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /stopped \d+ containers/);
    const pid = dc.cluster.child.pid!;
    assert.equal(existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z '), false);
    const left = await dc.containers();
    assert.ok(left.length > 0, 'stop keeps the containers');
    assert.deepEqual(
      left.filter((c) => c.state === 'running'),
      [],
    );
    assert.ok(foreign.every(running), 'containers the cluster did not create still run');
    const status = kw(['cluster', 'status', '--data-dir', dc.cluster.dataDir]);
    assert.equal(status.code, 1);
    assert.match(status.out, /^status: stopped$/m);
    const again = kw(['cluster', 'stop', '--data-dir', dc.cluster.dataDir]);
    assert.equal(again.code, 0, again.err);
    assert.match(again.out, /is not running/);
  });

  it('delete removes its containers, volumes, network and data directory, and nothing else', async () => {
    const label = { [LABEL.cluster]: dc.clusterId };
    assert.ok((await dc.engine.volumesByLabels(label)).length > 0, 'the emptyDir made a volume');
    const r = kw(['cluster', 'delete', '--data-dir', dc.cluster.dataDir]);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(await dc.containers(), []);
    assert.deepEqual(await dc.engine.volumesByLabels(label), []);
    assert.deepEqual(await dc.engine.networksByLabels(label), []);
    assert.equal(existsSync(dc.cluster.dataDir), false);
    assert.ok(foreign.every(running), 'containers the cluster did not create still run');
    const again = kw(['cluster', 'delete', '--data-dir', dc.cluster.dataDir]);
    assert.equal(again.code, 0, again.err);
    assert.match(again.out, /no cluster data in/);
  });
});
