/**
 * The shared corpus's valid manifests (`../shared/corpus` from the project root:
 * MANIFEST.tsv minus KNOWN-INVALID.tsv, parsed, templated files left out) whose
 * every object is of a kind the embedded cluster serves, grouped so that one
 * `kubectl apply -f DIR` per group applies them: no two objects of a group
 * share kind, namespace and name. Files without a namespace of their own are
 * applied into a namespace of their group; files naming one go together.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { isNamespacedKind } from '../../../server/kube-model/kinds';
import { Registry } from '../../../client/orchestrator/api/registry';

export const CORPUS = join(__dirname, '..', '..', '..', '..', 'shared', 'corpus');

export interface CorpusObject {
  apiVersion: string;
  kind: string;
  name: string;
  /** Its own namespace, if it names one. */
  namespace?: string;
  value: Record<string, unknown>;
}

export interface CorpusFile {
  path: string;
  objects: CorpusObject[];
}

export interface CorpusGroup {
  /** `-n` for the group, or undefined when its files name their namespaces. */
  namespace?: string;
  files: CorpusFile[];
}

const rows = (file: string) =>
  readFileSync(join(CORPUS, file), 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => l.split('\t'));

/** The corpus files this cluster can apply whole, and the ones left out with why. */
export function servedCorpusFiles(): { files: CorpusFile[]; left: string[] } {
  // Files the corpus lists as invalid, and those we found invalid ourselves (test/fixtures/corpus-findings.tsv).
  const findings = readFileSync(join(__dirname, '..', '..', 'fixtures', 'corpus-findings.tsv'), 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.split('\t')[0]);
  const invalid = new Set([...rows('KNOWN-INVALID.tsv').map((r) => r[0]), ...findings]);
  const registry = new Registry();
  const files: CorpusFile[] = [];
  const left: string[] = [];
  for (const row of rows('MANIFEST.tsv')) {
    const [, , , path = '', , , parses, templated] = row;
    if (invalid.has(path) || parses !== 'ok' || templated !== 'no') continue;
    const objects: CorpusObject[] = [];
    let why: string | undefined;
    for (const doc of parseAllDocuments(readFileSync(join(CORPUS, path), 'utf8'))) {
      const value = doc.toJS() as unknown;
      if (value === null || value === undefined) continue;
      const obj = value as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
      const apiVersion = String(obj.apiVersion);
      const kind = String(obj.kind);
      const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
      const def = registry.byGroupKind(group ?? '', kind);
      if (!def || def.version !== version) why ??= `${apiVersion} ${kind} is not served`;
      if (typeof obj.metadata?.name !== 'string') why ??= 'an object without a name';
      const namespace = typeof obj.metadata?.namespace === 'string' ? obj.metadata.namespace : undefined;
      objects.push({
        apiVersion,
        kind,
        name: String(obj.metadata?.name),
        ...(namespace ? { namespace } : {}),
        value: value as Record<string, unknown>,
      });
    }
    if (why) left.push(`${path}: ${why}`);
    else if (objects.length > 0) files.push({ path, objects });
  }
  return { files, left };
}

/**
 * Groups the files so that each group's objects are distinct; greedy, in corpus order. Objects outside a
 * group's namespace (cluster-scoped, or naming their namespace) are one cluster-wide object: a file that
 * would apply one a second time is left out (returned in `left`).
 */
export function groupFiles(files: CorpusFile[]): { groups: CorpusGroup[]; left: string[] } {
  const groups: { group: CorpusGroup; keys: Set<string> }[] = [];
  const global = new Set<string>();
  const left: string[] = [];
  const keyOf = (o: CorpusObject, namespace: string | undefined) => {
    const ns = isNamespacedKind(o.kind) ? (o.namespace ?? namespace) : '';
    return {
      key: `${o.kind}/${ns ?? 'default'}/${o.name}`,
      global: ns === undefined || ns === '' || o.namespace !== undefined || namespace === undefined,
    };
  };
  for (const file of files) {
    const explicit = file.objects.some((o) => o.namespace !== undefined);
    const globals = file.objects.map((o) => keyOf(o, explicit ? undefined : 'x')).filter((k) => k.global);
    const clash = globals.find((k) => global.has(k.key));
    if (clash || new Set(globals.map((k) => k.key)).size !== globals.length) {
      left.push(`${file.path}: ${clash?.key ?? 'an object twice'} is applied by an earlier file`);
      continue;
    }
    let home = groups.find((g) => {
      if ((g.group.namespace === undefined) !== explicit) return false;
      const keys = file.objects.map((o) => keyOf(o, g.group.namespace).key);
      return new Set(keys).size === keys.length && keys.every((k) => !g.keys.has(k));
    });
    if (!home) {
      home = { group: { ...(explicit ? {} : { namespace: `corpus-${groups.length}` }), files: [] }, keys: new Set() };
      groups.push(home);
    }
    home.group.files.push(file);
    for (const o of file.objects) home.keys.add(keyOf(o, home.group.namespace).key);
    for (const k of globals) global.add(k.key);
  }
  return { groups: groups.map((g) => g.group), left };
}

export const corpusPresent = (): boolean => existsSync(join(CORPUS, 'MANIFEST.tsv'));
