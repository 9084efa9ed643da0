/**
 * Builds images by running `kube-workbench build --events json` (the
 * orchestrator bundle does the Docker work; the extension and `kube-workbench
 * run` only read its typed events). The request goes in on standard input;
 * every event is handed on as it arrives; the result says which reference
 * each image was built as, or why the build failed.
 */
import { spawn } from 'node:child_process';
import { parseBuildEvent, type BuildEvent, type BuildRequest } from '../../orchestrator/protocol/build-events.js';
import type { ArtifactConfig } from './skaffold-config.js';

export interface BuildOutcome {
  ok: boolean;
  /** Image name → its content-hash reference, for the images that are there. */
  images: Record<string, string>;
  /** The build's error events (with Dockerfile and line when the engine named a step or line). */
  errors: Extract<BuildEvent, { type: 'error' }>[];
  /** Images built now (not found up to date). */
  built: string[];
}

export interface BuildRunnerOptions {
  /** `scripts/kube-workbench.js`. */
  cliScript: string;
  /** The Node executable (default: this process's, run as Node). */
  execPath?: string;
  /** A Docker engine socket other than the default. */
  dockerSocket?: string;
  onEvent?: (event: BuildEvent) => void;
  signal?: AbortSignal;
}

/** The request for some artifacts of a workspace configuration. */
export function buildRequest(artifacts: readonly ArtifactConfig[]): BuildRequest {
  return {
    artifacts: artifacts.map((a) => ({
      image: a.image,
      context: a.context,
      dockerfile: a.dockerfile,
      ...(Object.keys(a.buildArgs).length > 0 ? { buildArgs: { ...a.buildArgs } } : {}),
      ...(a.target !== undefined ? { target: a.target } : {}),
    })),
  };
}

export function runBuild(request: BuildRequest, options: BuildRunnerOptions): Promise<BuildOutcome> {
  const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_RUN_AS_NODE: '1' };
  if (options.dockerSocket) env.DOCKER_HOST = `unix://${options.dockerSocket}`;
  const child = spawn(
    options.execPath ?? process.execPath,
    [options.cliScript, 'build', '--events', 'json', '--request', '-'],
    { stdio: ['pipe', 'pipe', 'pipe'], env },
  );
  const outcome: BuildOutcome = { ok: false, images: {}, errors: [], built: [] };
  let sawResult = false;
  let stderr = '';
  let partial = '';
  const onLine = (line: string) => {
    const event = parseBuildEvent(line);
    if (!event) return;
    if (event.type === 'error') outcome.errors.push(event);
    if (event.type === 'built') outcome.built.push(event.image);
    if (event.type === 'result') {
      sawResult = true;
      outcome.ok = event.ok;
      outcome.images = event.images;
    }
    options.onEvent?.(event);
  };
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    if (stderr.length < 64 * 1024) stderr += chunk;
  });
  const abort = () => child.kill('SIGTERM');
  options.signal?.addEventListener('abort', abort, { once: true });
  child.stdin.on('error', () => undefined); // the child may exit before reading it all
  child.stdin.end(JSON.stringify(request));
  return new Promise((resolve) => {
    const finish = (why: string | undefined) => {
      options.signal?.removeEventListener('abort', abort);
      if (partial !== '') onLine(partial);
      partial = '';
      if (!sawResult || (!outcome.ok && outcome.errors.length === 0)) {
        outcome.ok = false;
        const message = options.signal?.aborted
          ? 'the build was cancelled'
          : `the build command failed (${why ?? 'no result'})${stderr.trim() ? `: ${stderr.trim().slice(-2000)}` : ''}`;
        const event: BuildEvent = { type: 'error', image: '', message };
        outcome.errors.push(event);
        options.onEvent?.(event);
      }
      resolve(outcome);
    };
    child.on('error', (error) => finish(error.message));
    child.on('close', (code, signal) => finish(signal ? `signal ${signal}` : `exit code ${code ?? '?'}`));
  });
}
