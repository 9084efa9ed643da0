import { readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { START_COMMAND, START_FLAGS } from './command-line';

/** Whether a process runs: signal 0 checks without sending anything (EPERM: it runs as another user). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether process `pid` is a `kube-workbench cluster start` for `dataDir`, read
 * from its command line in /proc: 'no' when it is some other program, or a
 * cluster of another data directory (a pid reused after a crash); 'unknown'
 * where /proc cannot tell (not Linux, or no access), and for a cluster started
 * without `--data-dir` (its default depends on its environment).
 */
export function clusterProcessFor(pid: number, dataDir: string): 'yes' | 'no' | 'unknown' {
  let argv: string[];
  let cwd: string;
  try {
    argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    cwd = readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return 'unknown';
  }
  if (argv.length <= 1 && argv[0] === '') return 'unknown'; // a zombie or kernel thread shows nothing
  const start = argv.findIndex((a, i) => a === START_COMMAND[0] && argv[i + 1] === START_COMMAND[1]);
  const script = argv.slice(0, Math.max(0, start)).some((a) => /kube-workbench|orchestrator\.js$/.test(basename(a)));
  if (start < 0 || !script) return 'no';
  const flag = START_FLAGS.dataDir;
  let dir: string | undefined;
  for (let i = start + 2; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === flag) dir = argv[i + 1];
    else if (a.startsWith(`${flag}=`)) dir = a.slice(flag.length + 1);
  }
  if (dir === undefined) return 'unknown';
  return samePath(resolve(cwd, dir), resolve(dataDir)) ? 'yes' : 'no';
}

function samePath(a: string, b: string): boolean {
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return p;
    }
  };
  return a === b || real(a) === real(b);
}
