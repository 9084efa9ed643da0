import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  chooseContainer,
  debugConfigurationFor,
  debuggablePods,
  debuggableWorkloads,
  debugRequestOf,
  formatWorkloadRef,
  isDebugKind,
  parseWorkloadRef,
  podSpecContainers,
} from './debug-target';

function pod(
  name: string,
  options: { owner?: string; phase?: string; ready?: boolean; deleting?: boolean; created?: string } = {},
): Record<string, unknown> {
  return {
    kind: 'Pod',
    metadata: {
      name,
      creationTimestamp: options.created ?? '2025-01-01T00:00:00Z',
      ...(options.owner ? { ownerReferences: [{ uid: options.owner }] } : {}),
      ...(options.deleting ? { deletionTimestamp: '2025-01-01T00:01:00Z' } : {}),
    },
    status: {
      phase: options.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: options.ready === false ? 'False' : 'True' }],
      containerStatuses: [
        { name: 'app', state: (options.phase ?? 'Running') === 'Running' ? { running: {} } : { waiting: {} } },
      ],
    },
  };
}

const names = (pods: Record<string, unknown>[]) => pods.map((p) => (p.metadata as { name: string }).name);

describe('debug target', () => {
  it('reads kind/name references as kubectl spells them, and writes them back', () => {
    assert.deepEqual(parseWorkloadRef('deployment/web'), { kind: 'Deployment', name: 'web' });
    assert.deepEqual(parseWorkloadRef('Deploy/web-1'), { kind: 'Deployment', name: 'web-1' });
    assert.deepEqual(parseWorkloadRef('sts/db'), { kind: 'StatefulSet', name: 'db' });
    assert.deepEqual(parseWorkloadRef('pod/x.y'), { kind: 'Pod', name: 'x.y' });
    assert.equal(parseWorkloadRef('service/web'), undefined, 'a Service has no pods of its own');
    assert.equal(parseWorkloadRef('web'), undefined);
    assert.equal(parseWorkloadRef('deployment/Web'), undefined, 'names are lower case');
    assert.equal(parseWorkloadRef('constructor/web'), undefined);
    assert.equal(formatWorkloadRef({ kind: 'StatefulSet', name: 'db' }), 'statefulset/db');
    assert.equal(isDebugKind('Deployment'), true);
    assert.equal(isDebugKind('toString'), false);
  });

  it('lists the workloads and Pods of a manifest, in file order, with their namespaces', () => {
    const refs = debuggableWorkloads([
      { kind: 'ConfigMap', metadata: { name: 'c' } },
      { kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' } },
      { kind: 'Service', metadata: { name: 'web' } },
      { kind: 'Pod', metadata: { name: 'job' } },
    ]);
    assert.deepEqual(refs, [
      { kind: 'Deployment', name: 'web', namespace: 'shop' },
      { kind: 'Pod', name: 'job' },
    ]);
  });

  it('prefers the container whose spec has --inspect, else the first; a named one when asked', () => {
    const containers = [
      { name: 'proxy', command: ['envoy'] },
      { name: 'app', command: ['node'], args: ['--inspect=0.0.0.0:9230', 'server.js'], workingDir: '/srv' },
    ];
    assert.deepEqual(chooseContainer(containers), { container: 'app', port: 9230, workingDir: '/srv' });
    assert.deepEqual(chooseContainer([{ name: 'a', command: ['node', 'a.js'] }, { name: 'b' }]), {
      container: 'a',
      port: undefined,
      workingDir: undefined,
    });
    assert.deepEqual(chooseContainer(containers, 'proxy'), {
      container: 'proxy',
      port: undefined,
      workingDir: undefined,
    });
    assert.equal(chooseContainer(containers, 'nope'), 'no container nope (the pod has proxy, app)');
    assert.equal(chooseContainer([]), 'the pod has no containers');
    const viaEnv = [{ name: 'a' }, { name: 'b', env: [{ name: 'NODE_OPTIONS', value: '--inspect' }] }];
    assert.deepEqual(chooseContainer(viaEnv), { container: 'b', port: 9229, workingDir: undefined });
  });

  it('reads the containers of a Pod and of a workload’s pod template', () => {
    const containers = [{ name: 'app' }];
    assert.deepEqual(podSpecContainers({ kind: 'Pod', spec: { containers } }), containers);
    assert.deepEqual(
      podSpecContainers({ kind: 'Deployment', spec: { template: { spec: { containers } } } }),
      containers,
    );
    assert.deepEqual(podSpecContainers({ kind: 'Deployment' }), []);
  });

  it('picks running pods of the current owner, ready and newest first, never one being deleted', () => {
    const pods = [
      pod('old', { owner: 'rs-1' }),
      pod('leaving', { owner: 'rs-2', deleting: true }),
      pod('starting', { owner: 'rs-2', phase: 'Pending' }),
      pod('unready', { owner: 'rs-2', ready: false, created: '2025-01-01T00:05:00Z' }),
      pod('ready-older', { owner: 'rs-2', created: '2025-01-01T00:01:00Z' }),
      pod('ready-newer', { owner: 'rs-2', created: '2025-01-01T00:02:00Z' }),
    ];
    assert.deepEqual(names(debuggablePods(pods, 'rs-2')), ['ready-newer', 'ready-older', 'unready']);
    assert.deepEqual(names(debuggablePods(pods, 'rs-3')), []);
    assert.deepEqual(names(debuggablePods([pod('alone')])), ['alone']);
  });

  it('turns a kube-workbench launch configuration into a request, keeping the JavaScript debugger’s own fields', () => {
    const request = debugRequestOf({
      type: 'kube-workbench',
      request: 'attach',
      name: 'Debug web',
      workload: 'deployment/web',
      namespace: 'shop',
      port: '9230',
      localRoot: '/src',
      remoteRoot: '/app',
      manifest: 'k8s/web.yaml',
      cluster: 'embedded',
      skipFiles: ['<node_internals>/**'],
    });
    assert.deepEqual(request, {
      name: 'Debug web',
      workload: { kind: 'Deployment', name: 'web' },
      namespace: 'shop',
      port: 9230,
      localRoot: '/src',
      remoteRoot: '/app',
      manifest: 'k8s/web.yaml',
      cluster: 'embedded',
      passThrough: { skipFiles: ['<node_internals>/**'] },
    });
    assert.deepEqual(debugRequestOf({ name: 'p', pod: 'web-0' }), { name: 'p', pod: 'web-0', passThrough: {} });
  });

  it('says what is wrong with a launch configuration', () => {
    const problem = (config: Record<string, unknown>) => {
      const r = debugRequestOf(config);
      return typeof r === 'string' ? r : 'accepted';
    };
    assert.match(problem({ name: 'x' }), /name what to debug/);
    assert.match(problem({ workload: 'service/web' }), /workload must name a Deployment/);
    assert.match(problem({ workload: 'deployment/web', pod: 'p' }), /either workload or pod/);
    assert.match(problem({ pod: 'p', port: 70000 }), /port must be a port number/);
    assert.match(problem({ pod: 'p', request: 'launch' }), /request must be "attach"/);
    assert.match(problem({ pod: 3 }), /pod must be a string/);
  });

  it('offers a launch configuration for a workload of the workspace, with the container’s working directory', () => {
    const deployment = {
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { template: { spec: { containers: [{ name: 'app', workingDir: '/srv/web' }] } } },
    };
    assert.deepEqual(debugConfigurationFor({ kind: 'Deployment', name: 'web', namespace: 'shop' }, deployment), {
      type: 'kube-workbench',
      request: 'attach',
      name: 'Kube Workbench: deployment/web',
      workload: 'deployment/web',
      namespace: 'shop',
      localRoot: '${workspaceFolder}',
      remoteRoot: '/srv/web',
    });
    const config = debugConfigurationFor({ kind: 'Pod', name: 'p' }, { kind: 'Pod', spec: { containers: [] } });
    assert.equal(config.remoteRoot, '/app');
    assert.equal(typeof debugRequestOf(config), 'object', 'the offered configuration reads back');
  });
});
