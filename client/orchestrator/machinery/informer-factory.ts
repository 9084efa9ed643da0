/** One informer per resource, shared by every controller in the process. */
import type { ObjectStore } from '../store/object-store';
import { Informer } from './informer';

export const PODS = '/pods';
export const NODES = '/nodes';
export const NAMESPACES = '/namespaces';
export const SERVICES = '/services';
export const ENDPOINTS = '/endpoints';
export const EVENTS = '/events';
export const REPLICA_SETS = 'apps/replicasets';
export const REPLICATION_CONTROLLERS = '/replicationcontrollers';
export const DEPLOYMENTS = 'apps/deployments';
export const ENDPOINT_SLICES = 'discovery.k8s.io/endpointslices';

export class InformerFactory {
  private readonly informers = new Map<string, Informer>();
  private running = false;

  constructor(readonly store: ObjectStore) {}

  /** The shared informer of `resource` (`group/resource`); started at once when the factory runs. */
  for(resource: string): Informer {
    let informer = this.informers.get(resource);
    if (!informer) {
      informer = new Informer(this.store, resource);
      this.informers.set(resource, informer);
      if (this.running) informer.start();
    }
    return informer;
  }

  /** Starts every informer once every write so far is acknowledged. */
  async start(): Promise<void> {
    await this.store.settled();
    this.running = true;
    for (const informer of this.informers.values()) informer.start();
  }

  stop(): void {
    this.running = false;
    for (const informer of this.informers.values()) informer.stop();
  }
}
