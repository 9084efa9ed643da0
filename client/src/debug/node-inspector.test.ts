import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { spawn } from 'node:child_process';
import { createServer, connect, type AddressInfo } from 'node:net';
import { Script } from 'node:vm';
import { inspectorPort, relayScript, SIGNAL_SCRIPT, within } from './node-inspector';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

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

  it('builds a relay script and a signal script that Node parses', () => {
    assert.doesNotThrow(() => new Script(relayScript(9230, 9229)));
    assert.doesNotThrow(() => new Script(SIGNAL_SCRIPT));
  });

  it('runs a relay that pipes to the target port and exits when its stdin ends', async () => {
    const target = createServer((s) => s.end('from the target'));
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const listen = await freePort();
    const child = spawn(process.execPath, ['-e', relayScript(listen, (target.address() as AddressInfo).port)]);
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (c: Buffer) => c.toString().includes('relay ready') && resolve());
        child.on('exit', (code) => reject(new Error(`the relay exited with ${String(code)}`)));
      });
      const answer = await new Promise<string>((resolve, reject) => {
        let got = '';
        connect(listen, '127.0.0.1')
          .on('data', (c: Buffer) => (got += c.toString()))
          .on('end', () => resolve(got))
          .on('error', reject);
      });
      assert.equal(answer, 'from the target');
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      child.stdin.end();
      assert.equal(await exited, 0);
    } finally {
      child.kill();
      target.close();
    }
  });

  it('reports a relay whose port is taken, and bounds a wait with a message', async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '0.0.0.0', r));
    const child = spawn(process.execPath, ['-e', relayScript((taken.address() as AddressInfo).port, 1)]);
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    taken.close();
    assert.equal(code, 1);
    assert.match(out, /relay failed: EADDRINUSE/);
    await assert.rejects(within(new Promise(() => undefined), 10, 'no answer in time'), /no answer in time/);
    assert.equal(await within(Promise.resolve(7), 1000, 'unused'), 7);
  });
});
