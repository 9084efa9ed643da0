import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contextDestination, sourceRoots } from './source-roots';

describe('contextDestination', () => {
  it('follows WORKDIR and COPY/ADD of the whole context', () => {
    assert.equal(contextDestination('FROM python:3\nWORKDIR /app\nCOPY . .\nCMD ["python3", "app.py"]\n'), '/app');
    assert.equal(contextDestination('FROM x\nCOPY ./ /srv/web/\n'), '/srv/web');
    assert.equal(contextDestination('FROM x\nWORKDIR /a\nWORKDIR b\nADD --chown=1:1 . ./src\n'), '/a/b/src');
    assert.equal(contextDestination('FROM x\nCOPY ["requirements.txt", "."]\nCOPY [".", "/code"]\n'), '/code');
    assert.equal(contextDestination('# comment\nFROM x\nCOPY \\\n  . \\\n  /opt/app\n'), '/opt/app');
  });

  it('takes the stage that compiled from the context in a multi-stage build, not --from copies', () => {
    const text = [
      'FROM golang:1.22 AS build',
      'WORKDIR /src',
      'COPY . .',
      'RUN CGO_ENABLED=0 go build -o /out/server .',
      'FROM scratch',
      'COPY --from=build /out/server /server',
      'ENTRYPOINT ["/server"]',
    ].join('\n');
    assert.equal(contextDestination(text), '/src');
  });

  it('finds nothing when the context is not copied, and survives broken text', () => {
    assert.equal(contextDestination('FROM x\nCOPY app.py /app/\n'), undefined);
    assert.equal(contextDestination('FROM x\nCOPY [".", \n'), undefined);
    assert.equal(contextDestination('COPY .\n\\'), undefined);
    assert.equal(contextDestination(''), undefined);
  });
});

describe('sourceRoots', () => {
  it('prefers the launch configuration, then the Dockerfile, then the working directory', () => {
    const dockerfile = { context: '/ws/api', text: 'FROM x\nWORKDIR /app\nCOPY . .\n' };
    assert.deepEqual(sourceRoots({ localRoot: '/l', remoteRoot: '/r', dockerfile }), {
      localRoot: '/l',
      remoteRoot: '/r',
    });
    assert.deepEqual(sourceRoots({ dockerfile, workspaceFolder: '/ws', workingDir: '/w' }), {
      localRoot: '/ws/api',
      remoteRoot: '/app',
    });
    assert.deepEqual(sourceRoots({ workspaceFolder: '/ws', workingDir: '/w' }), { localRoot: '/ws', remoteRoot: '/w' });
    assert.equal(sourceRoots({ workspaceFolder: '/ws' }), undefined);
  });
});
