/**
 * `kube-workbench build --request FILE|- [--events json]`: builds the images
 * a BuildRequest names on the Docker engine (build/image-builder.ts). With
 * `--events json` every line of stdout is one BuildEvent (the extension and
 * `kube-workbench run` read them); otherwise it prints readable progress, and a
 * failed step as `Dockerfile:LINE: message`. Exit 0 when every image is there.
 */
import { relative } from 'node:path';
import { DockerClient } from '../kubelet/docker-client';
import { buildArtifacts } from '../build/image-builder';
import { BuildRequestError, parseBuildRequest, type BuildEvent } from '../protocol/build-events';
import { readUntrustedFile, UntrustedFileError } from '../protocol/untrusted-file';
import { EXIT, noArguments, parseFlags, UsageError, type Command, type Output } from './command';

const MAX_REQUEST = 4 * 1024 * 1024;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST) throw new BuildRequestError(`the request is more than ${MAX_REQUEST} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readRequest(source: string): Promise<string> {
  if (source === '-') return readStdin();
  try {
    const text = await readUntrustedFile(source, MAX_REQUEST);
    if (text === undefined) throw new BuildRequestError(`${source}: no such file`);
    return text;
  } catch (error) {
    if (error instanceof UntrustedFileError) throw new BuildRequestError(`${source} is not valid: ${error.message}`);
    throw error;
  }
}

/** A readable line for an event, or undefined for the ones text output leaves out. */
export function eventText(event: BuildEvent, cwd = process.cwd()): string | undefined {
  switch (event.type) {
    case 'start':
      return `building ${event.tag}`;
    case 'cached':
      return `${event.tag} is up to date (context unchanged)`;
    case 'step':
      return `  step ${event.step}/${event.total}: ${event.instruction}`;
    case 'cache-hit':
      return undefined;
    case 'output':
      return `    ${event.text}`;
    case 'warning':
      return `warning: ${event.image}: ${event.message}`;
    case 'error': {
      const rel = event.dockerfile !== undefined ? relative(cwd, event.dockerfile) : '';
      const file = rel === '' || rel.startsWith('..') ? event.dockerfile : rel;
      const where = file !== undefined ? `${file}${event.line !== undefined ? `:${event.line}` : ''}: ` : '';
      return `error: ${where}${event.message}`;
    }
    case 'built':
      return `built ${event.tag} in ${event.seconds} s`;
    case 'result':
      return event.ok ? undefined : 'build failed';
  }
}

export async function runBuild(argv: readonly string[], output: Output): Promise<number> {
  const { flags, args } = parseFlags(argv, { '--request': 'value', '--events': 'value' });
  noArguments(args);
  const events = flags.get('--events') ?? 'text';
  if (events !== 'json' && events !== 'text') throw new UsageError(`--events takes json or text, not '${events}'`);
  const source = flags.get('--request');
  if (source === undefined) throw new UsageError('--request FILE (or - for standard input) is required');
  const emit = (event: BuildEvent) => {
    if (events === 'json') output.out(JSON.stringify(event));
    else {
      const line = eventText(event);
      if (line !== undefined && event.type === 'error') output.err(line);
      else if (line !== undefined) output.out(line);
    }
  };
  let request;
  try {
    request = parseBuildRequest(await readRequest(source));
  } catch (error) {
    if (!(error instanceof BuildRequestError)) throw error;
    emit({ type: 'error', image: '', message: `the build request is not valid: ${error.message}` });
    emit({ type: 'result', ok: false, images: {} });
    return EXIT.failure;
  }
  const engine = new DockerClient();
  try {
    await engine.ping(5_000);
  } catch (error) {
    emit({ type: 'error', image: '', message: (error as Error).message });
    emit({ type: 'result', ok: false, images: {} });
    return EXIT.failure;
  }
  return (await buildArtifacts(engine, request, emit)) ? EXIT.ok : EXIT.failure;
}

export const buildCommand: Command = {
  name: 'build',
  summary: 'build the images a build request names (content-hash tags; an unchanged context is not rebuilt)',
  help: [
    'usage: kube-workbench build --request FILE|- [--events json|text]',
    '',
    "Builds each artifact of the request on the Docker engine, honouring the context's .dockerignore, and tags",
    'it NAME:kw-HASH (a hash of the context files, the Dockerfile, build args and target); an image already',
    'tagged so is not built again. The request is JSON:',
    '  {"artifacts": [{"image": "web", "context": "app", "dockerfile": "Dockerfile",',
    '                  "buildArgs": {"K": "V"}, "target": "stage"}]}',
    '',
    'flags:',
    '  --request FILE  the request (- reads standard input)',
    '  --events json   print one JSON event a line (see protocol/build-events.ts) instead of text',
  ].join('\n'),
  run: runBuild,
};
