// The machine's floor for a read: a trivial Node HTTP server in a process of its own that
// answers every GET with a fixed small JSON body at once. Sampled beside the cluster's API
// during a churn, its latency is what any Node server gets from this machine at that moment
// (CPU contention, scheduling), with no work of its own competing for its event loop.
import { spawn } from 'node:child_process';
import { get } from 'node:http';

const SERVER = `
const body = JSON.stringify({ kind: 'Status', status: 'Success', padding: 'x'.repeat(1000) });
require('node:http')
  .createServer((req, res) => { res.writeHead(200, { 'Content-Type': 'application/json' }); res.end(body); })
  .listen(0, '127.0.0.1', function () { process.stdout.write('port ' + this.address().port + '\\n'); });
`;

/** Starts the floor server; resolves with `call()` (one GET, resolving when the body is read) and `stop()`. */
export function startFloorServer() {
  const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`floor server exited with ${String(code)}`)));
    child.stdout.on('data', (c) => {
      out += c;
      const m = /^port (\d+)$/m.exec(out);
      if (!m) return;
      const url = `http://127.0.0.1:${m[1]}/`;
      resolve({
        call: () =>
          new Promise((done, fail) =>
            get(url, (res) => {
              res.resume();
              res.on('end', done);
            }).on('error', fail),
          ),
        stop: () => {
          child.removeAllListeners('exit');
          child.kill('SIGTERM');
        },
      });
    });
  });
}
