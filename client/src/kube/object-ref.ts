/** How an object is named to a person: `Deployment default/web`. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

export function refOf(object: {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string };
}): ObjectRef {
  const ref: ObjectRef = {
    apiVersion: object.apiVersion ?? '',
    kind: object.kind ?? '',
    name: object.metadata?.name ?? '',
  };
  if (object.metadata?.namespace) ref.namespace = object.metadata.namespace;
  return ref;
}

export function describeRef(ref: { kind: string; name: string; namespace?: string | undefined }): string {
  return ref.namespace ? `${ref.kind} ${ref.namespace}/${ref.name}` : `${ref.kind} ${ref.name}`;
}
