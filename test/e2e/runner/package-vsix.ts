import { join } from 'node:path';
import type { Deadline } from './deadline.js';
import { spawnGroup } from './process-group.js';

/** `npm run package` (scripts/package.mjs); returns the path of the .vsix it wrote. */
export async function packageVsix(repoRoot: string, deadline: Deadline): Promise<string> {
  const out = join(repoRoot, '.cache', 'e2e', 'kube-workbench-e2e.vsix');
  console.log('[e2e:vsix] npm run package');
  const proc = spawnGroup('npm', ['run', '--silent', 'package', '--', `--out=${out}`], {
    cwd: repoRoot,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    const code = await deadline.race(proc.exited, 'packaging the extension (npm run package)');
    if (code !== 0) throw new Error(`npm run package exited with ${code}`);
  } finally {
    await proc.stop();
  }
  return out;
}
