/**
 * The simulated node pool: a Node created through the API with the label
 * `kube-workbench.io/node-group` gets a simulated kubelet (its own runtime
 * from the runtime factory), with the capacity of the Node's
 * `status.capacity` when given, else the cluster's node template. Deleting a
 * Node stops its kubelet and removes the containers its runtime made (the
 * pod garbage collector deletes the pods bound to it).
 */
import type { ApiContext } from './api/api-context';
import { AdmittedWriter } from './api/admitted-writer';
import type { Clock } from './clock';
import { NODE_GROUP_LABEL } from './controllers/node-autoscaler';
import { Kubelet } from './kubelet/kubelet';
import { DEFAULT_NODE_RESOURCES, type NodeResources } from './kubelet/node-object';
import type { PodDispatcher } from './kubelet/pod-dispatcher';
import type { ContainerRuntime, RuntimeFactory } from './kubelet/runtime';
import type { EventRecorder } from './machinery/event-recorder';
import { NODES } from './machinery/informer-factory';
import type { Informer } from './machinery/informer';
import { clone, isObject, type KubeObject } from './store/object';
import type { ObjectStore, Stored } from './store/object-store';

export interface NodePoolOptions {
  store: ObjectStore;
  api: ApiContext;
  clock: Clock;
  events: EventRecorder;
  dispatcher: PodDispatcher;
  runtimeFactory: RuntimeFactory;
  nodes: Informer;
  /** How often the pool's kubelets renew their Leases. */
  leaseRenewMs?: number;
  /** Capacity of a pool node whose Node object names none. */
  template?: NodeResources;
  /** Where failures to start or stop a node's kubelet are told. */
  onError?: (message: string) => void;
  /** Told of every node the pool runs and stops (adopted ones too): what lives as long as a kubelet hooks in here. */
  members?: { added(name: string, runtime: ContainerRuntime): void; removed(name: string): void };
}

interface Member {
  kubelet: Kubelet;
  runtime: ContainerRuntime;
  /** Resolves once the kubelet has started (or failed to). */
  started: Promise<void>;
}

function resourcesOf(node: Stored, template: NodeResources): NodeResources {
  const capacity = isObject(node.status) && isObject(node.status.capacity) ? node.status.capacity : {};
  const pick = (name: keyof NodeResources) => {
    const v = capacity[name];
    return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : template[name];
  };
  return { cpu: pick('cpu'), memory: pick('memory'), pods: pick('pods') };
}

export class NodePool {
  readonly kubelets: Kubelet[] = [];
  readonly runtimes: ContainerRuntime[] = [];
  private readonly members = new Map<string, Member>();
  private readonly writer: AdmittedWriter;
  private nextIndex = 0;
  private stopped = false;
  private pending: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: NodePoolOptions) {
    this.writer = new AdmittedWriter(o.api, 'kube-workbench-node-pool');
  }

  /** A kubelet started by the control plane for a node of its own (the nodes of `cluster start`). */
  adopt(name: string, kubelet: Kubelet, runtime: ContainerRuntime): void {
    this.kubelets.push(kubelet);
    this.runtimes.push(runtime);
    this.members.set(name, { kubelet, runtime, started: Promise.resolve() });
    this.o.members?.added(name, runtime);
    this.nextIndex++;
  }

  /** Follows Node adds and deletes from now on. */
  watch(): void {
    this.o.nodes.addHandlers({
      onAdd: (node) => this.serialize(() => this.added(node)),
      onDelete: (node) => this.serialize(() => this.removed(node.metadata.name ?? '')),
    });
  }

  private serialize(step: () => Promise<void>): void {
    this.pending = this.pending.then(step).catch((error: unknown) => {
      this.o.onError?.(`node pool: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  private async added(node: Stored): Promise<void> {
    const name = node.metadata.name ?? '';
    const group = node.metadata.labels?.[NODE_GROUP_LABEL];
    if (this.stopped || this.members.has(name) || group === undefined) return;
    const resources = resourcesOf(node, this.o.template ?? DEFAULT_NODE_RESOURCES);
    const runtime = this.o.runtimeFactory(name, this.nextIndex++);
    const kubelet = new Kubelet({
      name,
      resources,
      store: this.o.store,
      api: this.o.api,
      clock: this.o.clock,
      events: this.o.events,
      runtime,
      dispatcher: this.o.dispatcher,
      nodes: this.o.nodes,
      ...(this.o.leaseRenewMs !== undefined ? { leaseRenewMs: this.o.leaseRenewMs } : {}),
    });
    const started = (async () => {
      const current = this.o.store.get(NODES, '', name);
      const status = current && isObject(current.status) ? current.status : {};
      if (current && !isObject(status.capacity)) {
        const next = clone(current) as KubeObject;
        next.status = { ...status, capacity: { ...resources }, allocatable: { ...resources } };
        await this.writer.updateStatus(NODES, next);
      }
      await kubelet.start();
    })();
    this.members.set(name, { kubelet, runtime, started });
    this.o.members?.added(name, runtime);
    this.kubelets.push(kubelet);
    this.runtimes.push(runtime);
    await started;
  }

  private async removed(name: string): Promise<void> {
    const member = this.members.get(name);
    if (!member) return;
    this.members.delete(name);
    this.o.members?.removed(name);
    await member.started.catch(() => undefined);
    await member.kubelet.stop();
    const { runtime } = member;
    for (const sandbox of await runtime.listPodSandboxes().catch(() => [])) {
      for (const c of await runtime.listContainers(sandbox.id).catch(() => [])) {
        await runtime.stopContainer(c.id, 0).catch(() => undefined);
        await runtime.removeContainer(c.id).catch(() => undefined);
      }
      await runtime.stopPodSandbox(sandbox.id).catch(() => undefined);
      await runtime.removePodSandbox(sandbox.id).catch(() => undefined);
    }
    await runtime.close();
    this.kubelets.splice(this.kubelets.indexOf(member.kubelet), 1);
    this.runtimes.splice(this.runtimes.indexOf(runtime), 1);
  }

  /** Waits for node starts and removals under way; no more start after this. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.pending;
  }
}
