import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { clusterStartArgv, START_COMMAND } from '../protocol/command-line';
import { parseStartArgs } from './args';

describe('cluster start options', () => {
  it('has defaults under XDG_STATE_HOME', () => {
    assert.deepEqual(parseStartArgs([], { XDG_STATE_HOME: '/state' }), {
      dataDir: '/state/kube-workbench/cluster',
      port: 0,
      nodes: 1,
    });
  });

  it('reads every option in both spellings', () => {
    const o = parseStartArgs(
      ['--data-dir', '/d', '--port=8080', '--nodes', '3', '--runtime=docker', '--ingress-port', '8081'],
      {},
    );
    assert.deepEqual(o, { dataDir: '/d', port: 8080, nodes: 3, runtime: 'docker', ingressPort: 8081 });
  });

  it('explains a bad option', () => {
    assert.throws(() => parseStartArgs(['--port', 'x'], {}), /--port needs a whole number from 0 to 65535, not 'x'/);
    assert.throws(() => parseStartArgs(['--runtime', 'podman'], {}), /--runtime is docker or fake, not 'podman'/);
    assert.throws(() => parseStartArgs(['--bogus'], {}), /unknown flag: --bogus/);
    assert.throws(() => parseStartArgs(['--kubernetes-version', 'latest'], {}), /needs a version such as 1.34/);
  });

  it('takes the metric resolution and the HPA sync period in whole seconds', () => {
    const o = parseStartArgs(['--metric-resolution', '2', '--horizontal-pod-autoscaler-sync-period=1'], {});
    assert.equal(o.metricResolution, 2);
    assert.equal(o.hpaSyncPeriod, 1);
    for (const bad of ['0', '1.5', '1e3', '3601', '-1'])
      assert.throws(() => parseStartArgs(['--metric-resolution', bad], {}), /needs a whole number from 1 to 3600/);
    assert.deepEqual(clusterStartArgv({ metricResolution: 2, hpaSyncPeriod: 1 }).slice(2), [
      '--metric-resolution',
      '2',
      '--horizontal-pod-autoscaler-sync-period',
      '1',
    ]);
  });

  it('takes the Kubernetes version the cluster serves', () => {
    assert.equal(parseStartArgs(['--kubernetes-version=1.36'], {}).kubernetesVersion, '1.36');
  });

  it('reads the node lifecycle timings', () => {
    const o = parseStartArgs(['--node-monitor-grace-period', '4s', '--default-toleration-seconds=2'], {});
    assert.equal(o.nodeMonitorGracePeriodMs, 4000);
    assert.equal(o.defaultTolerationSeconds, 2);
    assert.equal(parseStartArgs(['--node-monitor-grace-period=1500ms'], {}).nodeMonitorGracePeriodMs, 1500);
    for (const bad of ['4', '1.5s', '-1s', '0s', '2h', '1e3s', '']) {
      assert.throws(
        () => parseStartArgs(['--node-monitor-grace-period', bad], {}),
        /needs a duration from 100ms to 1h/,
      );
    }
    assert.throws(() => parseStartArgs(['--default-toleration-seconds', '2.5'], {}), /whole number from 0 to 86400/);
  });

  it('reads back the command line the extension builds', () => {
    const argv = clusterStartArgv({
      dataDir: '/storage/cluster',
      port: 0,
      nodes: 2,
      runtime: 'fake',
      ingressPort: 8081,
      allowHostPath: true,
      nodeMonitorGracePeriodMs: 4000,
      defaultTolerationSeconds: 2,
    });
    assert.deepEqual(argv.slice(0, START_COMMAND.length), ['cluster', 'start']);
    assert.deepEqual(parseStartArgs(argv.slice(START_COMMAND.length), {}), {
      dataDir: '/storage/cluster',
      port: 0,
      nodes: 2,
      runtime: 'fake',
      ingressPort: 8081,
      allowHostPath: true,
      nodeMonitorGracePeriodMs: 4000,
      defaultTolerationSeconds: 2,
    });
  });
});
