// A TCP port on 127.0.0.1 that nothing listens on now (for a container a plain-Docker anchor publishes).
import { createServer } from 'node:net';

export function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}
