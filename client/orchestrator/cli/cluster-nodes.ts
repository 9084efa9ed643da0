/** The Nodes of a running cluster as `cluster status` shows them, asked from its API with the data directory's token. */
import { request } from 'node:https';
import { join } from 'node:path';
import { readUntrustedFile } from '../protocol/untrusted-file';

export interface NodeSummary {
  name: string;
  ready: boolean;
}

const MAX_ANSWER = 8 * 1024 * 1024;

/** GET /api/v1/nodes; rejects with a readable message when the API does not answer within 5 s. */
export async function clusterNodes(dataDir: string, api: string): Promise<NodeSummary[]> {
  const [token, ca] = await Promise.all([
    readUntrustedFile(join(dataDir, 'token'), 4096),
    readUntrustedFile(join(dataDir, 'apiserver.crt'), 64 * 1024),
  ]);
  if (!token || !ca) throw new Error('the data directory has no token or certificate');
  const url = new URL('/api/v1/nodes', api);
  const text = await new Promise<string>((resolve, reject) => {
    const req = request(
      url,
      { ca, headers: { authorization: `Bearer ${token.trim()}`, accept: 'application/json' }, timeout: 5_000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          body += c;
          if (body.length > MAX_ANSWER) req.destroy(new Error('the answer is too large'));
        });
        res.on('end', () =>
          res.statusCode === 200 ? resolve(body) : reject(new Error(`the API answered ${res.statusCode}`)),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer within 5 s')));
    req.on('error', reject);
    req.end();
  });
  const list = JSON.parse(text) as { items?: unknown };
  if (!Array.isArray(list.items)) throw new Error('the API answered something other than a NodeList');
  return list.items.map((item: { metadata?: { name?: unknown }; status?: { conditions?: unknown } }) => {
    const conditions = Array.isArray(item.status?.conditions) ? (item.status.conditions as unknown[]) : [];
    const ready = conditions.some((c) => {
      const cond = c as { type?: unknown; status?: unknown };
      return cond.type === 'Ready' && cond.status === 'True';
    });
    return { name: typeof item.metadata?.name === 'string' ? item.metadata.name : '?', ready };
  });
}
