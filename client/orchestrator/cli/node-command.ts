/**
 * `kube-workbench node stop|start NAME [--data-dir DIR]`: a simulated outage of
 * one node of the running cluster. `stop` sets the Node's annotation
 * `kube-workbench.io/simulated-outage: "true"` (its kubelet goes silent and its
 * containers freeze), `start` removes it; both through the API, as a merge
 * patch, as the extension does.
 */
import { isDns1123Subdomain } from '../../../server/kube-model/name-formats';
import { SIMULATED_OUTAGE_ANNOTATION } from '../protocol/node-annotations';
import { defaultDataDir, type Output } from './args';
import { ClusterApiClient, ClusterApiError, statusMessage } from './cluster-api-client';
import { addNode, removeNode } from './node-pool-command';

export const NODE_USAGE = 'usage: kube-workbench node stop|start|remove NAME | node add [NAME]  [--data-dir DIR]';

/** How long `node add` waits for Ready and `node remove` for its evictions. */
const POOL_TIMEOUT_MS = 120_000;

interface NodeArgs {
  action: 'stop' | 'start' | 'add' | 'remove';
  name: string;
  dataDir: string;
}

function parse(argv: readonly string[], env: NodeJS.ProcessEnv): NodeArgs | string {
  const [action, ...rest] = argv;
  if (action !== 'stop' && action !== 'start' && action !== 'add' && action !== 'remove')
    return `unknown node command '${action ?? ''}'`;
  let dataDir = defaultDataDir(env);
  const names: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === '--data-dir' || arg.startsWith('--data-dir=')) {
      const dir = arg === '--data-dir' ? rest[++i] : arg.slice('--data-dir='.length);
      if (!dir) return '--data-dir needs a directory';
      dataDir = dir;
    } else if (arg.startsWith('-')) return `unknown option '${arg}'`;
    else names.push(arg);
  }
  if (action === 'add' && names.length === 0) return { action, name: '', dataDir };
  if (names.length !== 1) return `node ${action} needs one node name`;
  const name = names[0]!;
  if (!isDns1123Subdomain(name)) return `'${name}' is not a node name (a DNS subdomain: lower case, digits, '-', '.')`;
  return { action, name, dataDir };
}

export async function runNodeCommand(
  argv: readonly string[],
  output: Output,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const args = parse(argv, env);
  if (typeof args === 'string') {
    output.err(`kube-workbench node: ${args}\n${NODE_USAGE}`);
    return 2;
  }
  try {
    const client = await ClusterApiClient.forDataDir(args.dataDir);
    if (args.action === 'add' || args.action === 'remove') {
      if (args.action === 'add') await addNode(client, args.name || undefined, output, POOL_TIMEOUT_MS);
      else await removeNode(client, args.name, output, POOL_TIMEOUT_MS);
      return 0;
    }
    const path = `/api/v1/nodes/${encodeURIComponent(args.name)}`;
    const value = args.action === 'stop' ? 'true' : null;
    const answer = await client.mergePatch(path, {
      metadata: { annotations: { [SIMULATED_OUTAGE_ANNOTATION]: value } },
    });
    if (answer.status === 404) throw new ClusterApiError(`node ${args.name} not found`, 404);
    if (answer.status !== 200) throw new ClusterApiError(statusMessage(answer), answer.status);
    output.out(
      args.action === 'stop'
        ? `node/${args.name} stopped: its kubelet is silent and its containers are frozen (simulated outage)`
        : `node/${args.name} started: its kubelet posts status again`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof ClusterApiError)) throw error;
    output.err(`kube-workbench node: ${error.message}`);
    return 1;
  }
}
