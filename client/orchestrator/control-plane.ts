/**
 * Starts everything that runs beside the API server in the orchestrator
 * process: shared informers, the controllers, the scheduler and one kubelet
 * per simulated node, reading the store through informers and writing
 * through the API's admission (AdmittedWriter).
 */
import { IngressStatusController, type IngressAddress } from './controllers/ingress-status-controller';
import type { ApiContext } from './api/api-context';
import { localApiContext } from './api/local-api-context';
import type { Clock } from './clock';
import { CronJobController } from './controllers/cronjob-controller';
import { DaemonSetController } from './controllers/daemon-set-controller';
import { DeploymentController } from './controllers/deployment-controller';
import { DisruptionController } from './controllers/disruption-controller';
import { EndpointSliceController } from './controllers/endpoint-slice-controller';
import { EndpointsController } from './controllers/endpoints-controller';
import { EventRecorder } from './machinery/event-recorder';
import { turnIfDue } from './machinery/io-turn';
import { GarbageCollector } from './controllers/garbage-collector';
import { JobController } from './controllers/job-controller';
import { NamespaceController } from './controllers/namespace-controller';
import { NodeAutoscaler, type AutoscalerOptions } from './controllers/node-autoscaler';
import { NODE_MONITOR_GRACE_PERIOD_MS, NodeLifecycleController } from './controllers/node-lifecycle-controller';
import { TaintEvictionController } from './controllers/taint-eviction-controller';
import { PersistentVolumeController } from './controllers/persistent-volume-controller';
import { PodGcController } from './controllers/pod-gc-controller';
import { ReplicaSetController } from './controllers/replica-set-controller';
import { ReplicationControllerController } from './controllers/replication-controller-controller';
import { StatefulSetController } from './controllers/stateful-set-controller';
import type { RunningController } from './machinery/controller-runner';
import { InformerFactory, NODES, PODS } from './machinery/informer-factory';
import { NodePool } from './node-pool';
import { Kubelet } from './kubelet/kubelet';
import { ResourceMetricsCollector } from './kubelet/resource-metrics-collector';
import { MetricsHub } from './api/metrics/metrics-source';
import { HorizontalPodAutoscalerController } from './controllers/horizontal-pod-autoscaler-controller';
import type { NodeResources } from './kubelet/node-object';
import { PodDispatcher } from './kubelet/pod-dispatcher';
import type { ContainerRuntime, RuntimeFactory } from './kubelet/runtime';
import type { JsonObject } from './store/object';
import type { ObjectStore } from './store/object-store';
import { Scheduler } from './scheduler/scheduler';

export interface NodeSpec {
  name: string;
  resources?: NodeResources;
  labels?: Record<string, string>;
  taints?: JsonObject[];
}

/**
 * A ReplicaSet's worker waits for each batch of its pods' creates to be written (the log's flush) before the
 * next: with 4 workers the 100 ReplicaSets of a churn left the loop idle a quarter to a third of the time (CPU
 * profile, load 11). 8 keep the scheduler and kubelets fed; 16 held more pods in flight than row 7's memory
 * allows (docs/BENCHMARKS.md, session 13).
 */
const REPLICA_SET_WORKERS = 8;

export interface ControlPlaneOptions {
  store: ObjectStore;
  clock: Clock;
  /** A node count (`kube-workbench-node-1`...`-N`, the names `cluster start` registers) or the nodes themselves. */
  nodes: number | NodeSpec[];
  runtimeFactory: RuntimeFactory;
  /** The write path (registry + admission) the API server uses; the standard one when left out. */
  api?: ApiContext;
  /** Workers per controller (default 4). */
  workers?: number;
  /** Workers of the ReplicaSet controller (default 8, see REPLICA_SET_WORKERS). */
  replicaSetWorkers?: number;
  /** Where the cluster's Ingress entry listens, once it does: written into each Ingress's status. */
  ingressAddress?: () => IngressAddress | undefined;
  /** Capacity of a node created through the API without one (node pool, autoscaler). */
  nodeTemplate?: NodeResources;
  /** The node autoscaler's settings; unset: no autoscaling. */
  autoscaler?: AutoscalerOptions;
  /** Where background failures (a pool node that would not start) are told. */
  onError?: (message: string) => void;
  /** The node monitor grace period (Kubernetes' 50 s when unset); kubelets renew their Leases 5 times within it, at most every 10 s. */
  nodeMonitorGracePeriodMs?: number;
  /** Where the kubelets' resource metrics go (and the HPA controller reads them); a hub of its own when left out. */
  metrics?: MetricsHub;
  /** Ms between two resource metrics scrapes (default 15 s). */
  metricResolutionMs?: number;
  /** Ms between two syncs of each HorizontalPodAutoscaler (default 15 s). */
  hpaSyncPeriodMs?: number;
}

export interface ControlPlane {
  readonly informers: InformerFactory;
  readonly scheduler: Scheduler;
  readonly kubelets: readonly Kubelet[];
  readonly runtimes: readonly ContainerRuntime[];
  readonly events: EventRecorder;
  readonly metrics: MetricsHub;
  readonly collectors: readonly ResourceMetricsCollector[];
  stop(): Promise<void>;
}

export function nodeSpecs(nodes: number | NodeSpec[]): NodeSpec[] {
  if (Array.isArray(nodes)) return nodes;
  return Array.from({ length: nodes }, (_, i) => ({ name: `kube-workbench-node-${i + 1}` }));
}

export async function startControlPlane(options: ControlPlaneOptions): Promise<ControlPlane> {
  const { store, clock } = options;
  const informers = new InformerFactory(store);
  const events = new EventRecorder(store, clock);
  // Writers resuming after a log flush take turns with the workers (and wait while a request is answered).
  const api: ApiContext = { ...(options.api ?? localApiContext(store, clock)), pace: turnIfDue };
  const ctx = { store, api, clock, informers, events };
  const metrics = options.metrics ?? api.metrics ?? new MetricsHub();
  const workers = options.workers ?? 4;
  const scheduler = new Scheduler(ctx);
  const gracePeriodMs = options.nodeMonitorGracePeriodMs ?? NODE_MONITOR_GRACE_PERIOD_MS;
  const leaseRenewMs = Math.min(10_000, Math.floor(gracePeriodMs / 5));
  const nodeInformer = informers.for(NODES);
  const replicaSets = new ReplicaSetController(ctx);
  const controllers: { run(workers?: number): RunningController }[] = [
    replicaSets,
    new ReplicationControllerController(ctx),
    new DeploymentController(ctx),
    new EndpointsController(ctx),
    new EndpointSliceController(ctx),
    new GarbageCollector(ctx),
    new NamespaceController(ctx),
    new PersistentVolumeController(ctx),
    new StatefulSetController(ctx),
    new DaemonSetController(ctx),
    new JobController(ctx),
    new CronJobController(ctx),
    new DisruptionController(ctx),
    new PodGcController(ctx),
    new NodeLifecycleController(ctx, { gracePeriodMs }),
    new TaintEvictionController(ctx),
    new HorizontalPodAutoscalerController(ctx, {
      metrics,
      ...(options.hpaSyncPeriodMs !== undefined ? { syncPeriodMs: options.hpaSyncPeriodMs } : {}),
    }),
  ];
  if (options.autoscaler) controllers.push(new NodeAutoscaler(ctx, options.autoscaler));
  if (options.ingressAddress) controllers.push(new IngressStatusController(ctx, options.ingressAddress));
  const dispatcher = new PodDispatcher(informers.for(PODS));
  // Resource metrics: one collector per node the pool runs (those of `cluster start` and those added later).
  const collectors = new Map<string, { collector: ResourceMetricsCollector; unplug: () => void }>();
  let collecting = false;
  const members = {
    added(name: string, runtime: ContainerRuntime): void {
      const collector = new ResourceMetricsCollector({
        nodeName: name,
        clock,
        runtime,
        pods: () => dispatcher.podsOn(name).values(),
        ...(options.metricResolutionMs !== undefined ? { intervalMs: options.metricResolutionMs } : {}),
      });
      collectors.set(name, { collector, unplug: metrics.addResourceSource(collector) });
      if (collecting) collector.start();
    },
    removed(name: string): void {
      const member = collectors.get(name);
      if (!member) return;
      collectors.delete(name);
      member.unplug();
      void member.collector.stop();
    },
  };
  const pool = new NodePool({
    store,
    api,
    clock,
    events,
    dispatcher,
    runtimeFactory: options.runtimeFactory,
    nodes: nodeInformer,
    leaseRenewMs,
    ...(options.nodeTemplate ? { template: options.nodeTemplate } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
    members,
  });
  const { kubelets, runtimes } = pool;
  nodeSpecs(options.nodes).forEach((node, i) => {
    const runtime = options.runtimeFactory(node.name, i);
    pool.adopt(
      node.name,
      new Kubelet({ ...node, store, api, clock, events, runtime, dispatcher, nodes: nodeInformer, leaseRenewMs }),
      runtime,
    );
  });
  await informers.start();
  for (const kubelet of [...kubelets]) await kubelet.start();
  pool.watch();
  collecting = true;
  for (const { collector } of collectors.values()) collector.start();
  const replicaSetWorkers = options.replicaSetWorkers ?? REPLICA_SET_WORKERS;
  const running = [scheduler.run(), ...controllers.map((c) => c.run(c === replicaSets ? replicaSetWorkers : workers))];
  let stopped: Promise<void> | undefined;
  return {
    informers,
    scheduler,
    kubelets,
    runtimes,
    events,
    metrics,
    get collectors() {
      return [...collectors.values()].map((m) => m.collector);
    },
    stop() {
      stopped ??= (async () => {
        await Promise.all([...collectors.values()].map((m) => m.collector.stop()));
        await Promise.all(running.map((r) => r.stop()));
        await pool.stop();
        await Promise.all(kubelets.map((k) => k.stop()));
        informers.stop();
        await events.flush();
        await Promise.all(runtimes.map((r) => r.close()));
      })();
      return stopped;
    },
  };
}
