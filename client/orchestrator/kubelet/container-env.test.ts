import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expandVariables, withExpandedCommand } from './container-env';

describe('$(VAR) expansion', () => {
  const env = new Map([
    ['NAME', 'world'],
    ['PORT', '8080'],
  ]);

  it('replaces defined variables and leaves undefined ones as written', () => {
    assert.equal(
      expandVariables('hello $(NAME) on $(PORT), not $(MISSING)', env),
      'hello world on 8080, not $(MISSING)',
    );
  });

  it('reads $$ as a literal dollar, so $$(NAME) stays a reference in the text', () => {
    assert.equal(expandVariables('$$(NAME) costs $$5 and $NAME stays', env), '$(NAME) costs $5 and $NAME stays');
  });

  it('expands command and args of a container spec, leaving the spec it was given alone', () => {
    const spec = { name: 'c', command: ['sh', '-c', 'echo $(NAME)'], args: ['--port=$(PORT)'] };
    const out = withExpandedCommand(spec, [
      { name: 'NAME', value: 'world' },
      { name: 'PORT', value: '8080' },
    ]);
    assert.deepEqual(out.command, ['sh', '-c', 'echo world']);
    assert.deepEqual(out.args, ['--port=8080']);
    assert.deepEqual(spec.command, ['sh', '-c', 'echo $(NAME)']);
  });
});
