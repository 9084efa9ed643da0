import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { containerCreateBody } from './docker-container-spec';
import { LABEL } from './docker-labels';
import { sandboxCreateBody } from './docker-sandbox-spec';
import { canOwnNetwork, ownerCreateBody, OwnedNetworks, ownsNetwork, withFixedIp } from './owned-networks';
import type { PodSandboxConfig } from './runtime';

const app = { name: 'main', image: 'img:1', ports: [{ containerPort: 80, hostPort: 8080 }] };

describe('canOwnNetwork', () => {
  it('takes a pod of one app container with nothing for a sandbox to prepare', () => {
    assert.equal(canOwnNetwork({ containers: [app] }, false), true);
    assert.equal(canOwnNetwork({ containers: [app], volumes: [{ name: 'c', configMap: { name: 'x' } }] }, false), true);
  });

  it('leaves the others to a sandbox', () => {
    const no = [
      [{ containers: [app, { ...app, name: 'b' }] }, false],
      [{ containers: [app], initContainers: [app] }, false],
      [{ containers: [app], ephemeralContainers: [app] }, false],
      [{ containers: [app], hostNetwork: true }, false],
      [{ containers: [app], shareProcessNamespace: true }, false],
      [{ containers: [app] }, true], // an emptyDir to prepare
      [{ containers: [] }, false],
      [{ containers: 'main' }, false],
    ] as const;
    for (const [spec, prepared] of no) assert.equal(canOwnNetwork(spec, prepared), false, JSON.stringify(spec));
  });
});

describe('ownerCreateBody', () => {
  const config: PodSandboxConfig = {
    podUid: 'uid-1234567890',
    namespace: 'ns',
    name: 'web-0',
    labels: {},
    annotations: {},
    hostname: 'web-0',
    podSpec: { containers: [app], subdomain: 'web' },
  };
  const place = { labels: { [LABEL.cluster]: 'c1' }, network: 'kw-net', image: '', suffix: 's', clusterId: 'c1' };
  const container = containerCreateBody(
    { name: 'main', image: 'img:1', env: [], spec: app, attempt: 0, init: false },
    { sandboxId: 'stand-in', sandbox: config, labels: place.labels, mounts: [], suffix: 't' },
  );

  it('is the app container with what the sandbox would hold: hostname, DNS, aliases, hostPorts, the fixed IP', () => {
    const body = ownerCreateBody(container, sandboxCreateBody(config, place), 'kw-net', '10.0.128.5');
    assert.equal(body.Image, 'img:1');
    assert.equal(body.Hostname, 'web-0');
    assert.equal(body.Domainname, 'web.ns.svc.cluster.local');
    const labels = body.Labels as Record<string, string>;
    assert.equal(labels[LABEL.sandbox], undefined, 'joins nothing');
    assert.equal(labels[LABEL.role], 'container');
    assert.equal(labels[LABEL.container], 'main');
    assert.equal(ownsNetwork(labels), true);
    assert.equal(labels[LABEL.podIp], '10.0.128.5');
    const host = body.HostConfig as Record<string, unknown>;
    assert.equal(host.NetworkMode, 'kw-net');
    assert.deepEqual(host.DnsSearch, ['ns.svc.cluster.local', 'svc.cluster.local', 'cluster.local']);
    assert.deepEqual(host.PortBindings, { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }] });
    const endpoint = (body.NetworkingConfig as { EndpointsConfig: Record<string, Record<string, unknown>> })
      .EndpointsConfig['kw-net'];
    assert.deepEqual(endpoint?.IPAMConfig, { IPv4Address: '10.0.128.5' });
    assert.ok((endpoint?.Aliases as string[]).includes('web-0.web.ns.svc.cluster.local'));
  });

  it('gives a sandbox the fixed IP and its label, leaving the rest', () => {
    const plain = sandboxCreateBody(config, place);
    const fixed = withFixedIp(plain, 'kw-net', '10.0.128.6');
    assert.equal((fixed.Labels as Record<string, string>)[LABEL.podIp], '10.0.128.6');
    assert.equal((fixed.Labels as Record<string, string>)[LABEL.role], 'sandbox');
    assert.deepEqual(fixed.HostConfig, plain.HostConfig);
    assert.equal((plain.Labels as Record<string, string>)[LABEL.podIp], undefined, 'not changed in place');
  });
});

describe('OwnedNetworks', () => {
  it('knows a pod by its owner and by the sandbox that took over, and forgets both together', () => {
    const owned = new OwnedNetworks();
    const net = owned.owner('o1', { [LABEL.podUid]: 'p', [LABEL.podIp]: '10.0.0.5' });
    assert.deepEqual(net, { podUid: 'p', ip: '10.0.0.5', owner: 'o1' });
    assert.equal(owned.takenOver('s0', { [LABEL.podUid]: 'p' }), undefined, 'a plain sandbox');
    const same = owned.takenOver('s1', { [LABEL.takesOver]: 'o1', [LABEL.podUid]: 'p' });
    assert.equal(same, net);
    assert.equal(owned.get('s1'), net);
    assert.equal(net.sandbox, 's1');
    assert.equal(OwnedNetworks.joined(net, 'o1'), true);
    assert.equal(OwnedNetworks.joined(net, 's1'), true);
    assert.equal(OwnedNetworks.joined(net, 'other'), false);
    assert.equal(OwnedNetworks.joined(net, undefined), false);
    owned.forget('s1');
    assert.equal(owned.get('o1'), undefined);
    assert.equal(owned.get('s1'), undefined);
  });

  it('learns an owner from the sandbox’s labels alone (after a restart)', () => {
    const owned = new OwnedNetworks();
    const net = owned.takenOver('s1', { [LABEL.takesOver]: 'o1', [LABEL.podUid]: 'p', [LABEL.podIp]: '10.0.0.7' });
    assert.deepEqual(net, { podUid: 'p', ip: '10.0.0.7', owner: 'o1', sandbox: 's1' });
    assert.equal(owned.get('o1'), net);
  });
});
