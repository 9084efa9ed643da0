import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEBUG_ANNOTATION,
  debugAnnotationOf,
  debugArgv,
  goDebugArgv,
  isUnderDebugger,
  pythonDebugArgv,
  rewriteForDebug,
  specArgv,
} from './debug-rewrite';

/** The error a rewrite gives, or 'rewritten'. */
function why(out: Record<string, unknown> | string): string {
  return typeof out === 'string' ? out : 'rewritten';
}

function deployment(container: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'side', image: 'busybox', command: ['sleep', '1d'] }, container] },
      },
    },
  };
}

describe('pythonDebugArgv', () => {
  it('puts debugpy after the interpreter and its options', () => {
    assert.deepEqual(pythonDebugArgv(['python3', 'app.py', '--port', '80'], 5678), [
      'python3',
      '-m',
      'debugpy',
      '--listen',
      '0.0.0.0:5678',
      'app.py',
      '--port',
      '80',
    ]);
    assert.deepEqual(pythonDebugArgv(['/usr/bin/python', '-u', '-W', 'ignore', '-m', 'flask', 'run'], 7000), [
      '/usr/bin/python',
      '-u',
      '-W',
      'ignore',
      '-m',
      'debugpy',
      '--listen',
      '0.0.0.0:7000',
      '-m',
      'flask',
      'run',
    ]);
    assert.deepEqual(pythonDebugArgv(['python3', '-c', 'print(1)'], 1), [
      'python3',
      '-m',
      'debugpy',
      '--listen',
      '0.0.0.0:1',
      '-c',
      'print(1)',
    ]);
  });

  it('runs a script or a launcher through python3', () => {
    assert.deepEqual(pythonDebugArgv(['/app/main.py', 'x'], 5678), [
      'python3',
      '-m',
      'debugpy',
      '--listen',
      '0.0.0.0:5678',
      '/app/main.py',
      'x',
    ]);
    assert.deepEqual(pythonDebugArgv(['gunicorn', '-b', ':8000', 'app:app'], 5678), [
      'python3',
      '-m',
      'debugpy',
      '--listen',
      '0.0.0.0:5678',
      '-m',
      'gunicorn',
      '-b',
      ':8000',
      'app:app',
    ]);
    assert.deepEqual(pythonDebugArgv(['django-admin', 'runserver'], 5678).slice(5), ['-m', 'django', 'runserver']);
  });
});

describe('goDebugArgv', () => {
  it('wraps the binary in a headless Delve that lets it run, its arguments after --', () => {
    assert.deepEqual(goDebugArgv(['/app/server', '-addr', ':8080'], 2345), [
      'dlv',
      'exec',
      '--headless',
      '--accept-multiclient',
      '--api-version=2',
      '--listen=:2345',
      '--continue',
      '--only-same-user=false',
      '/app/server',
      '--',
      '-addr',
      ':8080',
    ]);
    assert.deepEqual(goDebugArgv(['/app/server'], 2345).slice(-1), ['/app/server']);
  });
});

describe('debugArgv', () => {
  it('does not wrap a command twice', () => {
    const once = debugArgv('python', ['python3', 'app.py'], 5678);
    assert.ok(Array.isArray(once));
    assert.equal(isUnderDebugger(once), true);
    assert.deepEqual(debugArgv('python', once, 5678), once);
    const go = debugArgv('go', ['/app/server'], 2345);
    assert.ok(Array.isArray(go));
    assert.deepEqual(debugArgv('go', go, 2345), go);
  });

  it('says why an image entrypoint or a shell script cannot be wrapped', () => {
    assert.match(String(debugArgv('python', [], 5678)), /give it a `command`/);
    assert.match(String(debugArgv('go', ['sh', '-c', '/app/server'], 2345)), /shell script/);
  });
});

describe('rewriteForDebug', () => {
  it('replaces command and args of the named container, marks the template, leaves the input alone', () => {
    const input = deployment({
      name: 'app',
      image: 'py',
      command: ['python3'],
      args: ['app.py'],
      env: [{ name: 'A', value: '1' }],
    });
    const before = structuredClone(input);
    const out = rewriteForDebug(input, { container: 'app', runtime: 'python', port: 5678 });
    assert.ok(typeof out !== 'string', why(out));
    assert.deepEqual(input, before, 'the input is not changed');
    const template = (
      out.spec as {
        template: {
          metadata: { annotations: Record<string, string> };
          spec: { containers: Record<string, unknown>[] };
        };
      }
    ).template;
    const [side, app] = template.spec.containers;
    assert.deepEqual(side, { name: 'side', image: 'busybox', command: ['sleep', '1d'] }, 'other containers unchanged');
    assert.deepEqual(app?.command, ['python3', '-m', 'debugpy', '--listen', '0.0.0.0:5678', 'app.py']);
    assert.equal(app?.args, undefined);
    assert.deepEqual(app?.env, [
      { name: 'A', value: '1' },
      { name: 'PYDEVD_DISABLE_FILE_VALIDATION', value: '1' },
    ]);
    assert.equal(template.metadata.annotations[DEBUG_ANNOTATION], 'app=python:5678');
    assert.deepEqual(debugAnnotationOf(template.metadata.annotations), {
      container: 'app',
      runtime: 'python',
      port: 5678,
    });
  });

  it('wraps a Pod, and a command line read from the running process', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'app', image: 'x' }] },
    };
    const out = rewriteForDebug(pod, { container: 'app', runtime: 'go', port: 2345, argv: ['/app/server'] });
    assert.ok(typeof out !== 'string', why(out));
    const container = (out.spec as { containers: Record<string, unknown>[] }).containers[0];
    assert.equal((container?.command as string[])[0], 'dlv');
    assert.equal(debugAnnotationOf((out.metadata as { annotations: unknown }).annotations)?.runtime, 'go');
  });

  it('says what is missing', () => {
    assert.match(
      why(rewriteForDebug(deployment({ name: 'app', image: 'x' }), { container: 'nope', runtime: 'go', port: 1 })),
      /no container nope/,
    );
    assert.match(
      why(rewriteForDebug(deployment({ name: 'app', image: 'x' }), { container: 'app', runtime: 'go', port: 1 })),
      /command/,
    );
    assert.match(
      why(rewriteForDebug({ kind: 'Deployment', spec: 'x' }, { container: 'app', runtime: 'go', port: 1 })),
      /no container/,
    );
  });

  it('reads hostile spec fields without trusting their types', () => {
    assert.deepEqual(specArgv({ command: ['a', 1, null, 'b'], args: 'c' }), ['a', 'b']);
    assert.deepEqual(specArgv({ args: ['x'] }), [], 'no command: the image entrypoint');
    for (const value of ['app=python:0', 'app=python:99999', 'app=java:1', 'App=go:1', 42, 'app=go:1x'])
      assert.equal(debugAnnotationOf({ [DEBUG_ANNOTATION]: value }), undefined, String(value));
    assert.equal(debugAnnotationOf(JSON.parse('{"__proto__": {"kube-workbench.dev/debug": "a=go:1"}}')), undefined);
  });
});
