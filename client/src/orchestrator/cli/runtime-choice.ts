/**
 * Which container runtime `cluster start` uses: `--runtime docker` needs an
 * engine; without `--runtime`, docker when an engine answers and the fake
 * runtime (with a message saying why) otherwise.
 */
import type { Clock } from '../clock';
import { DockerEngine } from '../kubelet/docker-client';
import { dockerRuntimes, type DockerRuntimes } from '../kubelet/docker-runtime-factory';
import { fakeRuntimeFactory } from '../kubelet/fake-runtime';
import type { RuntimeFactory } from '../kubelet/runtime';
import type { ObjectStore } from '../store/object-store';
import type { StartOptions } from './args';
import type { Output } from './start-cluster';

export interface RuntimeChoice {
  name: 'docker' | 'fake';
  factory: RuntimeFactory;
  docker?: DockerRuntimes & { engine: DockerEngine };
  stop(): void;
}

/** Resolves with the runtime, or rejects with a message when `--runtime docker` has no engine. */
export async function chooseRuntime(
  options: StartOptions,
  deps: { clock: Clock; store: ObjectStore; output: Output; engine?: DockerEngine },
): Promise<RuntimeChoice> {
  const fake = (): RuntimeChoice => ({
    name: 'fake',
    factory: fakeRuntimeFactory({ clock: deps.clock }),
    stop: () => undefined,
  });
  if (options.runtime === 'fake') return fake();
  const engine = deps.engine ?? new DockerEngine();
  try {
    await engine.ping();
  } catch (error) {
    if (options.runtime === 'docker') throw error;
    deps.output.err(`kube-workbench cluster: ${(error as Error).message} Using the fake runtime (pods do not run).`);
    return fake();
  }
  const docker = dockerRuntimes({
    engine,
    clock: deps.clock,
    store: deps.store,
    dataDir: options.dataDir,
    allowHostPath: options.allowHostPath ?? false,
  });
  // Build the infrastructure image now, so the first pod does not wait for it (and a failure shows at once).
  await docker.infraImage();
  return { name: 'docker', factory: docker.factory, docker: { ...docker, engine }, stop: () => docker.stop() };
}
