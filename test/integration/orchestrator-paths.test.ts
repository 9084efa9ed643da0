/**
 * Issue #12, finding 3: a name or namespace in a URL never escapes its path segment. `%2e%2e` used to
 * be resolved to the parent path (DELETE of configmaps/%2e%2e deleted the namespace); names that could
 * not be one segment of a key get Kubernetes' 400, namespaces that could not exist a 404.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { BUNDLE, clusterFixture } from './support/cluster-process';
import { rawRequest, statusMessage } from './support/raw-api';

describe(
  'paths with encoded dots and slashes',
  { skip: existsSync(BUNDLE) ? false : 'run `npm run build` first' },
  () => {
    const f = clusterFixture('kw-paths-');
    const ns = '/api/v1/namespaces/victim';

    const intact = async () => {
      const space = await rawRequest(f.cluster, 'GET', ns);
      assert.equal(space.status, 200, space.body);
      const parsed = JSON.parse(space.body) as { metadata: { labels?: Record<string, string> }; status?: unknown };
      assert.equal(parsed.metadata.labels?.pwned, undefined, 'the namespace was not labelled');
      assert.equal(parsed.metadata.labels?.['kubernetes.io/metadata.name'] ?? 'victim', 'victim');
      const cm = await rawRequest(f.cluster, 'GET', `${ns}/configmaps/keep`);
      assert.equal(cm.status, 200, cm.body);
      assert.equal((JSON.parse(space.body) as { status?: { phase?: string } }).status?.phase ?? 'Active', 'Active');
    };

    it('sets up a namespace with a ConfigMap', async () => {
      f.ok(['create', 'namespace', 'victim']);
      f.ok(['-n', 'victim', 'create', 'configmap', 'keep', '--from-literal=a=b']);
      await intact();
    });

    it('DELETE configmaps/%2e%2e is a 400 and deletes nothing', async () => {
      for (const dots of ['%2e%2e', '%2E%2E', '.%2e', '%2e']) {
        const r = await rawRequest(f.cluster, 'DELETE', `${ns}/configmaps/${dots}`);
        assert.equal(r.status, 400, `${dots}: ${r.body}`);
        const name = decodeURIComponent(dots);
        assert.equal(statusMessage(r.body), `Name parameter invalid: "${name}": may not be '${name}'`);
        assert.equal((JSON.parse(r.body) as { reason: string }).reason, 'BadRequest');
      }
      await intact();
    });

    it('PATCH secrets/%2e%2e does not label the namespace', async () => {
      const r = await rawRequest(f.cluster, 'PATCH', `${ns}/secrets/%2e%2e`, {
        body: { metadata: { labels: { pwned: 'yes' } } },
        contentType: 'application/merge-patch+json',
      });
      assert.equal(r.status, 400, r.body);
      await intact();
    });

    it('names with an encoded / or % are refused with Kubernetes words', async () => {
      const slash = await rawRequest(f.cluster, 'GET', `${ns}/configmaps/a%2fb`);
      assert.equal(slash.status, 400, slash.body);
      assert.equal(statusMessage(slash.body), `Name parameter invalid: "a/b": may not contain '/'`);
      const both = await rawRequest(f.cluster, 'DELETE', `${ns}/configmaps/a%2F%25b`);
      assert.equal(statusMessage(both.body), `Name parameter invalid: "a/%b": may not contain '/';may not contain '%'`);
      const bad = await rawRequest(f.cluster, 'GET', `${ns}/configmaps/%zz`);
      assert.equal(bad.status, 400, bad.body);
      await intact();
    });

    it('POST into namespace %2e%2e stores nothing', async () => {
      const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'orphan' }, data: { a: 'b' } };
      const r = await rawRequest(f.cluster, 'POST', '/api/v1/namespaces/%2e%2e/configmaps', { body });
      assert.equal(r.status, 404, r.body);
      assert.equal(statusMessage(r.body), 'namespaces ".." not found');
      // Nor may a namespaced kind be created, or all its objects deleted, across all namespaces.
      const all = await rawRequest(f.cluster, 'POST', '/api/v1/configmaps', { body });
      assert.equal(all.status, 405, all.body);
      const wipe = await rawRequest(f.cluster, 'DELETE', '/api/v1/configmaps');
      assert.equal(wipe.status, 405, wipe.body);
      const list = await rawRequest(f.cluster, 'GET', '/api/v1/configmaps');
      const names = (
        JSON.parse(list.body) as { items: { metadata: { name: string; namespace?: string } }[] }
      ).items.map((i) => `${i.metadata.namespace ?? '<none>'}/${i.metadata.name}`);
      assert.ok(!names.some((n) => n.endsWith('/orphan')), names.join(' '));
      assert.ok(names.includes('victim/keep'), names.join(' '));
    });

    it('watch, subresource, log and exec paths take the same checks', async () => {
      const watch = await rawRequest(f.cluster, 'GET', '/api/v1/watch/namespaces/victim/configmaps/%2e%2e');
      assert.equal(watch.status, 400, watch.body);
      const status = await rawRequest(f.cluster, 'GET', `${ns}/pods/%2e%2e/status`);
      assert.equal(status.status, 400, status.body);
      const log = await rawRequest(f.cluster, 'GET', `${ns}/pods/%2e%2e/log`);
      assert.equal(log.status, 400, log.body);
      const nsStatus = await rawRequest(f.cluster, 'PUT', '/api/v1/namespaces/%2e%2e/status', { body: {} });
      assert.equal(nsStatus.status, 400, nsStatus.body);
      const exec = await rawRequest(f.cluster, 'GET', `${ns}/pods/%2e%2e/exec?command=true`);
      assert.ok([400, 404].includes(exec.status), exec.body);
      // kubectl still reads and deletes by ordinary names.
      assert.match(f.ok(['-n', 'victim', 'get', 'configmap', 'keep', '-o', 'name']), /configmap\/keep/);
      await intact();
    });
  },
);
