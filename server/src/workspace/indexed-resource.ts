import type { Range } from 'vscode-languageserver-types';

/** Label keys to values, as strings. */
export type Labels = Readonly<Record<string, string>>;

/** A named container port (`containers[].ports[].name`). */
export interface ContainerPort {
  readonly name: string;
  readonly port: number | undefined;
  /** The `name` value. */
  readonly range: Range;
}

/** Where a pod's labels and container ports are: a Pod itself or a workload's pod template. */
export interface PodFacts {
  readonly labels: Labels;
  /** The `labels` value (the map), or the document start when there are none. */
  readonly labelsRange: Range | undefined;
  readonly containerPorts: readonly ContainerPort[];
  /** The `containers` (not init or ephemeral), with the resources each requests. */
  readonly containers: readonly ContainerRequests[];
}

/** A container and whether it requests CPU and memory (utilization targets need both per container). */
export interface ContainerRequests {
  readonly name: string;
  readonly requests: ReadonlySet<string>;
  /** The container's `name` value. */
  readonly range: Range;
}

/** A HorizontalPodAutoscaler: what it scales, and the utilization targets it computes from requests. */
export interface AutoscalerFacts {
  readonly targetKind: string | undefined;
  readonly targetName: string | undefined;
  /** The `scaleTargetRef.name` value, or `scaleTargetRef`'s key, or the document start. */
  readonly targetRange: Range;
  /** `Resource`/`ContainerResource` metrics with `target.type: Utilization` (and autoscaling/v1's CPU target). */
  readonly utilization: readonly { resource: string; container: string | undefined; range: Range }[];
}

export interface ServicePort {
  readonly name: string | undefined;
  readonly port: number | undefined;
  readonly targetPort: string | number | undefined;
  /** The `port` value, or the list item when it has none. */
  readonly range: Range;
  readonly nameRange: Range | undefined;
  readonly targetPortRange: Range | undefined;
}

export interface ServiceFacts {
  readonly type: string | undefined;
  /** `spec.selector` as labels; `undefined` when absent or empty (a Service without a selector). */
  readonly selector: Labels | undefined;
  /** The `selector` key. */
  readonly selectorRange: Range | undefined;
  /** The `selector` value (the map). */
  readonly selectorValueRange: Range | undefined;
  readonly ports: readonly ServicePort[];
}

/** One Ingress backend that names a Service. */
export interface IngressBackend {
  readonly serviceName: string;
  readonly nameRange: Range;
  /** A port number or port name; `undefined` when the backend names none. */
  readonly port: number | string | undefined;
  readonly portRange: Range | undefined;
}

export type ReferencedKind = 'ConfigMap' | 'Secret' | 'PersistentVolumeClaim' | 'ServiceAccount';

/** A pod spec naming a ConfigMap, Secret, PVC (and maybe some of its keys) or ServiceAccount. */
export interface ResourceReference {
  /** The field that refers, e.g. `configMapKeyRef`, `envFrom.secretRef`, `volumes.persistentVolumeClaim`. */
  readonly via: string;
  readonly targetKind: ReferencedKind;
  readonly name: string;
  readonly nameRange: Range;
  /** Keys it reads: a `configMapKeyRef`/`secretKeyRef` key, or a volume's `items[].key`. */
  readonly keys: readonly { readonly key: string; readonly range: Range }[];
  /** `optional: true`: the pod starts without it. */
  readonly optional: boolean;
  /** Whether a missing target is worth a warning (image pull secrets are often created in the cluster). */
  readonly checked: boolean;
}

/** What the workspace index knows of one manifest document. */
export interface IndexedResource {
  readonly uri: string;
  readonly kind: string;
  readonly apiVersion: string;
  /** `default` when unset; `undefined` for cluster-scoped kinds. */
  readonly namespace: string | undefined;
  readonly name: string | undefined;
  /** The `metadata.name` value, or the document's first line when there is none. */
  readonly nameRange: Range;
  /** The document's first line (where a CodeLens goes). */
  readonly documentRange: Range;
  readonly labels: Labels;
  readonly pod: PodFacts | undefined;
  readonly service: ServiceFacts | undefined;
  /** ConfigMap `data`/`binaryData` and Secret `data`/`stringData` keys, with their key ranges. */
  readonly dataKeys: ReadonlyMap<string, Range> | undefined;
  readonly backends: readonly IngressBackend[];
  readonly references: readonly ResourceReference[];
  readonly autoscaler: AutoscalerFacts | undefined;
}
