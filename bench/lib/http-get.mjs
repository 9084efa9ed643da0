/** Plain HTTP GETs to a local port, for the port-forward benches. */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * One GET of `path` on 127.0.0.1:`port`; resolves with its status and the body's length in bytes.
 * With `timeoutMs`, a socket idle that long fails it.
 */
export function get(port, path, agent, timeoutMs) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      let bytes = 0;
      res.on('data', (c) => (bytes += c.length));
      res.on('end', () => resolve({ status: res.statusCode, bytes }));
    });
    if (timeoutMs !== undefined) req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** `n` GETs of `/` over `conc` kept-alive connections; answers requests per second. */
export async function requestsPerSecond(port, n, conc) {
  const agent = new Agent({ keepAlive: true, maxSockets: conc });
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: conc }, async () => {
      while (next < n) {
        next++;
        await get(port, '/', agent);
      }
    }),
  );
  agent.destroy();
  return n / ((performance.now() - t0) / 1000);
}
