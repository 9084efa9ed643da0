/**
 * An artifact's sync rules, as Skaffold's `sync` reads them: `manual` rules
 * (`src` glob relative to the build context, `dest` folder in the container,
 * `strip` a leading path to drop) and `infer` globs (a matching file goes where
 * the Dockerfile's COPY/ADD put it in the image). A file no rule covers is not
 * synced: its change rebuilds the image.
 */
import { posix } from 'node:path';
import { Glob, GlobError } from './sync-glob.js';
import { imageLayout, imagePathOf, type ImageLayout } from './sync-infer.js';

export interface ManualSyncRule {
  src: string;
  dest: string;
  strip?: string;
}

export interface SyncSpec {
  manual?: readonly ManualSyncRule[];
  infer?: readonly string[];
}

interface CompiledManual {
  glob: Glob;
  dest: string;
  strip: string;
}

export class SyncRules {
  private constructor(
    private readonly manual: readonly CompiledManual[],
    private readonly infer: readonly Glob[],
    private readonly layout: ImageLayout | undefined,
    /** Rules that could not be read, each with what is wrong; they cover nothing. */
    readonly problems: readonly string[],
  ) {}

  /**
   * Compiles a sync spec; `dockerfile` (its text) gives `infer` its copies and a
   * relative `dest` its WORKDIR.
   */
  static from(spec: SyncSpec | undefined, dockerfile?: string, target?: string): SyncRules {
    const problems: string[] = [];
    const manual: CompiledManual[] = [];
    const layout = dockerfile !== undefined ? imageLayout(dockerfile, target) : undefined;
    (spec?.manual ?? []).forEach((rule, i) => {
      try {
        const strip = normalizeRelative(rule.strip ?? '');
        manual.push({
          glob: new Glob(normalizeRelative(rule.src)),
          dest: rule.dest,
          strip: strip === '' ? '' : `${strip}/`,
        });
      } catch (error) {
        problems.push(`sync.manual[${i}]: ${error instanceof GlobError ? error.message : String(error)}`);
      }
    });
    const infer: Glob[] = [];
    (spec?.infer ?? []).forEach((pattern, i) => {
      try {
        infer.push(new Glob(normalizeRelative(pattern)));
      } catch (error) {
        problems.push(`sync.infer[${i}]: ${error instanceof GlobError ? error.message : String(error)}`);
      }
    });
    if ((spec?.infer ?? []).length > 0 && layout === undefined)
      problems.push('sync.infer needs the Dockerfile, which could not be read');
    return new SyncRules(manual, infer, layout, problems);
  }

  /** Whether any rule can cover a file at all. */
  get isEmpty(): boolean {
    return this.manual.length === 0 && this.infer.length === 0;
  }

  /**
   * Where a context file (relative, `/`-separated) goes in the container, or
   * undefined when no rule covers it. Manual rules come first, in order.
   */
  destinationOf(file: string): string | undefined {
    for (const rule of this.manual) {
      if (!rule.glob.matches(file)) continue;
      const rest = rule.strip !== '' && file.startsWith(rule.strip) ? file.slice(rule.strip.length) : file;
      const dest = posix.join(rule.dest, rest);
      return posix.isAbsolute(dest) || !this.layout ? dest : posix.join(this.layout.workdir, dest);
    }
    if (this.layout && this.infer.some((g) => g.matches(file))) return imagePathOf(this.layout.copies, file);
    return undefined;
  }
}

/** `./a/b/` → `a/b`; `..` segments are refused (a rule never reaches out of its context). */
function normalizeRelative(path: string): string {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw new GlobError(`'${path}' leaves the build context`);
  return parts.join('/');
}
