/**
 * The API's port bound before TLS and HTTP are loaded: `cluster start`'s early stage
 * (cli/early-start.ts) listens with a plain TCP server first, so from that moment the kernel
 * completes a client's connection (kubectl, the extension, the bench) and keeps its TLS hello
 * waiting, where before the client was refused and tried again later. The https server of the
 * early API then listens on the same handle (`server.listen(handle)`) and answers what waited.
 * A connection the plain server accepted meanwhile (only if the event loop turned in between)
 * is kept, unread, and handed to the https server too.
 */
import { createServer, type Server, type Socket } from 'node:net';

export interface BoundPort {
  /** What `server.listen(...)` of the https server takes: the listening handle. */
  readonly server: Server;
  /** The connections accepted before the handover, in order (empty in the usual case). */
  takeAccepted(): Socket[];
}

/** Listens on host:port (rejects when it is taken) with a server that only holds what it accepts. */
export function bindPort(port: number, host: string): Promise<BoundPort> {
  const accepted: Socket[] = [];
  const server = createServer({ pauseOnConnect: true }, (socket) => accepted.push(socket));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve({ server, takeAccepted: () => accepted.splice(0) });
    });
  });
}
