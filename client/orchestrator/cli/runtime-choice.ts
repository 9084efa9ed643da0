/**
 * Which container runtime `cluster start` uses: `--runtime docker` needs an
 * engine; without `--runtime`, docker when an engine answers and the fake
 * runtime (with a message saying why) otherwise.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../clock';
import { DockerEngine } from '../kubelet/docker-client';
import { LABEL } from '../kubelet/docker-labels';
import { dockerRuntimes, type DockerRuntimes } from '../kubelet/docker-runtime-factory';
import { fakeRuntimeFactory } from '../kubelet/fake-runtime';
import { PodIoRouter } from '../kubelet/pod-io-router';
import { ServiceProxies } from '../proxy/service-proxies';
import type { RuntimeFactory } from '../kubelet/runtime';
import type { ServiceTarget } from '../proxy/ready-endpoints';
import type { ObjectStore } from '../store/object-store';
import type { Output, StartOptions } from './args';

export interface RuntimeChoice {
  name: 'docker' | 'fake';
  /** Why the fake runtime is used, when no Docker engine answered. */
  note?: string;
  factory: RuntimeFactory;
  docker?: DockerRuntimes & { engine: DockerEngine };
  /** Logs and exec for the API server, from the runtime of each pod's node. */
  podIo: PodIoRouter;
  /** Where the host reaches a Service port (its proxy); undefined when the runtime runs none. */
  serviceAddress(namespace: string, service: string, port: number): Promise<ServiceTarget | undefined>;
  /** Whether this process reaches pod IPs, so node ports and the Ingress forward to pods from here. */
  podIpsReachable: boolean;
  /** Forgets a cached Service address that refused a connection. */
  forgetServiceAddress(namespace: string, service: string): void;
  /** Stops the runtime; a cluster network left without containers is removed (Docker refuses while any remain). */
  stop(): Promise<void> | void;
}

/**
 * Whether this process reaches pod IPs on the cluster network: Docker on
 * Linux, where the cluster's bridge is a local interface (not Docker Desktop's
 * VM, nor a remote engine). Then node ports and the Ingress forward to pods
 * directly from here.
 */
function podIpsReachable(): boolean {
  const host = process.env['DOCKER_HOST'] ?? '';
  return process.platform === 'linux' && (host === '' || host.startsWith('unix://'));
}

/** Resolves with the runtime, or rejects with a message when `--runtime docker` has no engine. */
export async function chooseRuntime(
  options: StartOptions,
  deps: { clock: Clock; store: ObjectStore; output: Output; engine?: DockerEngine; podIo?: PodIoRouter },
): Promise<RuntimeChoice> {
  // The API server may already serve with this router: the runtimes join it as the nodes start.
  const podIo = deps.podIo ?? new PodIoRouter();
  const attached =
    (factory: RuntimeFactory): RuntimeFactory =>
    (node, index) => {
      const runtime = factory(node, index);
      podIo.addRuntime(node, runtime);
      return runtime;
    };
  const fake = (): RuntimeChoice => ({
    name: 'fake',
    factory: attached(fakeRuntimeFactory({ clock: deps.clock })),
    podIo,
    serviceAddress: () => Promise.resolve(undefined),
    podIpsReachable: false,
    forgetServiceAddress: () => undefined,
    stop: () => undefined,
  });
  if (options.runtime === 'fake') return fake();
  const engine = deps.engine ?? new DockerEngine();
  try {
    await engine.ping();
  } catch (error) {
    if (options.runtime === 'docker') throw error;
    const note = `${(error as Error).message} Using the fake runtime (pods do not run).`;
    deps.output.err(`kube-workbench cluster: ${note}`);
    return { ...fake(), note };
  }
  // The Docker runtime's state folder, made now: `cluster stop|delete` read from it that this cluster has Docker objects.
  mkdirSync(join(options.dataDir, 'kubelet'), { recursive: true, mode: 0o700 });
  const docker = dockerRuntimes({
    engine,
    clock: deps.clock,
    store: deps.store,
    dataDir: options.dataDir,
    allowHostPath: options.allowHostPath ?? false,
  });
  const direct = podIpsReachable();
  const services = new ServiceProxies({
    publishNodePorts: !direct,
    engine,
    store: deps.store,
    clock: deps.clock,
    clusterId: docker.clusterId,
    infraImage: () => docker.infraImage(),
    stateDir: join(options.dataDir, 'kubelet'),
    onError: (message) => deps.output.err(`kube-workbench cluster: ${message}`),
  });
  // Build the infrastructure image now, so the first pod does not wait for it (and a failure shows at once).
  await docker.infraImage();
  services.start();
  return {
    name: 'docker',
    factory: attached(docker.factory),
    docker: { ...docker, engine },
    podIo,
    serviceAddress: async (namespace, service, port) => {
      const host = await services.address(namespace, service);
      return host ? { host, port } : undefined;
    },
    podIpsReachable: direct,
    forgetServiceAddress: (namespace, service) => services.forget(namespace, service),
    stop: async () => {
      services.stop();
      docker.stop();
      for (const n of await engine.networksByLabels({ [LABEL.cluster]: docker.clusterId }).catch(() => [])) {
        await engine.removeNetwork(n.id).catch(() => undefined); // still in use by running pods: kept
      }
    },
  };
}
