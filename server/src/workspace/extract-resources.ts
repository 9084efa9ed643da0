import type { Node } from 'yaml';
import type { Range } from 'vscode-languageserver-types';
import { typeOf } from '../document/is-manifest.js';
import { manifestDocuments } from '../document/list-items.js';
import type { ManifestFile } from '../document/manifest-file.js';
import { podSpecPath } from '../rules/pod-specs.js';
import { namespaceOf } from '../../kube-model/kinds.js';
import { autoscalerFacts, containerRequests } from './extract-autoscaling.js';
import { extractPodReferences } from './extract-pod-references.js';
import type {
  ContainerPort,
  IndexedResource,
  IngressBackend,
  PodFacts,
  ServiceFacts,
  ServicePort,
} from './indexed-resource.js';
import { YamlReader } from './yaml-reader.js';

const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'];

/**
 * What a chunk's parse remembers of its indexing, by file and start line (chunks
 * are cached by text, and the same text can sit at several places), so an
 * edit re-indexes only the documents it touched or moved. (By file, then line:
 * a key made of both would be a new string per chunk per edit, hashed each time.)
 */
interface ChunkMemo {
  /** Places remembered, in all files. */
  places: number;
  readonly byFile: Map<string, Map<number, readonly IndexedResource[]>>;
}

const MEMO_KEY = 'workspace-index';
/** Places remembered per chunk text. */
const MEMO_PLACES = 8;

/**
 * The index entries of one file: one per document with a top-level
 * `apiVersion` and `kind`. Templated files (Helm, Go templates) are not YAML
 * until rendered, so they have none. A chunk indexed before at the same
 * place in the same file is reused as it was.
 */
export function extractResources(uri: string, file: ManifestFile): IndexedResource[] {
  if (file.templated) return [];
  const out: IndexedResource[] = [];
  for (const { chunk, parsed } of file.chunks) {
    let memo = parsed.memo.get(MEMO_KEY) as ChunkMemo | undefined;
    if (!memo) parsed.memo.set(MEMO_KEY, (memo = { places: 0, byFile: new Map() }));
    const known = memo.byFile.get(uri)?.get(chunk.startLine);
    if (known) {
      for (const resource of known) out.push(resource);
      continue;
    }
    const resources: IndexedResource[] = [];
    for (const doc of parsed.docs.flatMap(manifestDocuments)) {
      const type = typeOf(doc);
      if (!type) continue;
      try {
        const reader = new YamlReader(doc, parsed.lines, chunk.startLine);
        resources.push(extractResource(uri, reader, type.apiVersion, type.kind));
      } catch (error) {
        // Odd shapes must not stop the rest of the file from being indexed.
        console.error(`kube-workbench: indexing a ${type.kind} in ${uri} failed: ${String(error)}`);
      }
    }
    remember(memo, uri, chunk.startLine, resources);
    out.push(...resources);
  }
  return out;
}

/** Keeps a chunk's resources at a place, forgetting the oldest place of the oldest file past MEMO_PLACES. */
function remember(memo: ChunkMemo, uri: string, line: number, resources: readonly IndexedResource[]): void {
  if (memo.places >= MEMO_PLACES) {
    const oldest = memo.byFile.entries().next();
    if (!oldest.done) {
      const [file, lines] = oldest.value;
      lines.delete(lines.keys().next().value ?? -1);
      memo.places--;
      if (lines.size === 0) memo.byFile.delete(file);
    }
  }
  let lines = memo.byFile.get(uri);
  if (!lines) memo.byFile.set(uri, (lines = new Map<number, readonly IndexedResource[]>()));
  lines.set(line, resources);
  memo.places++;
}

function extractResource(uri: string, r: YamlReader, apiVersion: string, kind: string): IndexedResource {
  const root = r.doc.contents as Node | null;
  const metadata = r.get(root, 'metadata');
  const nameNode = r.get(metadata, 'name');
  const documentRange = r.startRange();
  const specPath = podSpecPath(kind);
  const podSpec = specPath ? r.at(root, specPath.map(String)) : undefined;
  return {
    uri,
    kind,
    apiVersion,
    namespace: namespaceOf(kind, r.string(r.get(metadata, 'namespace'))),
    name: r.string(nameNode),
    nameRange: r.range(nameNode) ?? documentRange,
    documentRange,
    labels: r.labels(r.get(metadata, 'labels')),
    pod: specPath
      ? podFacts(r, kind === 'Pod' ? metadata : r.at(root, [...specPath.slice(0, -1).map(String), 'metadata']), podSpec)
      : undefined,
    service: kind === 'Service' ? serviceFacts(r, r.get(root, 'spec')) : undefined,
    dataKeys: kind === 'ConfigMap' || kind === 'Secret' ? dataKeys(r, root, kind) : undefined,
    backends: kind === 'Ingress' ? ingressBackends(r, r.get(root, 'spec')) : [],
    references: podSpec ? extractPodReferences(r, podSpec) : [],
    autoscaler: kind === 'HorizontalPodAutoscaler' ? autoscalerFacts(r, r.get(root, 'spec'), documentRange) : undefined,
  };
}

function podFacts(r: YamlReader, metadata: Node | undefined, spec: Node | undefined): PodFacts {
  const labelsNode = r.get(metadata, 'labels');
  const containerPorts: ContainerPort[] = [];
  for (const list of CONTAINER_LISTS) {
    for (const container of r.items(r.get(spec, list))) {
      for (const port of r.items(r.get(container, 'ports'))) {
        const nameNode = r.get(port, 'name');
        const name = r.string(nameNode);
        const range = r.range(nameNode);
        if (name !== undefined && range)
          containerPorts.push({ name, port: r.number(r.get(port, 'containerPort')), range });
      }
    }
  }
  return {
    labels: r.labels(labelsNode),
    labelsRange: r.range(labelsNode),
    containerPorts,
    containers: containerRequests(r, spec),
  };
}

function serviceFacts(r: YamlReader, spec: Node | undefined): ServiceFacts {
  const selectorNode = r.get(spec, 'selector');
  const selector = r.labels(selectorNode);
  const ports: ServicePort[] = [];
  for (const item of r.items(r.get(spec, 'ports'))) {
    const portNode = r.get(item, 'port');
    const nameNode = r.get(item, 'name');
    const targetNode = r.get(item, 'targetPort');
    const range = r.range(portNode) ?? r.range(item);
    if (!range) continue;
    ports.push({
      name: r.string(nameNode),
      port: r.number(portNode),
      targetPort: r.intOrString(targetNode),
      range,
      nameRange: r.range(nameNode),
      targetPortRange: r.range(targetNode),
    });
  }
  return {
    type: r.string(r.get(spec, 'type')),
    selector: Object.keys(selector).length > 0 ? selector : undefined,
    selectorRange: r.range(r.keyNode(spec, 'selector')),
    selectorValueRange: r.range(selectorNode),
    ports,
  };
}

function dataKeys(r: YamlReader, root: Node | null, kind: string): Map<string, Range> {
  const out = new Map<string, Range>();
  const fields = kind === 'ConfigMap' ? ['data', 'binaryData'] : ['data', 'stringData'];
  for (const field of fields) {
    for (const { key, keyNode } of r.entries(r.get(root, field))) {
      const range = r.range(keyNode);
      if (range && !out.has(key)) out.set(key, range);
    }
  }
  return out;
}

/** `spec.defaultBackend` and every `rules[].http.paths[].backend` (and the old `backend`/`serviceName` shape). */
function ingressBackends(r: YamlReader, spec: Node | undefined): IngressBackend[] {
  const backends: (Node | undefined)[] = [r.get(spec, 'defaultBackend'), r.get(spec, 'backend')];
  for (const rule of r.items(r.get(spec, 'rules')))
    for (const path of r.items(r.at(rule, ['http', 'paths']))) backends.push(r.get(path, 'backend'));
  const out: IngressBackend[] = [];
  for (const backend of backends) {
    const service = r.get(backend, 'service');
    const nameNode = service ? r.get(service, 'name') : r.get(backend, 'serviceName');
    const portNode = service
      ? (r.at(service, ['port', 'number']) ?? r.at(service, ['port', 'name']))
      : r.get(backend, 'servicePort');
    const serviceName = r.string(nameNode);
    const nameRange = r.range(nameNode);
    if (serviceName === undefined || !nameRange) continue;
    out.push({ serviceName, nameRange, port: r.intOrString(portNode), portRange: r.range(portNode) });
  }
  return out;
}
