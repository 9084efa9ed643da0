import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Deadline } from './deadline.js';
import { spawnGroup } from './process-group.js';
import type { GroupProcess } from './process-group.js';

/** Installs code-server once per machine (scripts/setup/code-server.sh) and returns its entry script. */
export function locateCodeServer(repoRoot: string): string {
  const out = execFileSync('bash', [join(repoRoot, 'scripts/setup/code-server.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const dir = out.trim().split('\n').pop() ?? '';
  return join(dir, 'node_modules/code-server/out/node/entry.js');
}

/** One code-server's private folders: nothing is shared with the user's own VS Code or with another run. */
export interface CodeServerDirs {
  readonly userDataDir: string;
  readonly extensionsDir: string;
  /** code-server's own config file; without it code-server reads and writes one in the home folder. */
  readonly configFile: string;
  /** code-server's stdout and stderr go here, not to the console. */
  readonly logFile: string;
}

export interface RunningCodeServer {
  readonly origin: string;
  readonly port: number;
  stop(): Promise<void>;
}

// Settings for a clean, quiet workbench: no trust dialog, no welcome page, no
// gallery or update traffic.
const USER_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'git.enabled': false,
  'window.commandCenter': false,
};

// No extension gallery: code-server's default one is on the internet, and the
// tests install from a .vsix file. A gallery without a service URL is off.
const NO_GALLERY = '{}';

function prepare(dirs: CodeServerDirs): void {
  mkdirSync(join(dirs.userDataDir, 'User'), { recursive: true });
  mkdirSync(dirs.extensionsDir, { recursive: true });
  writeFileSync(join(dirs.userDataDir, 'User/settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  writeFileSync(dirs.configFile, 'auth: none\ncert: false\n');
}

function baseArgs(entry: string, dirs: CodeServerDirs): string[] {
  return [
    entry,
    '--config',
    dirs.configFile,
    '--user-data-dir',
    dirs.userDataDir,
    '--extensions-dir',
    dirs.extensionsDir,
  ];
}

function launch(args: string[], dirs: CodeServerDirs, env: Record<string, string>): GroupProcess {
  const log = createWriteStream(dirs.logFile, { flags: 'a' });
  const proc = spawnGroup(process.execPath, args, {
    env: { ...process.env, EXTENSIONS_GALLERY: NO_GALLERY, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.child.stdout?.pipe(log, { end: false });
  proc.child.stderr?.pipe(log, { end: false });
  void proc.exited.then(() => log.end());
  return proc;
}

/** `code-server --install-extension file.vsix` into the given extensions folder. */
export async function installExtension(
  entry: string,
  dirs: CodeServerDirs,
  vsix: string,
  deadline: Deadline,
): Promise<void> {
  prepare(dirs);
  const proc = launch([...baseArgs(entry, dirs), '--force', '--install-extension', vsix], dirs, {});
  try {
    const code = await deadline.race(proc.exited, `installing ${vsix} into code-server`);
    if (code !== 0) throw new Error(`code-server --install-extension exited with ${code}; see ${dirs.logFile}`);
  } finally {
    await proc.stop();
  }
}

/** Starts code-server on a free loopback port and resolves once it answers HTTP. */
export async function startCodeServer(
  entry: string,
  dirs: CodeServerDirs,
  env: Record<string, string>,
  deadline: Deadline,
): Promise<RunningCodeServer> {
  prepare(dirs);
  const args = [
    ...baseArgs(entry, dirs),
    '--auth',
    'none',
    '--bind-addr',
    '127.0.0.1:0', // code-server picks a free port and prints it
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
  ];
  const proc = launch(args, dirs, env);
  try {
    const port = await deadline.race(listeningPort(proc), 'waiting for code-server to listen');
    const origin = `http://127.0.0.1:${port}`;
    await deadline.race(waitForHealthz(origin, proc), `waiting for code-server at ${origin} to answer`);
    return { origin, port, stop: () => proc.stop() };
  } catch (error) {
    await proc.stop();
    throw error;
  }
}

function listeningPort(proc: GroupProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let seen = '';
    proc.child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const match = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(seen);
      if (match?.[1]) resolve(Number(match[1]));
    });
    void proc.exited.then((code) => reject(new Error(`code-server exited with ${code} before listening`)));
  });
}

async function waitForHealthz(origin: string, proc: GroupProcess): Promise<void> {
  let exited = false;
  void proc.exited.then(() => (exited = true));
  for (;;) {
    if (exited) throw new Error('code-server exited while starting');
    try {
      const response = await fetch(`${origin}/healthz`);
      if (response.ok) return;
    } catch {
      // Not answering yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
