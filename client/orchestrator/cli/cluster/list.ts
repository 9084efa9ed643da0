/** `kube-workbench cluster list`: the clusters under the default state directory and the directories given. */
import { promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Output } from '../args';
import { EXIT, parseFlags, type Command } from '../command';
import { clusterState, isClusterDataDir, stateRoot } from '../cluster-state';
import { DATA_DIR_FLAG } from './data-dir-flag';

const PREFIX = 'kube-workbench cluster list';

async function clustersUnder(root: string): Promise<string[]> {
  const entries = await fs.readdir(root, { withFileTypes: true }).catch(() => []);
  const dirs: string[] = [];
  for (const e of entries)
    if (e.isDirectory() && (await isClusterDataDir(join(root, e.name)))) dirs.push(join(root, e.name));
  return dirs.sort();
}

export const listCommand: Command = {
  name: 'list',
  summary: 'list the clusters under the default state directory and the given data directories',
  help: [
    `usage: ${PREFIX} [${DATA_DIR_FLAG} DIR] [DIR...]`,
    '',
    'Lists every cluster data directory directly under $XDG_STATE_HOME/kube-workbench (else',
    '~/.local/state/kube-workbench), and each DIR given, with its state, API URL and version.',
    '',
    'flags:',
    `  ${DATA_DIR_FLAG} DIR  also list this data directory (DIRs may also be given as arguments)`,
  ].join('\n'),
  async run(argv: readonly string[], output: Output): Promise<number> {
    const { flags, args } = parseFlags(argv, { [DATA_DIR_FLAG]: 'value' });
    const root = stateRoot();
    const given = [...(flags.has(DATA_DIR_FLAG) ? [flags.get(DATA_DIR_FLAG)!] : []), ...args].map((d) => resolve(d));
    const dirs = [...new Set([...(await clustersUnder(root)), ...given])];
    if (dirs.length === 0) {
      output.out(`no clusters under ${root}`);
      return EXIT.ok;
    }
    const rows = [['DATA DIR', 'STATUS', 'API', 'VERSION']];
    for (const dir of dirs) {
      const s = await clusterState(dir);
      const status =
        s.record !== undefined
          ? 'running'
          : s.pid !== undefined
            ? 'starting'
            : (await isClusterDataDir(dir))
              ? 'stopped'
              : 'no cluster';
      rows.push([dir, status, s.record?.api ?? '-', s.record?.version ?? '-']);
    }
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const r of rows)
      output.out(
        r
          .map((cell, i) => cell.padEnd(widths[i]!))
          .join('  ')
          .trimEnd(),
      );
    return EXIT.ok;
  },
};
