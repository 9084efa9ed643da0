/**
 * The first thing `cluster start` runs, from a bundle of its own
 * (client/out/cluster-start.js, a few kB): listens on the API's port with the
 * data directory's persisted token and TLS material and answers `/version`
 * before the orchestrator's bundle is even read (api/early-api-server.ts).
 * The file names are data-dir.ts's. Anything unusual (a first start with no TLS material yet, a taken port, a bad
 * flag) gives undefined: the full start then does everything itself and reports
 * what is wrong as before.
 */
import { join } from 'node:path';
import { bindPort } from '../api/bound-port';
import type * as earlyServer from '../api/early-api-server';
import type { EarlyApi } from '../api/early-api-server';
import { parseStartArgs } from './args';
import { readDataDirFile } from './data-dir-file';

/** The early API for `cluster start <argv>`, or undefined when the full start must do it all. */
export async function earlyApi(argv: readonly string[]): Promise<EarlyApi | undefined> {
  try {
    const options = parseStartArgs(argv);
    const dir = options.dataDir;
    // A file that is not there or not usable (readDataDirFile throws) leaves it to the full start.
    const token = readDataDirFile(join(dir, 'token'));
    const key = readDataDirFile(join(dir, 'apiserver.key'));
    const cert = readDataDirFile(join(dir, 'apiserver.crt'));
    if (!token?.trim() || !key || !cert) return undefined;
    // Bound first, TLS and HTTP loaded after (their modules and the first secure context are most
    // of this stage): a client that connects meanwhile waits in the kernel instead of being refused.
    const bound = await bindPort(options.port, '127.0.0.1');
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { listenEarly } = require('../api/early-api-server') as typeof earlyServer;
      return await listenEarly({
        token: token.trim(),
        tls: { key, cert },
        port: options.port,
        bound,
        ...(options.kubernetesVersion !== undefined ? { kubernetesVersion: options.kubernetesVersion } : {}),
      });
    } catch (error) {
      // The full start binds the port itself (and reports what was wrong, e.g. an unreadable key).
      for (const socket of bound.takeAccepted()) socket.destroy();
      await new Promise((resolve) => bound.server.close(resolve));
      throw error;
    }
  } catch {
    return undefined;
  }
}
