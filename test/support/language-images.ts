/**
 * Local images with a language runtime and its debugger, for the build, sync
 * and debug tests. Nothing can be pulled here, so each image is assembled from
 * this machine's Debian packages and `docker import`ed:
 *
 * - `pythonImage()`: python3.11 (stdlib), debugpy (Debian's python3-debugpy,
 *   with pydevd) and busybox (`sh`, `tar`, `wget`, …) in /bin.
 * - `goBaseImage()`: busybox plus Delve (`/usr/bin/dlv`, with the C library it
 *   links); `goImage()` compiles a static Go program (`CGO_ENABLED=0`, by
 *   default without optimisations so every variable can be inspected) and
 *   adds it to that base.
 *
 * Each image is tagged by a hash of its recipe (package versions, file
 * contents, this file's layout version), so it is made once and reused by
 * every later run; making it is guarded by a lock directory, so test files
 * running at the same time wait for one another instead of importing twice.
 * Needs: `apt-get install -y busybox-static python3 python3-debugpy delve golang-go`
 * (scripts/setup.sh installs them).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Bumped whenever the way a root file system is laid out changes. */
const LAYOUT = 'language-images/1';
const BUSYBOX = '/bin/busybox';
/** Busybox applets every language image links in /bin. */
export const LANGUAGE_IMAGE_APPLETS = [
  'sh',
  'ash',
  'ls',
  'cat',
  'cp',
  'mv',
  'rm',
  'mkdir',
  'rmdir',
  'ln',
  'chmod',
  'touch',
  'find',
  'grep',
  'sed',
  'head',
  'tail',
  'wc',
  'echo',
  'printf',
  'sleep',
  'env',
  'id',
  'hostname',
  'kill',
  'ps',
  'pidof',
  'true',
  'false',
  'test',
  '[',
  'tar',
  'gzip',
  'gunzip',
  'wget',
  'nc',
  'httpd',
  'which',
  'stat',
  'dirname',
  'basename',
  'readlink',
  'xargs',
  'date',
  'uname',
  'vi',
  'less',
  'du',
  'df',
  'md5sum',
  'sha256sum',
];
const PYTHON_PACKAGES = [
  'python3.11-minimal',
  'libpython3.11-minimal',
  'libpython3.11-stdlib',
  'python3-debugpy',
  'python3-pydevd',
  'python3-bytecode',
];
const PATH_ENV = 'ENV PATH=/usr/local/bin:/usr/bin:/bin';

/** The Python image (python3 + debugpy + busybox); returns its reference. */
export async function pythonImage(): Promise<string> {
  const versions = await packageVersions(PYTHON_PACKAGES);
  const ref = `kube-workbench-test/python:${hashOf(LAYOUT, busyboxHash(), versions)}`;
  return ensureImage(
    ref,
    ['CMD ["/usr/bin/python3"]', PATH_ENV, 'ENV LANG=C.UTF-8', 'ENV PYTHONUNBUFFERED=1'],
    async (root) => {
      addBusybox(root);
      const files = new Set<string>();
      for (const name of PYTHON_PACKAGES) {
        const { stdout } = await run('dpkg', ['-L', name], { maxBuffer: 16 * 1024 * 1024 });
        for (const line of stdout.split('\n')) {
          const path = line.trim();
          if (!path.startsWith('/') || path.startsWith('/usr/share/doc') || path.startsWith('/usr/share/man')) continue;
          if (!existsSync(path) || lstatSync(path).isDirectory()) continue;
          files.add(path);
          // The bytecode Debian compiled after installing (not in dpkg's list): saves a compile on every start.
          if (path.endsWith('.py')) {
            const base = posix.basename(path, '.py');
            const pyc = join(dirname(path), '__pycache__', `${base}.cpython-311.pyc`);
            if (existsSync(pyc)) files.add(pyc);
          }
        }
      }
      const elves = [...files].filter((f) => f === '/usr/bin/python3.11' || f.endsWith('.so'));
      for (const lib of await sharedLibraries(elves)) files.add(lib);
      for (const file of files) copyIntoRoot(root, file);
      symlinkSync('python3.11', join(root, 'usr/bin/python3'));
      symlinkSync('python3.11', join(root, 'usr/bin/python'));
    },
  );
}

/** Busybox + Delve (`/usr/bin/dlv`); the base every Go test image starts from. */
export async function goBaseImage(): Promise<string> {
  const dlv = which('dlv', 'delve');
  const ref = `kube-workbench-test/go-base:${hashOf(LAYOUT, busyboxHash(), fileHash(dlv))}`;
  return ensureImage(ref, ['CMD ["/bin/sh"]', PATH_ENV], async (root) => {
    addBusybox(root);
    for (const file of [dlv, ...(await sharedLibraries([dlv]))]) copyIntoRoot(root, file);
  });
}

export interface GoImageOptions {
  /** The program's source files (name → text), e.g. `{ 'main.go': '…' }`; a `go.mod` is added when missing. */
  readonly files: Readonly<Record<string, string>>;
  /** Image repository; default `kube-workbench-test/go-app`. */
  readonly name?: string;
  /** Where the binary goes in the image; default `/app/server`. */
  readonly binary?: string;
  /** Compile with `-gcflags=all=-N -l` (no optimisation, no inlining), as debuggers want; default true. */
  readonly debuggable?: boolean;
  /** Directory in the image the sources are also copied to (for Delve's listings); default `/src`. */
  readonly sourceDir?: string;
}

export interface GoImage {
  /** The image reference. */
  readonly ref: string;
  /** The binary's path inside the image. */
  readonly binary: string;
  /** The directory the program was compiled in: the file paths Delve reports start here. */
  readonly buildDir: string;
}

/**
 * Compiles `files` into a static Go binary and makes an image of it on top of
 * `goBaseImage()`. The program is compiled in a fixed directory
 * (`/tmp/kw-go-build/<hash>`), so the paths in its debug information are the
 * same on every run and for every engineer's test.
 */
export async function goImage(options: GoImageOptions): Promise<GoImage> {
  const go = which('go', 'golang-go');
  const base = await goBaseImage();
  const binary = options.binary ?? '/app/server';
  const debuggable = options.debuggable ?? true;
  const sourceDir = options.sourceDir ?? '/src';
  const files: Record<string, string> = { ...options.files };
  files['go.mod'] ??= 'module kwtestapp\n\ngo 1.19\n';
  for (const name of Object.keys(files)) {
    if (name.startsWith('/') || name.split('/').includes('..'))
      throw new Error(`goImage: source path ${name} escapes the program`);
  }
  const { stdout: goVersion } = await run(go, ['version']);
  const recipe = hashOf(LAYOUT, base, goVersion, debuggable, binary, sourceDir, sorted(files));
  const buildDir = join(tmpdir(), 'kw-go-build', recipe);
  const ref = `${options.name ?? 'kube-workbench-test/go-app'}:${recipe}`;
  await ensureImage(ref, [`FROM-BASE ${base}`, PATH_ENV, `CMD ["${binary}"]`], async (root) => {
    rmSync(buildDir, { recursive: true, force: true });
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(buildDir, name)), { recursive: true });
      writeFileSync(join(buildDir, name), text);
    }
    const out = join(root, binary);
    mkdirSync(dirname(out), { recursive: true });
    const flags = debuggable ? ['-gcflags=all=-N -l'] : ['-trimpath'];
    await run(go, ['build', ...flags, '-o', out, '.'], {
      cwd: buildDir,
      env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=mod', GOPROXY: 'off', GO111MODULE: 'on' },
      timeout: 240_000,
    });
    for (const [name, text] of Object.entries(files)) {
      const target = join(root, sourceDir, name);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, text);
    }
  });
  return { ref, binary, buildDir };
}

// ---------------------------------------------------------------------------

/**
 * Makes `ref` unless it exists: `fill` writes a root file system, which is
 * imported with `changes` (Dockerfile instructions for `docker import -c`).
 * A pseudo-change `FROM-BASE <image>` puts the files on top of that image's
 * file system instead (exported, then extended). Guarded by a lock directory.
 */
async function ensureImage(
  ref: string,
  changes: readonly string[],
  fill: (root: string) => Promise<void>,
): Promise<string> {
  if (await imageExists(ref)) return ref;
  const lock = join(tmpdir(), `kw-image-lock-${createHash('sha256').update(ref).digest('hex').slice(0, 16)}`);
  await acquire(lock);
  try {
    if (await imageExists(ref)) return ref;
    const work = mkdtempSync(join(tmpdir(), 'kw-lang-image-'));
    try {
      const root = join(work, 'rootfs');
      mkdirSync(root);
      const base = changes.find((c) => c.startsWith('FROM-BASE '))?.slice('FROM-BASE '.length);
      if (base) await unpackImage(base, root, work);
      await fill(root);
      const tar = join(work, 'rootfs.tar');
      await run('tar', ['-C', root, '--numeric-owner', '-cf', tar, '.'], { maxBuffer: 1024 * 1024 });
      const real = changes.filter((c) => !c.startsWith('FROM-BASE '));
      await run('docker', ['import', ...real.flatMap((c) => ['-c', c]), tar, ref], { timeout: 300_000 });
      return ref;
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

async function unpackImage(image: string, root: string, work: string): Promise<void> {
  const { stdout } = await run('docker', ['create', image, '/bin/true']);
  const id = stdout.trim();
  try {
    const tar = join(work, 'base.tar');
    await run('docker', ['export', '-o', tar, id], { timeout: 120_000 });
    await run('tar', ['-C', root, '-xf', tar]);
    rmSync(tar);
  } finally {
    await run('docker', ['rm', '-f', id]).catch(() => undefined);
  }
}

/** Takes the lock directory (mkdir is atomic); a lock older than 10 minutes is a crashed run's and is broken. */
async function acquire(lock: string): Promise<void> {
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    try {
      if (Date.now() - statSync(lock).mtimeMs > 10 * 60_000) rmSync(lock, { recursive: true, force: true });
    } catch {
      // released meanwhile
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock} (another test making the same image)`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function imageExists(ref: string): Promise<boolean> {
  try {
    await run('docker', ['image', 'inspect', ref], { timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

function addBusybox(root: string): void {
  if (!existsSync(BUSYBOX))
    throw new Error(`${BUSYBOX} is missing: install it with 'apt-get install -y busybox-static'`);
  for (const dir of ['bin', 'tmp', 'etc', 'usr/bin', 'usr/lib', 'usr/lib64', 'app'])
    mkdirSync(join(root, dir), { recursive: true });
  chmodSync(join(root, 'tmp'), 0o1777);
  // Debian's merged /usr: the dynamic loader and libraries are named through /lib and /lib64.
  symlinkSync('usr/lib', join(root, 'lib'));
  symlinkSync('usr/lib64', join(root, 'lib64'));
  copyFileSync(BUSYBOX, join(root, 'bin/busybox'));
  chmodSync(join(root, 'bin/busybox'), 0o755);
  for (const applet of LANGUAGE_IMAGE_APPLETS) symlinkSync('busybox', join(root, 'bin', applet));
  writeFileSync(join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n');
  writeFileSync(join(root, 'etc/group'), 'root:x:0:\nnogroup:x:65534:\n');
}

/**
 * Copies a host file to the same path under `root`, with its directory's
 * symlinks resolved (so /lib/x/libc.so.6 lands in /usr/lib/x); a symlink is
 * copied as a symlink, and its target too.
 */
function copyIntoRoot(root: string, file: string, depth = 0): void {
  if (depth > 8) throw new Error(`symlink chain too long at ${file}`);
  const path = join(realpathSync(dirname(file)), posix.basename(file));
  const target = join(root, path);
  if (existsSync(target) || isLink(target)) return;
  mkdirSync(dirname(target), { recursive: true });
  const stat = lstatSync(path);
  if (stat.isSymbolicLink()) {
    const link = readlinkSync(path);
    symlinkSync(link, target);
    copyIntoRoot(root, resolve(dirname(path), link), depth + 1);
  } else if (stat.isFile()) {
    copyFileSync(path, target);
    chmodSync(target, stat.mode & 0o7777);
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** The shared libraries (and the dynamic loader) `ldd` names for these ELF files. */
async function sharedLibraries(elves: readonly string[]): Promise<Set<string>> {
  const libs = new Set<string>();
  for (const elf of elves) {
    let out: string;
    try {
      out = (await run('ldd', [elf])).stdout;
    } catch {
      continue; // "not a dynamic executable": static, nothing to add
    }
    for (const line of out.split('\n')) {
      const match = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
      if (match?.[1]) libs.add(match[1]);
    }
  }
  return libs;
}

async function packageVersions(names: readonly string[]): Promise<string> {
  try {
    const { stdout } = await run('dpkg-query', ['-W', '-f', '${Package}=${Version};', ...names]);
    return stdout;
  } catch {
    throw new Error(`missing Debian packages: install them with 'apt-get install -y ${names.join(' ')}'`);
  }
}

function which(command: string, pkg: string): string {
  for (const dir of ['/usr/bin', '/usr/local/bin', '/usr/lib/go/bin']) {
    const path = join(dir, command);
    if (existsSync(path)) return path;
  }
  throw new Error(`${command} is missing: install it with 'apt-get install -y ${pkg}'`);
}

let busyboxDigest: string | undefined;
function busyboxHash(): string {
  busyboxDigest ??= hashOf(fileHash(BUSYBOX), LANGUAGE_IMAGE_APPLETS);
  return busyboxDigest;
}

function fileHash(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function sorted(files: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function hashOf(...parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 12);
}
