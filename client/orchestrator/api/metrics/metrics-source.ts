/**
 * What the metrics APIs (`metrics.k8s.io`, `custom.metrics.k8s.io`) and the
 * HorizontalPodAutoscaler read: resource usage scraped by the kubelets from
 * their runtimes, and request counts seen by the Service and Ingress data
 * paths. Whoever runs those sets the sources on a `MetricsHub`; the API
 * server and the HPA controller read the same hub.
 */

export interface ContainerUsage {
  name: string;
  /** CPU in nanocores (1e9 = one core), averaged over the sample window. */
  cpuNanoCores: number;
  /** Working set in bytes. */
  memoryBytes: number;
}

export interface PodUsage {
  namespace: string;
  name: string;
  /** End of the sample window (ms since the epoch). */
  timestamp: number;
  windowMs: number;
  containers: ContainerUsage[];
}

export interface NodeUsage {
  name: string;
  timestamp: number;
  windowMs: number;
  cpuNanoCores: number;
  memoryBytes: number;
}

export interface ResourceMetricsSource {
  /** The usage of every pod with a complete sample on this source's nodes. */
  pods(): PodUsage[];
  nodes(): NodeUsage[];
}

/** Requests in flight now and requests per second over the last window, as one path counted them. */
export interface RequestRates {
  inFlight: number;
  perSecond: number;
  timestamp: number;
  windowMs: number;
}

export type CountedObject = 'pods' | 'services' | 'ingresses';

export interface RequestMetricsSource {
  /** Counts of one object (`namespace`, `name`), undefined when nothing was ever counted for it. */
  rates(kind: CountedObject, namespace: string, name: string): RequestRates | undefined;
}

/** The place the sources are plugged into; reading without a source gives no metrics. */
export class MetricsHub {
  private readonly resources: ResourceMetricsSource[] = [];
  private requests: RequestMetricsSource | undefined;

  addResourceSource(source: ResourceMetricsSource): () => void {
    this.resources.push(source);
    return () => {
      const i = this.resources.indexOf(source);
      if (i !== -1) this.resources.splice(i, 1);
    };
  }

  setRequestSource(source: RequestMetricsSource | undefined): void {
    this.requests = source;
  }

  podUsage(): PodUsage[] {
    return this.resources.flatMap((s) => s.pods());
  }

  nodeUsage(): NodeUsage[] {
    return this.resources.flatMap((s) => s.nodes());
  }

  requestRates(kind: CountedObject, namespace: string, name: string): RequestRates | undefined {
    return this.requests?.rates(kind, namespace, name);
  }
}
