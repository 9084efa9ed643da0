import { strict as assert } from 'node:assert';
import { request } from 'node:https';
import { after, before, describe, it } from 'node:test';
import { selfSignedCertificate } from './certificate';
import { FakeClock } from '../clock';
import { ObjectStore } from '../store/object-store';
import { chain } from './admission/admission';
import { defaultsAdmission } from './admission/defaults';
import { validationAdmission } from './admission/validation';
import { AdmittedWriter } from './admitted-writer';
import { ApiServer, type RunningApiServer } from './api-server';
import { Registry } from './registry';
import { requestsInFlight } from './request-priority';

const TOKEN = 'test-token';
const tls = selfSignedCertificate('test');

describe('API server in process', () => {
  const clock = new FakeClock(Date.UTC(2025, 0, 1));
  let store: ObjectStore;
  let running: RunningApiServer;
  let writer: AdmittedWriter;

  const call = (method: string, path: string, options: { body?: unknown; accept?: string; type?: string } = {}) =>
    new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
      const req = request(
        new URL(path, running.url),
        {
          method,
          ca: tls.cert,
          headers: {
            Authorization: `Bearer ${TOKEN}`,
            ...(options.accept ? { Accept: options.accept } : {}),
            ...(options.body !== undefined ? { 'Content-Type': options.type ?? 'application/json' } : {}),
          },
        },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }),
          );
        },
      );
      req.on('error', reject);
      req.end(options.body === undefined ? undefined : JSON.stringify(options.body));
    });

  /** Reads a watch stream until `lines` events came, then lets the timeout end it. */
  const watch = (path: string, lines: number) =>
    new Promise<{ type: string; object: { metadata: { name: string }; code?: number; reason?: string } }[]>(
      (resolve, reject) => {
        const req = request(
          new URL(path, running.url),
          { ca: tls.cert, headers: { Authorization: `Bearer ${TOKEN}` } },
          (res) => {
            let body = '';
            res.on('data', (c: Buffer) => {
              body += c.toString();
              if (body.split('\n').length > lines) clock.advance(60_000);
            });
            res.on('end', () =>
              resolve(
                body
                  .trim()
                  .split('\n')
                  .map((l) => JSON.parse(l) as never),
              ),
            );
          },
        );
        req.on('error', reject);
        req.end();
      },
    );

  before(async () => {
    store = await ObjectStore.open({ clock, historySize: 3 });
    await store.create('/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    const ctx = { store, clock, registry: new Registry(), admission: chain(defaultsAdmission, validationAdmission) };
    running = await new ApiServer({ ...ctx, token: TOKEN, tls, port: 0 }).listen();
    writer = new AdmittedWriter(ctx, 'test-controller');
  });

  after(() => running.close());

  it('answers aggregated discovery when asked for it, plain otherwise', async () => {
    const aggregated = await call('GET', '/apis', {
      accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
    });
    assert.equal(aggregated.type, 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    const apps = (
      JSON.parse(aggregated.body) as {
        items: {
          metadata: { name: string };
          versions: {
            resources: { resource: string; subresources?: { subresource: string; responseKind: { kind: string } }[] }[];
          }[];
        }[];
      }
    ).items.find((i) => i.metadata.name === 'apps');
    const deployments = apps?.versions[0]?.resources.find((r) => r.resource === 'deployments');
    assert.deepEqual(
      deployments?.subresources?.map((s) => `${s.subresource}:${s.responseKind.kind}`),
      ['status:Deployment', 'scale:Scale'],
    );
    const plain = JSON.parse((await call('GET', '/api/v1')).body) as { resources: { name: string; kind: string }[] };
    assert.ok(plain.resources.some((r) => r.name === 'pods/binding' && r.kind === 'Binding'));
  });

  it('holds controller work back only while a request is answered, never for an open watch', async () => {
    const answered = await call('GET', '/api/v1/namespaces/default/configmaps');
    assert.equal(answered.status, 200);
    await new Promise((r) => setImmediate(r));
    assert.equal(requestsInFlight(), undefined, 'an answered request no longer holds the workers');
    await new Promise<void>((resolve, reject) => {
      const req = request(
        new URL('/api/v1/configmaps?watch=true', running.url),
        { ca: tls.cert, headers: { Authorization: `Bearer ${TOKEN}` } },
        (res) => {
          assert.equal(res.statusCode, 200);
          assert.equal(requestsInFlight(), undefined, 'an open watch does not hold the workers');
          req.destroy();
          resolve();
        },
      );
      req.on('error', reject);
      req.end();
    });
  });

  it('returns a NotFound Status naming the object', async () => {
    const reply = await call('GET', '/apis/apps/v1/namespaces/default/deployments/nope');
    assert.equal(reply.status, 404);
    assert.deepEqual(JSON.parse(reply.body), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'deployments.apps "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', group: 'apps', kind: 'deployments' },
      code: 404,
    });
  });

  it('renders Tables with ages from the clock and wide columns at priority 1', async () => {
    await writer.create('/configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'default' },
      data: { a: '1', b: '2' },
    });
    clock.advance(150_000);
    const reply = await call('GET', '/api/v1/namespaces/default/configmaps', {
      accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
    });
    const table = JSON.parse(reply.body) as {
      kind: string;
      columnDefinitions: { name: string }[];
      rows: { cells: unknown[]; object: { kind: string } }[];
    };
    assert.equal(table.kind, 'Table');
    assert.deepEqual(
      table.columnDefinitions.map((c) => c.name),
      ['Name', 'Data', 'Age'],
    );
    assert.deepEqual(table.rows[0]?.cells, ['c', 2, '2m30s']);
    assert.equal(table.rows[0]?.object.kind, 'PartialObjectMetadata');
  });

  it('fills in defaults for in-process writers too', async () => {
    const pod = await writer.create('/pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    });
    const spec = pod.spec as { restartPolicy: string; containers: { imagePullPolicy: string }[] };
    assert.equal(spec.restartPolicy, 'Always');
    assert.equal(spec.containers[0]?.imagePullPolicy, 'Always');
    assert.deepEqual(pod.status, { phase: 'Pending', qosClass: 'BestEffort' });
    await assert.rejects(
      writer.create('/pods', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'q', namespace: 'default' },
        spec: { containers: [] },
      }),
      /Pod "q" is invalid: spec.containers: Required value/,
    );
  });

  it('streams watch events from a resourceVersion as lines of JSON', async () => {
    const from = store.resourceVersion;
    await writer.create('/configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'w', namespace: 'default' },
    });
    await store.delete('/configmaps', 'default', 'w');
    const events = await watch(
      `/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${from}&timeoutSeconds=30`,
      2,
    );
    assert.deepEqual(
      events.map((e) => `${e.type} ${e.object.metadata.name}`),
      ['ADDED w', 'DELETED w'],
    );
  });

  it('answers a watch from a compacted-away resourceVersion with a 410 ERROR event', async () => {
    const [event] = await watch('/api/v1/configmaps?watch=true&resourceVersion=1', 1);
    assert.equal(event?.type, 'ERROR');
    assert.equal(event?.object.code, 410);
    assert.equal(event?.object.reason, 'Expired');
  });
});
