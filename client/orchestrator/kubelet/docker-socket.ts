/** Where the engine client connects, and an optional trace of its requests. */
import { appendFileSync } from 'node:fs';

/** The engine's socket: `DOCKER_HOST` when it is a `unix://` address, else Docker's default. */
export function defaultSocketPath(): string {
  const host = process.env['DOCKER_HOST'];
  if (host?.startsWith('unix://')) return host.slice('unix://'.length);
  return '/var/run/docker.sock';
}

/** The engine client's transport: every request goes through its `dial`. */
interface Dialer {
  dial: (options: { method?: string; path?: string }, ...rest: unknown[]) => unknown;
}

/**
 * With `KW_ENGINE_TRACE=FILE`, every request to the engine is appended to FILE as `ms method path`
 * (the path without its query): to count the engine calls of an apply (bench/apply-timeline.mjs).
 */
export function traceEngineCalls(modem: unknown, file: string): void {
  const dialer = modem as Dialer;
  const dial = dialer.dial.bind(dialer);
  dialer.dial = (options, ...rest) => {
    const path = String(options.path ?? '').split('?')[0] ?? '';
    appendFileSync(file, `${Date.now()} ${options.method ?? 'GET'} ${path}\n`);
    return dial(options, ...rest);
  };
}
