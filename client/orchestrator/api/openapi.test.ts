import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadSchemas } from '../../../server/kube-model/schema-loader';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OpenApiDocuments } from './openapi';
import { serveOpenApi } from './openapi-handler';
import { Registry } from './registry';
import { requestStarted } from './request-priority';

type Schema = Record<string, unknown> & { properties?: Record<string, Schema>; items?: Schema };
interface Doc {
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>>;
  components: { schemas: Record<string, Schema> };
}

function refs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refs(v, out);
  else if (typeof value === 'object' && value !== null)
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refs(v, out);
    }
  return out;
}

const docs = (minor: string) => new OpenApiDocuments(new Registry(), loadSchemas(minor));
const parse = (d: OpenApiDocuments, group: string, version: string) =>
  JSON.parse(d.document(group, version)!.text) as Doc;

/** The component whose x-kubernetes-group-version-kind names the kind. */
function kindSchema(doc: Doc, kind: string): Schema {
  const found = Object.values(doc.components.schemas).find((s) =>
    (s['x-kubernetes-group-version-kind'] as { kind: string }[] | undefined)?.some((g) => g.kind === kind),
  );
  assert.ok(found, kind);
  return found;
}

function resolve(doc: Doc, schema: Schema | undefined): Schema {
  const ref = (schema?.$ref ?? (schema?.allOf as Schema[] | undefined)?.[0]?.$ref) as string | undefined;
  return ref ? doc.components.schemas[ref.replace('#/components/schemas/', '')]! : schema!;
}

describe('OpenAPI v3 documents', () => {
  for (const minor of ['1.34', '1.36']) {
    it(`${minor}: every $ref of every group version resolves inside its own document`, () => {
      const d = docs(minor);
      for (const { group, version } of new Registry().groupVersions()) {
        const doc = parse(d, group, version);
        for (const ref of refs(doc)) {
          assert.ok(ref.startsWith('#/components/schemas/'), ref);
          assert.ok(ref.slice('#/components/schemas/'.length) in doc.components.schemas, `${group}/${version}: ${ref}`);
        }
      }
    });
  }

  it('serves the merge extensions kubectl computes client-side apply with, and strategic merge patch', () => {
    const doc = parse(docs('1.34'), 'apps', 'v1');
    const patch = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}']!.patch!;
    assert.ok('application/strategic-merge-patch+json' in patch.requestBody!.content);
    const deployment = kindSchema(doc, 'Deployment');
    const spec = resolve(doc, deployment.properties!.spec);
    assert.equal(spec.properties!.strategy!['x-kubernetes-patch-strategy'], 'retainKeys');
    assert.equal(resolve(doc, spec.properties!.selector)['x-kubernetes-map-type'], 'atomic');
    const podSpec = resolve(doc, resolve(doc, spec.properties!.template).properties!.spec);
    const containers = podSpec.properties!.containers!;
    assert.equal(containers['x-kubernetes-patch-merge-key'], 'name');
    assert.equal(containers['x-kubernetes-patch-strategy'], 'merge');
    assert.equal(containers['x-kubernetes-list-type'], 'map');
    assert.deepEqual(containers['x-kubernetes-list-map-keys'], ['name']);
    assert.equal(podSpec.properties!.volumes!['x-kubernetes-patch-strategy'], 'merge,retainKeys');
    const ports = resolve(doc, containers.items).properties!.ports!;
    assert.deepEqual(ports['x-kubernetes-list-map-keys'], ['containerPort', 'protocol']);
    assert.equal(podSpec.properties!.nodeSelector!['x-kubernetes-map-type'], 'atomic');
    assert.equal(podSpec.properties!.tolerations!['x-kubernetes-list-type'], 'atomic');
  });

  it("serves the cluster's Kubernetes version: 1.36's fields carry 1.36's extensions", () => {
    const field = (minor: string) => {
      const doc = parse(docs(minor), '', 'v1');
      return resolve(doc, kindSchema(doc, 'Node').properties!.status).properties!.declaredFeatures;
    };
    assert.equal(field('1.34'), undefined);
    assert.equal(field('1.36')?.['x-kubernetes-list-type'], 'atomic');
  });

  it('builds each document once and names it by its hash in the index', () => {
    const d = docs('1.34');
    const first = d.document('apps', 'v1')!;
    assert.equal(d.document('apps', 'v1'), first);
    const root = d.root() as { paths: Record<string, { serverRelativeURL: string }> };
    assert.equal(root.paths['apis/apps/v1']!.serverRelativeURL, `/openapi/v3/apis/apps/v1?hash=${first.hash}`);
    assert.match(first.hash, /^[0-9A-F]{128}$/);
  });

  it('warms every document ahead of use, the same as built on demand, and between requests', async () => {
    const warmed = docs('1.34');
    const onDemand = docs('1.34');
    const built = (d: OpenApiDocuments) => (d as unknown as { built: Map<string, unknown> }).built;
    // A request in flight holds the warm-up back; it goes on once the request is answered.
    const held = Date.now();
    const answered = requestStarted();
    const warming = warmed.warm();
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    // (a request holds it back for at most 100 ms: on a machine too busy to get here sooner, not checked)
    if (Date.now() - held < 90) assert.equal(built(warmed).size, 0);
    answered();
    await warming;
    assert.deepEqual(warmed.root(), onDemand.root());
    assert.ok(built(warmed).size > 10);
    for (const [key, doc] of built(onDemand)) assert.deepEqual(built(warmed).get(key), doc, key);
    // Stopped (the server closed): builds nothing more.
    const stopped = docs('1.34');
    await stopped.warm(() => true);
    assert.equal(built(stopped).size, 0);
  });

  it('answers with the hash as ETag: 304 when the client has it, immutable under ?hash=, 301 from a stale hash', () => {
    const d = docs('1.34');
    const { hash } = d.document('apps', 'v1')!;
    const serve = (path: string, query: string, ifNoneMatch?: string) => {
      const answer = { status: 0, headers: {} as Record<string, unknown>, body: '' };
      const res = {
        writeHead: (status: number, headers: Record<string, unknown>) => {
          answer.status = status;
          answer.headers = headers;
        },
        end: (body?: string) => (answer.body = body ?? ''),
      } as unknown as ServerResponse;
      const req = { headers: ifNoneMatch ? { 'if-none-match': ifNoneMatch } : {} } as IncomingMessage;
      serveOpenApi(req, res, d, path, new URLSearchParams(query));
      return answer;
    };
    const fresh = serve('/openapi/v3/apis/apps/v1', `hash=${hash}`);
    assert.equal(fresh.status, 200);
    assert.equal(fresh.headers.ETag, `"${hash}"`);
    assert.match(String(fresh.headers['Cache-Control']), /immutable/);
    assert.equal(serve('/openapi/v3/apis/apps/v1', '', `"${hash}"`).status, 304);
    const stale = serve('/openapi/v3/apis//apps/v1', 'hash=OLD');
    assert.equal(stale.status, 301);
    assert.equal(stale.headers.Location, `/openapi/v3/apis/apps/v1?hash=${hash}`);
    assert.throws(() => serve('/openapi/v3/apis/nope/v1', ''), /could not find/);
    assert.equal(d.document('nope', 'v1'), undefined);
    assert.equal((d as unknown as { built: Map<string, unknown> }).built.has('nope/v1'), false, 'not kept');
  });
});
