/**
 * The user's kubeconfig: its files (KUBECONFIG or ~/.kube/config), its
 * contexts, a connection through one of them, and merging the embedded
 * cluster's entries into it (with a backup).
 */
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { clientNode } from './client-node.js';
import { ClusterConnection } from './cluster-connection.js';

export interface UserContext {
  name: string;
  cluster: string;
  server: string;
  namespace?: string;
  current: boolean;
}

/** The user's kubeconfig files: `explicit` (the `kubeWorkbench.kubeconfigPath` setting) when set, else KUBECONFIG, else ~/.kube/config. */
export function userKubeconfigPaths(env: NodeJS.ProcessEnv = process.env, explicit = ''): string[] {
  if (explicit !== '') return [explicit];
  const list = env.KUBECONFIG ? env.KUBECONFIG.split(delimiter).filter((p) => p !== '') : [];
  return list.length > 0 ? list : [join(homedir(), '.kube', 'config')];
}

/** Where a merge writes: the first kubeconfig file, as kubectl does. */
export function mergeTarget(env: NodeJS.ProcessEnv = process.env, explicit = ''): string {
  return userKubeconfigPaths(env, explicit)[0]!;
}

/** Loads the user's kubeconfig: the explicit file when given, else as kubectl does (KUBECONFIG, ~/.kube/config). */
async function loadUserKubeconfig(explicit: string) {
  const k8s = await clientNode();
  const kc = new k8s.KubeConfig();
  if (explicit !== '') kc.loadFromFile(explicit);
  else kc.loadFromDefault({}, false);
  return { k8s, kc };
}

export async function listUserContexts(env: NodeJS.ProcessEnv = process.env, explicit = ''): Promise<UserContext[]> {
  const paths = userKubeconfigPaths(env, explicit).filter((p) => existsSync(p));
  if (paths.length === 0) return [];
  const { kc } = await loadUserKubeconfig(explicit);
  const current = kc.getCurrentContext();
  return kc.getContexts().map((c) => {
    const ctx: UserContext = {
      name: c.name,
      cluster: c.cluster,
      server: kc.getCluster(c.cluster)?.server ?? '',
      current: c.name === current,
    };
    if (c.namespace) ctx.namespace = c.namespace;
    return ctx;
  });
}

export async function connectUserContext(name: string, explicit = ''): Promise<ClusterConnection> {
  const { k8s, kc } = await loadUserKubeconfig(explicit);
  return ClusterConnection.fromKubeConfig(kc, k8s, name);
}

type Named = { name?: unknown };
type Config = { clusters?: Named[]; users?: Named[]; contexts?: Named[]; [key: string]: unknown };

/** The user's kubeconfig text with the embedded cluster's cluster, user and context added (replacing same-named ones). */
export function mergeKubeconfigText(userText: string, embeddedText: string): { text: string; names: string[] } {
  const user = ((userText.trim() === '' ? {} : parse(userText)) ?? {}) as Config;
  const embedded = (parse(embeddedText) ?? {}) as Config;
  const names: string[] = [];
  for (const key of ['clusters', 'users', 'contexts'] as const) {
    const incoming = embedded[key] ?? [];
    const kept = (user[key] ?? []).filter((e) => !incoming.some((i) => i.name === e.name));
    user[key] = [...kept, ...incoming];
    if (key === 'contexts') names.push(...incoming.map((i) => String(i.name)));
  }
  user.apiVersion ??= 'v1';
  user.kind ??= 'Config';
  user['current-context'] ??= embedded['current-context'];
  return { text: stringify(user), names };
}

/** Merges into `target`, first copying it to a timestamped backup; returns the backup path (undefined when there was no file). */
export async function mergeKubeconfigFile(
  target: string,
  embeddedKubeconfig: string,
): Promise<{ backup?: string; names: string[] }> {
  const existing = existsSync(target) ? await readFile(target, 'utf8') : '';
  const { text, names } = mergeKubeconfigText(existing, await readFile(embeddedKubeconfig, 'utf8'));
  let backup: string | undefined;
  if (existsSync(target)) {
    backup = `${target}.kube-workbench-backup-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await copyFile(target, backup);
  }
  await writeFile(target, text, { mode: 0o600 });
  return backup === undefined ? { names } : { backup, names };
}
