/**
 * Probes and preStop hooks against a real container: exec through `docker
 * exec` (its exit code, with the output in the failure message), httpGet
 * and tcpSocket to the pod IP on the cluster bridge (named ports from the
 * container's label), each bounded by its timeout on the injected clock.
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import type { Clock } from '../clock';
import { isObject, type JsonObject } from '../store/object';
import type { DockerEngine } from './docker-client';
import type { ContainerInfo } from './docker-engine-types';
import { LABEL } from './docker-labels';
import type { ProbeResult } from './runtime';
import { withTimeout } from './with-timeout';

/** Runs one probe (exec, httpGet or tcpSocket) against a container the engine just inspected. */
export async function probeContainer(
  engine: DockerEngine,
  clock: Clock,
  info: ContainerInfo,
  probe: Readonly<JsonObject>,
  podIp: string,
): Promise<ProbeResult> {
  if (!info.running) return { success: false, message: 'container is not running' };
  const t = probe.timeoutSeconds;
  const timeout = typeof t === 'number' && Number.isSafeInteger(t) && t >= 1 ? Math.min(t, 86_400) : 1;
  if (isObject(probe.exec) && Array.isArray(probe.exec.command)) {
    const session = await engine.exec(info.id, probe.exec.command.map(String), { stdin: false, tty: false });
    let output = '';
    session.stdout.on('data', (c: Buffer) => (output += c.toString()));
    session.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const code = await withTimeout(session.exitCode, timeout * 1000, clock).catch(() => undefined);
    if (code === undefined) return { success: false, message: `command timed out after ${timeout}s` };
    return code === 0
      ? { success: true }
      : {
          success: false,
          message: `command ${JSON.stringify(probe.exec.command)} exited with ${code}: ${output.trim()}`,
        };
  }
  if (isObject(probe.httpGet)) return httpProbe(probe.httpGet, podIp, info, timeout);
  if (isObject(probe.tcpSocket)) {
    const port = resolvePort(probe.tcpSocket.port, info);
    const host = typeof probe.tcpSocket.host === 'string' ? probe.tcpSocket.host : podIp;
    return tcpProbe(host, port, timeout);
  }
  return { success: false, message: 'probe has no exec, httpGet or tcpSocket handler' };
}

/** Runs a preStop hook (exec, httpGet or sleep) for at most `seconds`. */
export async function runPreStopHook(
  engine: DockerEngine,
  clock: Clock,
  info: ContainerInfo,
  hook: JsonObject,
  podIp: string,
  seconds: number,
): Promise<void> {
  if (isObject(hook.exec) && Array.isArray(hook.exec.command)) {
    const session = await engine.exec(info.id, hook.exec.command.map(String), { stdin: false, tty: false });
    session.stdout.resume();
    session.stderr.resume();
    await withTimeout(session.exitCode, seconds * 1000, clock);
  } else if (isObject(hook.httpGet)) {
    await httpProbe(hook.httpGet, podIp, info, seconds);
  } else if (isObject(hook.sleep) && typeof hook.sleep.seconds === 'number') {
    const ms = Math.min(seconds, hook.sleep.seconds) * 1000;
    await new Promise<void>((r) => clock.setTimeout(r, ms));
  }
}

function resolvePort(port: unknown, info: ContainerInfo): number {
  if (typeof port === 'number') return port;
  if (typeof port === 'string' && /^\d+$/.test(port)) return Number(port);
  const named = JSON.parse(info.labels[LABEL.ports] ?? '{}') as Record<string, number>;
  return named[String(port)] ?? 0;
}

function httpProbe(get: JsonObject, podIp: string, info: ContainerInfo, timeoutSeconds: number): Promise<ProbeResult> {
  const port = resolvePort(get.port, info);
  const host = typeof get.host === 'string' && get.host !== '' ? get.host : podIp;
  const path = typeof get.path === 'string' && get.path !== '' ? get.path : '/';
  const headers: Record<string, string> = { 'User-Agent': 'kube-probe/1.32', Accept: '*/*' };
  for (const h of Array.isArray(get.httpHeaders) ? get.httpHeaders.filter(isObject) : [])
    headers[String(h.name)] = String(h.value);
  return new Promise((resolve) => {
    const req = request({ host, port, path, headers, timeout: timeoutSeconds * 1000, agent: false }, (res) => {
      res.resume();
      const code = res.statusCode ?? 0;
      resolve(
        code >= 200 && code < 400
          ? { success: true }
          : { success: false, message: `HTTP probe failed with statuscode: ${code}` },
      );
    });
    req.on('timeout', () => {
      req.destroy();
      resolve({ success: false, message: `Get "http://${host}:${port}${path}": context deadline exceeded` });
    });
    req.on('error', (e) => resolve({ success: false, message: `Get "http://${host}:${port}${path}": ${e.message}` }));
    req.end();
  });
}

function tcpProbe(host: string, port: number, timeoutSeconds: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(timeoutSeconds * 1000, () => {
      socket.destroy();
      resolve({ success: false, message: `dial tcp ${host}:${port}: i/o timeout` });
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve({ success: true });
    });
    socket.once('error', (e) => resolve({ success: false, message: `dial tcp ${host}:${port}: ${e.message}` }));
  });
}
