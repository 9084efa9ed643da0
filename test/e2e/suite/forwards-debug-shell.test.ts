import * as assert from 'node:assert/strict';
import { request } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import * as vscode from 'vscode';
import type { KubeWorkbenchApi } from '../../../client/src/extension.js';
import type { PodShell } from '../../../client/src/explorer/pod-terminal.js';
import { dockerAnswers, ensureBusyboxImage } from '../shared/busybox-image.js';
import { KubeApi } from '../shared/kube-api.js';
import { screenshot } from '../shared/screenshot.js';
import { waitFor } from '../shared/wait-for.js';

const EXTENSION_ID = 'kube-workbench.kube-workbench';
const IMAGE = 'kube-workbench-e2e/httpd:1.0';
const NAME = 'forward-demo';
const LONG = 120_000;

interface Listed {
  name: string;
  url: string;
  state: string;
}

function get(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { connection: 'close' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve(body.trim()));
    });
    req.on('error', reject);
    req.end();
  });
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

const listed = () => vscode.commands.executeCommand<Listed[]>('kubeWorkbench.listNamedPortForwards');
const stateOf = async (name: string) => (await listed()).find((f) => f.name === name)?.state ?? '';

suite('Port forwards that last, and Debug Shell', function () {
  this.timeout(LONG * 2);
  let api: KubeWorkbenchApi;
  let kube: KubeApi;
  let docker = false;

  suiteSetup(async function () {
    const extension = vscode.extensions.getExtension<KubeWorkbenchApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    api = await extension.activate();
    docker = dockerAnswers() && ensureBusyboxImage(IMAGE);
    if (!docker) return;
    await vscode.workspace
      .getConfiguration('kubeWorkbench')
      .update('embeddedCluster.runtime', 'docker', vscode.ConfigurationTarget.Global);
    kube = new KubeApi(await vscode.commands.executeCommand<string>('kubeWorkbench.embeddedKubeconfig'));
    const created = await kube.call('POST', '/apis/apps/v1/namespaces/default/deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: NAME },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: NAME } },
        template: {
          metadata: { labels: { app: NAME } },
          spec: {
            terminationGracePeriodSeconds: 1,
            containers: [
              {
                name: 'httpd',
                image: IMAGE,
                command: [
                  '/bin/sh',
                  '-c',
                  'echo "hello from $(hostname)" > /www/index.html; exec httpd -f -p 8080 -h /www',
                ],
                ports: [{ containerPort: 8080 }],
                readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 },
              },
            ],
          },
        },
      },
    });
    assert.ok(created.status === 201 || created.status === 409, `created the Deployment (${created.status})`);
  });

  suiteTeardown(async function () {
    this.timeout(LONG);
    for (const f of (await listed()) ?? [])
      await vscode.commands.executeCommand('kubeWorkbench.removeNamedPortForward', f.name);
    if (!docker) return;
    await kube.call('DELETE', `/apis/apps/v1/namespaces/default/deployments/${NAME}`).catch(() => undefined);
    await vscode.commands.executeCommand('kubeWorkbench.stopEmbeddedCluster');
    await vscode.workspace
      .getConfiguration('kubeWorkbench')
      .update('embeddedCluster.runtime', undefined, vscode.ConfigurationTarget.Global);
  });

  const pods = async () => {
    const { json } = await kube.call('GET', `/api/v1/namespaces/default/pods?labelSelector=app%3D${NAME}`);
    return (
      (
        json as {
          items?: {
            metadata: { name: string; deletionTimestamp?: string };
            status?: { conditions?: { type: string; status: string }[] };
          }[];
        }
      ).items ?? []
    ).filter(
      (p) =>
        !p.metadata.deletionTimestamp && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
    );
  };

  test('a named forward to a Deployment keeps answering after a rollout restart; a taken port is the reason it waits', async function () {
    if (!docker) return this.skip(); // needs real containers to answer HTTP
    this.timeout(LONG * 2);
    await waitFor(pods, (p) => p.length === 1, 'the Deployment’s pod to be ready', LONG);
    const node = await waitFor(
      () => api.clusterExplorer.find('Deployment', NAME, 'default'),
      (n) => n !== undefined,
      'the tree to show the Deployment',
      LONG,
    );
    const port = await freePort();
    const added = await vscode.commands.executeCommand<Listed | undefined>('kubeWorkbench.addNamedPortForward', node, {
      name: 'web',
      remotePort: 8080,
      localPort: port,
    });
    assert.equal(added?.url, `http://127.0.0.1:${port}`);
    await waitFor(
      () => stateOf('web'),
      (s) => s.startsWith('active → pod forward-demo-'),
      'the forward active',
      LONG,
    );
    const first = await get(port);
    assert.match(first, /^hello from forward-demo-/);

    // What `kubectl rollout restart` does: a new annotation on the pod template, so every pod is replaced.
    const { json } = await kube.call('GET', `/apis/apps/v1/namespaces/default/deployments/${NAME}`);
    const d = json as { spec: { template: { metadata: { annotations?: Record<string, string> } } } };
    d.spec.template.metadata.annotations = {
      ...d.spec.template.metadata.annotations,
      'kubectl.kubernetes.io/restartedAt': new Date().toISOString(),
    };
    const put = await kube.call('PUT', `/apis/apps/v1/namespaces/default/deployments/${NAME}`, d);
    assert.equal(put.status, 200);
    const second = await waitFor(
      () => get(port).catch(() => ''),
      (body) => body.startsWith('hello from forward-demo-') && body !== first,
      'an answer from the new pod',
      LONG,
    );
    const newPod = second.replace('hello from ', '');
    await waitFor(
      () => stateOf('web'),
      (st) => st === `active → pod ${newPod}`,
      'the view to name the new pod',
      LONG,
    );

    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as AddressInfo).port;
    await vscode.commands.executeCommand('kubeWorkbench.addNamedPortForward', `deployment/${NAME}`, {
      name: 'blocked',
      remotePort: 8080,
      localPort: taken,
    });
    assert.equal(await stateOf('blocked'), `waiting: local port ${taken} is taken by another program`);
    await vscode.commands.executeCommand('kubeWorkbench.portForwards.focus');
    await new Promise((resolve) => setTimeout(resolve, 500)); // let the view paint before the screenshot
    await screenshot('e2e-port-forwards-view');
    await new Promise((resolve) => blocker.close(resolve));
    await waitFor(
      () => stateOf('blocked'),
      (s) => s.startsWith('active'),
      'the freed port to be forwarded',
      LONG,
    );
    assert.match(await get(taken), /^hello from forward-demo-/);
  });

  test('Debug Shell opens a terminal in an ephemeral container that sees the pod’s processes', async function () {
    if (!docker) return this.skip(); // the fake runtime has no processes
    this.timeout(LONG * 2);
    const [pod] = await waitFor(pods, (p) => p.length === 1, 'one ready pod', LONG);
    const node = await waitFor(
      () =>
        api.clusterExplorer
          .walk(api.clusterExplorer.find('Deployment', NAME, 'default'), 2)
          .find((n) => n.contextValue === 'resource.Pod' && n.label === pod?.metadata.name),
      (n) => n !== undefined,
      'the tree to show the pod',
      LONG,
    );
    const shell = await vscode.commands.executeCommand<PodShell | undefined>('kubeWorkbench.debugShell', node);
    assert.ok(shell, 'a debug shell opened');
    shell.terminal.sendText('ps -o pid,args');
    const text = await waitFor(
      () => shell.transcript(),
      (t) => t.includes('httpd -f -p 8080'),
      'the debug shell to list the target’s processes',
      LONG,
    );
    assert.ok(text.includes('ps -o pid,args'));
    await screenshot('e2e-debug-shell');
    shell.terminal.sendText('exit');
    assert.match(await shell.exited, /debug shell ended/);
    shell.terminal.dispose();
  });
});
