/** The Nodes of a running cluster as `cluster status` shows them, asked from its API (cluster-api-client.ts). */
import { ClusterApiClient, statusMessage } from './cluster-api-client';

export interface NodeSummary {
  name: string;
  ready: boolean;
}

/** GET /api/v1/nodes; rejects with a readable message when the API does not answer within 5 s. */
export async function clusterNodes(dataDir: string): Promise<NodeSummary[]> {
  const client = await ClusterApiClient.forDataDir(dataDir, 5_000);
  const answer = await client.get('/api/v1/nodes');
  if (answer.status !== 200) throw new Error(`the API answered ${answer.status}: ${statusMessage(answer)}`);
  const list = answer.body as { items?: unknown };
  if (!Array.isArray(list?.items)) throw new Error('the API answered something other than a NodeList');
  return list.items.map((item: { metadata?: { name?: unknown }; status?: { conditions?: unknown } }) => {
    const conditions = Array.isArray(item.status?.conditions) ? (item.status.conditions as unknown[]) : [];
    const ready = conditions.some((c) => {
      const cond = c as { type?: unknown; status?: unknown };
      return cond.type === 'Ready' && cond.status === 'True';
    });
    return { name: typeof item.metadata?.name === 'string' ? item.metadata.name : '?', ready };
  });
}
