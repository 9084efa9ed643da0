/**
 * Serves `pods/log`, `pods/exec`, `pods/attach` and `pods/portforward` from the runtime of the pod's node: the
 * container's ID comes from the pod's status (`docker://ID`), the previous
 * instance's from `lastState.terminated`. Errors read like the kubelet's.
 */
import type { PodIo } from '../api/pod-io';
import { badRequest } from '../store/errors';
import { isObject, type JsonObject } from '../store/object';
import type { Stored } from '../store/object-store';
import type { ContainerRuntime, ExecSession, LogOptions } from './runtime';
import type { Duplex, Readable } from 'node:stream';

export class PodIoRouter implements PodIo {
  private readonly runtimes = new Map<string, ContainerRuntime>();

  /** Registers the runtime of a node. */
  addRuntime(nodeName: string, runtime: ContainerRuntime): void {
    this.runtimes.set(nodeName, runtime);
  }

  logs(pod: Stored, container: string, options: LogOptions): Promise<Readable> {
    const { runtime, id } = this.locate(pod, container, options.previous === true);
    return runtime.logs(id, options);
  }

  exec(
    pod: Stored,
    container: string,
    command: string[],
    options: { stdin: boolean; tty: boolean },
  ): Promise<ExecSession> {
    const { runtime, id, running } = this.locate(pod, container, false);
    if (!running) throw badRequest(`unable to upgrade connection: container not found ("${container}")`);
    return runtime.exec(id, command, options);
  }

  attach(pod: Stored, container: string, options: { stdin: boolean; tty: boolean }): Promise<ExecSession> {
    const { runtime, id, running } = this.locate(pod, container, false);
    if (!running)
      throw badRequest(`unable to upgrade connection: container ${container} not found in pod ${pod.metadata.name}`);
    if (!runtime.attach) throw badRequest('this container runtime cannot attach to a container');
    return runtime.attach(id, options);
  }

  async portForward(pod: Stored, port: number): Promise<Duplex> {
    const name = pod.metadata.name ?? '';
    const spec = isObject(pod.spec) ? pod.spec : {};
    const runtime = this.runtimes.get(typeof spec.nodeName === 'string' ? spec.nodeName : '');
    const uid = pod.metadata.uid ?? '';
    const sandbox = !runtime
      ? undefined
      : runtime.findPodSandbox
        ? await runtime.findPodSandbox(uid)
        : (await runtime.listPodSandboxes()).find((s) => s.podUid === uid && s.state === 'ready')?.id;
    if (!runtime || !sandbox) throw badRequest(`unable to forward port ${port}: pod ${name} is not running`);
    return runtime.portForward(sandbox, port);
  }

  private locate(
    pod: Stored,
    container: string,
    previous: boolean,
  ): { runtime: ContainerRuntime; id: string; running: boolean } {
    const name = pod.metadata.name ?? '';
    const spec = isObject(pod.spec) ? pod.spec : {};
    const node = typeof spec.nodeName === 'string' ? spec.nodeName : '';
    const runtime = this.runtimes.get(node);
    const status = isObject(pod.status) ? pod.status : {};
    const all = [status.containerStatuses, status.initContainerStatuses, status.ephemeralContainerStatuses].flatMap(
      (l) => (Array.isArray(l) ? l.filter(isObject) : []),
    );
    const s = all.find((c) => c.name === container);
    const declared = ['containers', 'initContainers', 'ephemeralContainers'].some(
      (k) => Array.isArray(spec[k]) && spec[k].some((c) => isObject(c) && c.name === container),
    );
    if (!declared) throw badRequest(`container ${container} is not valid for pod ${name}`);
    if (!runtime || !s)
      throw badRequest(`container "${container}" in pod "${name}" is waiting to start: ContainerCreating`);
    const state = isObject(s.state) ? s.state : {};
    if (previous) {
      const last = isObject(s.lastState) && isObject(s.lastState.terminated) ? s.lastState.terminated : undefined;
      const id = idOf(last);
      if (!id) throw badRequest(`previous terminated container "${container}" in pod "${name}" not found`);
      return { runtime, id, running: false };
    }
    const current = isObject(state.running) ? state.running : isObject(state.terminated) ? state.terminated : undefined;
    let id =
      idOf(current) ?? (typeof s.containerID === 'string' ? s.containerID.replace(/^[a-z]+:\/\//, '') : undefined);
    if (!id && isObject(state.waiting)) {
      // Waiting to restart (CrashLoopBackOff): the logs of the last run, as kubectl shows them.
      id = idOf(isObject(s.lastState) && isObject(s.lastState.terminated) ? s.lastState.terminated : undefined);
      if (!id) {
        const reason = typeof state.waiting.reason === 'string' ? state.waiting.reason : 'ContainerCreating';
        throw badRequest(`container "${container}" in pod "${name}" is waiting to start: ${reason}`);
      }
    }
    if (!id) throw badRequest(`container "${container}" in pod "${name}" is waiting to start: ContainerCreating`);
    return { runtime, id, running: isObject(state.running) };
  }
}

function idOf(state: JsonObject | undefined): string | undefined {
  const id = state?.containerID;
  return typeof id === 'string' && id !== '' ? id.replace(/^[a-z]+:\/\//, '') : undefined;
}
