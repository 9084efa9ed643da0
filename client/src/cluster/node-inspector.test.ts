import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Script } from 'node:vm';
import { inspectorPort, relayScript } from './node-inspector';

describe('node inspector', () => {
  it('reads the port of --inspect from the command, args or NODE_OPTIONS', () => {
    assert.equal(inspectorPort({ command: ['node', '--inspect', 'server.js'] }), 9229);
    assert.equal(inspectorPort({ command: ['node'], args: ['--inspect=9230', 'server.js'] }), 9230);
    assert.equal(inspectorPort({ args: ['--inspect-brk=0.0.0.0:9339', 'app.js'] }), 9339);
    assert.equal(inspectorPort({ command: ['sh', '-c', 'exec node --inspect=[::]:9444 app.js'] }), 9444);
    assert.equal(inspectorPort({ env: [{ name: 'NODE_OPTIONS', value: '--max-old-space-size=512 --inspect' }] }), 9229);
  });

  it('finds no port when the spec asks for no inspector', () => {
    assert.equal(inspectorPort({ command: ['node', 'server.js'] }), undefined);
    assert.equal(inspectorPort({ args: ['--inspector-ui'] }), undefined);
    assert.equal(inspectorPort({}), undefined);
  });

  it('builds a relay script that Node parses', () => {
    assert.doesNotThrow(() => new Script(relayScript(9230, 9229)));
  });
});
