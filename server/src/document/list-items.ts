import { isMap, isScalar, isSeq } from 'yaml';
import type { Document, Node, YAMLMap } from 'yaml';
import { deref } from './node-at.js';

/**
 * A list document (`kind: List`, or any `*List` kind such as `DeploymentList`,
 * with `items`): what `kubectl get -o yaml` writes and `kubectl apply -f`
 * accepts, applying every item as its own object.
 */
export interface ListDocument {
  readonly apiVersion: string | undefined;
  readonly kind: string;
  /** The `items` value's node (not always a sequence: the caller reports that). */
  readonly items: Node | null;
}

const byView = new WeakMap<object, { apiVersion: string; kind: string }>();
const listViews = new WeakSet<object>();

/** The list a document is, when its top-level `kind` ends in `List` and it has an `items` key. */
export function listOf(doc: Document.Parsed): ListDocument | undefined {
  const root = doc.contents;
  if (!isMap(root) || listViews.has(doc)) return undefined;
  const kind = scalarString(root, 'kind');
  if (kind === undefined || !kind.endsWith('List')) return undefined;
  const pair = root.items.find((p) => isScalar(p.key) && p.key.value === 'items');
  if (!pair) return undefined;
  // `items: *anchor` is the sequence the anchor names.
  const items = deref(doc, pair.value) as Node | null | undefined;
  return { apiVersion: scalarString(root, 'apiVersion'), kind, items: items ?? null };
}

/**
 * Each item of a list document as a document of its own: the same parse (so
 * positions stay those of the file) with the item as its contents. As kubectl
 * decodes a list, an item with neither `apiVersion` nor `kind` takes the
 * list's apiVersion and its kind without the `List` suffix (`DeploymentList`
 * items are Deployments); `typeOf` reads that back through `inferredType`.
 */
export function listItemDocuments(doc: Document.Parsed): Document.Parsed[] {
  const list = listOf(doc);
  if (!list || !isSeq(list.items)) return [];
  const out: Document.Parsed[] = [];
  for (const item of list.items.items) {
    if (!isMap(item) || item.range === undefined || item.range === null) continue;
    out.push(itemView(doc, item, list));
  }
  return out;
}

/** The documents a parse holds for validation, indexing and the editor: a list's items in place of the list. */
export function manifestDocuments(doc: Document.Parsed): Document.Parsed[] {
  return listOf(doc) ? listItemDocuments(doc) : [doc];
}

/** The type a list item takes from its list, when it names neither apiVersion nor kind. */
export function inferredType(doc: Document.Parsed): { apiVersion: string; kind: string } | undefined {
  return byView.get(doc);
}

/** Whether a document is an item of a list (its errors and syntax belong to the list document). */
export function isListItem(doc: Document.Parsed): boolean {
  return listViews.has(doc);
}

function itemView(doc: Document.Parsed, item: YAMLMap, list: ListDocument): Document.Parsed {
  const range = item.range as [number, number, number];
  const view = Object.create(doc, {
    contents: { value: item, writable: true, enumerable: true },
    range: { value: [range[0], range[1], range[2]], writable: true, enumerable: true },
    errors: { value: [], writable: true, enumerable: true },
    warnings: { value: [], writable: true, enumerable: true },
  }) as Document.Parsed;
  listViews.add(view);
  const itemKind = list.kind.slice(0, -'List'.length);
  if (
    !item.items.some((p) => isScalar(p.key) && (p.key.value === 'apiVersion' || p.key.value === 'kind')) &&
    itemKind !== '' &&
    list.apiVersion !== undefined
  )
    byView.set(view, { apiVersion: list.apiVersion, kind: itemKind });
  return view;
}

function scalarString(map: YAMLMap, key: string): string | undefined {
  const pair = map.items.find((p) => isScalar(p.key) && p.key.value === key);
  const value = isScalar(pair?.value) ? pair.value.value : undefined;
  return typeof value === 'string' ? value : undefined;
}
