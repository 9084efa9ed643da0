import type { Deadline } from './deadline.js';
import { spawnGroup } from './process-group.js';

/**
 * `npm run package` (scripts/package.mjs) writing to `out`, which should be
 * private to this run: runs in the same checkout must not share one file.
 */
export async function packageVsix(repoRoot: string, out: string, deadline: Deadline): Promise<string> {
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
