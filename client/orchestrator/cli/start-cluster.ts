/**
 * `cluster start`: opens the store in the data directory, bootstraps the
 * cluster, serves the API, writes the kubeconfig and the ready record
 * (protocol/ready-record.ts), and runs until SIGTERM or SIGINT, then flushes
 * and closes everything and removes the ready record.
 */
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  findSchemasDir,
  loadSchemasIfPresent,
  schemaVersions,
  unsupportedVersionMessage,
  type KubernetesSchemas,
} from '../../../server/kube-model/schema-loader';
import { servedVersion } from '../api/discovery';
import { localApiContext, standardAdmission } from '../api/local-api-context';
import { ApiServer } from '../api/api-server';
import type { EarlyApi } from '../api/early-api-server';
import { Registry } from '../api/registry';
import { MetricsHub } from '../api/metrics/metrics-source';
import { systemClock } from '../clock';
import { ObjectStore } from '../store/object-store';
import { StoreDamageError } from '../store/write-ahead-log';
import { startControlPlane } from '../control-plane';
import { ENDPOINTS, SERVICES } from '../machinery/informer-factory';
import { IngressServer } from '../proxy/ingress-server';
import { NodePortServer } from '../proxy/node-port-server';
import { RequestMetrics } from '../proxy/request-metrics';
import { DATA_DIR_FILES } from '../protocol/data-dir-files';
import { START_FLAGS } from '../protocol/command-line';
import { READY_RECORD_FORMAT, readyLine, removeReadyRecord, writeReadyRecord } from '../protocol/ready-record';
import type { ReadyRecord } from '../protocol/ready-record';
import type { Output, StartOptions } from './args';
import { autoscalerOptions } from './autoscaler-options';
import { bootstrap, nodeTemplate } from './bootstrap';
import { listenOn, PortUnavailableError } from './port-in-use';
import { chooseRuntime, type RuntimeChoice } from './runtime-choice';
import { PodIoRouter } from '../kubelet/pod-io-router';
import { DataDirFileError } from './data-dir-file';
import {
  kubeconfigText,
  loadOrCreateTls,
  loadOrCreateToken,
  lockDataDir,
  makeDataDirPrivate,
  writeFileAtomic,
} from './data-dir';

/**
 * The schemas of the version the cluster serves, as the language server loads
 * them: the asked version (an error when `schemas/` does not hold it) or the default.
 * No schemas at all and no version asked: undefined, and admission checks no schemas.
 */
export function clusterSchemas(kubernetesVersion: string | undefined): KubernetesSchemas | undefined {
  if (kubernetesVersion === undefined) return loadSchemasIfPresent();
  let versions: string[];
  try {
    versions = schemaVersions(findSchemasDir(__dirname)).versions;
  } catch {
    throw new Error(`no schemas for Kubernetes ${kubernetesVersion}: schemas/index.json not found`);
  }
  if (!versions.includes(kubernetesVersion)) throw new Error(unsupportedVersionMessage(kubernetesVersion, versions));
  return loadSchemasIfPresent(kubernetesVersion);
}

/** Resolves with the exit code once the cluster has stopped. */
export async function startCluster(
  options: StartOptions,
  output: Output,
  stopSignal: Promise<string>,
  early?: EarlyApi,
): Promise<number> {
  const clock = systemClock;
  let schemas: KubernetesSchemas | undefined;
  try {
    schemas = clusterSchemas(options.kubernetesVersion);
  } catch (error) {
    output.err(`kube-workbench cluster: ${(error as Error).message}`);
    return 1;
  }
  let release: () => Promise<void>;
  try {
    await makeDataDirPrivate(options.dataDir);
    release = await lockDataDir(options.dataDir, (line) => output.err(`kube-workbench cluster: ${line}`));
  } catch (error) {
    output.err(`kube-workbench cluster: ${(error as Error).message}`);
    return 1;
  }
  let store: ObjectStore | undefined;
  /** What has started, stopped last first (each only once, on the way out). */
  const stack: (() => Promise<void>)[] = [];
  try {
    await removeReadyRecord(options.dataDir); // an earlier run's, if it did not stop cleanly
    try {
      store = await ObjectStore.open({
        clock,
        dataDir: join(options.dataDir, 'store'),
        ...(options.recover ? { recover: true } : {}),
        report: (line) => output.err(`kube-workbench cluster: ${line}`),
      });
    } catch (error) {
      if (!(error instanceof StoreDamageError)) throw error;
      output.err(`kube-workbench cluster: ${error.message}`);
      await release();
      return 1;
    }
    const [token, tls] = await Promise.all([loadOrCreateToken(options.dataDir), loadOrCreateTls(options.dataDir)]);
    // The socket the small start bundle listens on, when it presents what this start would.
    const adopted = early && early.token === token && early.tls.key === tls.key && early.tls.cert === tls.cert;
    if (early && !adopted) await early.close();
    const registry = new Registry();
    const admission = standardAdmission(
      options.defaultTolerationSeconds !== undefined
        ? { defaultTolerationSeconds: options.defaultTolerationSeconds }
        : {},
    );
    const metrics = new MetricsHub();
    const requestMetrics = new RequestMetrics();
    metrics.setRequestSource(requestMetrics);
    const podIo = new PodIoRouter();
    const server = new ApiServer({
      store,
      clock,
      registry,
      admission,
      token,
      tls,
      port: options.port,
      pods: podIo,
      metrics,
      ...(schemas ? { schemas } : {}),
      ...(adopted ? { early } : {}),
    });
    // The API serves as soon as the store is loaded (as kube-apiserver does before any kubelet
    // registers); the runtime (Docker), the nodes and the controllers start after, and the
    // kubeconfig and ready record come once all of them run. A taken port is told before
    // anything else has started.
    const running = await listenOn('API server', START_FLAGS.port, options.port, () => server.listen());
    let apiClosed: Promise<void> | undefined;
    const closeApi = () => (apiClosed ??= running.close());
    stack.push(closeApi);
    // One turn of the event loop for requests already waiting on the new socket.
    await new Promise((resolve) => setImmediate(resolve));
    let runtime: RuntimeChoice;
    try {
      runtime = await chooseRuntime(options, { clock, store, output, podIo });
    } catch (error) {
      output.err(`kube-workbench cluster: ${(error as Error).message}`);
      await unwind(stack);
      await store.close();
      await release();
      return 1;
    }
    stack.push(async () => runtime.stop());
    const template = nodeTemplate(options.nodeCpu, options.nodeMemory);
    await bootstrap(store, clock, options.nodes, runtime.name, template);
    const entry: { port?: number } = {}; // where the Ingress entry listens, once it does
    const controlPlane = await startControlPlane({
      store,
      clock,
      nodes: options.nodes,
      runtimeFactory: runtime.factory,
      nodeTemplate: template,
      onError: (message) => output.err(`kube-workbench cluster: ${message}`),
      ...(options.maxNodes !== undefined ? { autoscaler: autoscalerOptions(options, template) } : {}),
      api: localApiContext(store, clock, registry, admission),
      ...(options.nodeMonitorGracePeriodMs !== undefined
        ? { nodeMonitorGracePeriodMs: options.nodeMonitorGracePeriodMs }
        : {}),
      metrics,
      ...(options.metricResolution !== undefined ? { metricResolutionMs: options.metricResolution * 1000 } : {}),
      ...(options.hpaSyncPeriod !== undefined ? { hpaSyncPeriodMs: options.hpaSyncPeriod * 1000 } : {}),
      ingressAddress: () => (entry.port === undefined ? undefined : { ip: '127.0.0.1', port: entry.port }),
    });
    stack.push(() => controlPlane.stop(), closeApi); // the API closes before the controllers stop
    const ingress = await listenOn('Ingress entry', START_FLAGS.ingressPort, options.ingressPort ?? 0, () =>
      new IngressServer({
        ingresses: controlPlane.informers.for('networking.k8s.io/ingresses'),
        services: controlPlane.informers.for(SERVICES),
        endpoints: controlPlane.informers.for(ENDPOINTS),
        serviceAddress: (namespace, service, port) => runtime.serviceAddress(namespace, service, port),
        targetFailed: (namespace, service) => runtime.forgetServiceAddress(namespace, service),
        podIpsReachable: runtime.podIpsReachable,
        port: options.ingressPort ?? 0,
        metrics: requestMetrics,
      }).listen(),
    );
    stack.push(() => ingress.close());
    const nodePorts = runtime.podIpsReachable
      ? new NodePortServer({
          services: controlPlane.informers.for(SERVICES),
          endpoints: controlPlane.informers.for(ENDPOINTS),
          onError: (message) => output.err(`kube-workbench cluster: ${message}`),
          metrics: requestMetrics,
        })
      : undefined;
    if (nodePorts) stack.push(() => nodePorts.close());
    entry.port = ingress.port;
    const kubeconfig = join(options.dataDir, DATA_DIR_FILES.kubeconfig);
    await writeFileAtomic(kubeconfig, kubeconfigText(running.url, token, tls.cert));
    const record: ReadyRecord = {
      format: READY_RECORD_FORMAT,
      pid: process.pid,
      startedAt: new Date(performance.timeOrigin).toISOString(),
      readyAt: new Date(clock.now()).toISOString(),
      version: servedVersion(schemas?.kubernetesVersion).gitVersion,
      api: running.url,
      kubeconfig: resolve(kubeconfig),
      ingress: ingress.url,
      runtime: runtime.name,
    };
    if (runtime.note !== undefined) record.runtimeNote = runtime.note;
    await writeReadyRecord(options.dataDir, record);
    output.out(`api: ${running.url}`);
    output.out(`ingress: ${ingress.url}`);
    output.out(`kubeconfig: ${kubeconfig}`);
    output.out(`ready: ${Math.round(performance.now())} ms`);
    output.out(readyLine(record));
    // The first `kubectl apply` reads every /openapi/v3 document: built now, between requests.
    void server
      .warmOpenApi()
      .catch((error: unknown) => output.err(`kube-workbench cluster: openapi: ${String(error)}`));
    await stopSignal;
    await removeReadyRecord(options.dataDir);
    await unwind(stack);
    await store.close();
    await release();
    return 0;
  } catch (error) {
    await removeReadyRecord(options.dataDir).catch(() => undefined);
    await unwind(stack).catch(() => undefined);
    await store?.close().catch(() => undefined);
    await release();
    if (!(error instanceof PortUnavailableError || error instanceof DataDirFileError)) throw error;
    output.err(`kube-workbench cluster: ${error.message}`);
    return 1;
  }
}

async function unwind(stack: (() => Promise<void>)[]): Promise<void> {
  for (let stop = stack.pop(); stop; stop = stack.pop()) await stop();
}
