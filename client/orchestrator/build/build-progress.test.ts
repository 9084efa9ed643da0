import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BuildEvent } from '../protocol/build-events';
import { BuildProgress } from './build-progress';
import { dockerfileSteps } from './dockerfile-steps';

const DOCKERFILE =
  '# escape=\\\nFROM base\n\n# a comment\nRUN echo a \\\n  # inside\n  && echo b\nCOPY . /app\nRUN false\n';

describe('build progress', () => {
  it('finds the line of each instruction (directives, comments, continued lines)', () => {
    assert.deepEqual(
      dockerfileSteps(DOCKERFILE).map((s) => [s.keyword, s.line]),
      [
        ['FROM', 2],
        ['RUN', 5],
        ['COPY', 8],
        ['RUN', 9],
      ],
    );
    assert.deepEqual(
      dockerfileSteps('# escape=`\nFROM x\nRUN a `\n b\nCMD c').map((s) => s.line),
      [2, 3, 5],
    );
  });

  it('places steps and a failed step on their Dockerfile lines', () => {
    const events: BuildEvent[] = [];
    const p = new BuildProgress('web', '/w/Dockerfile', dockerfileSteps(DOCKERFILE), (e) => events.push(e));
    for (const stream of [
      'Step 1/4 : FROM base',
      '\n',
      ' ---> 1234\n',
      'Step 2/4 : RUN echo a',
      '\n',
      ' ---> Using cache\n',
    ])
      p.message({ stream });
    p.message({ stream: 'Step 4/4 : RUN false' });
    p.message({ error: 'returned a non-zero code: 1', errorDetail: { message: 'returned a non-zero code: 1' } });
    assert.deepEqual(
      events.filter((e) => e.type === 'step').map((e) => (e.type === 'step' ? [e.step, e.line] : [])),
      [
        [1, 2],
        [2, 5],
        [4, 9],
      ],
    );
    assert.ok(events.some((e) => e.type === 'cache-hit' && e.step === 2));
    const error = events.find((e) => e.type === 'error');
    assert.deepEqual(error, {
      type: 'error',
      image: 'web',
      message: 'returned a non-zero code: 1',
      dockerfile: '/w/Dockerfile',
      line: 9,
    });
    assert.equal(p.failed, true);
  });

  it("takes the line of a parse error from the engine's message", () => {
    const events: BuildEvent[] = [];
    const p = new BuildProgress('web', '/w/Dockerfile', [], (e) => events.push(e));
    p.fail('dockerfile parse error line 7: unknown instruction: FOO');
    assert.equal(events[0]?.type === 'error' ? events[0].line : undefined, 7);
  });
});
