import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from './wait-for.js';

let clicks = 0;

/**
 * Has the launcher, which drives the browser, click in the workbench as a
 * person would: `codelens:Run` clicks the first CodeLens with that text,
 * `tree:ConfigMaps` selects that tree row and opens it. Resolves once the
 * launcher has done it (it writes a marker file), with whether it worked.
 * Under desktop VS Code (no launcher) it resolves to undefined at once.
 */
export async function click(target: string): Promise<boolean | undefined> {
  const dir = process.env['KW_E2E_RESULTS'];
  if (!dir) return undefined;
  const id = `${process.pid}-${++clicks}`;
  const marker = join(dir, `.kw-click-${id}`);
  rmSync(marker, { force: true });
  console.log(`[kw-click] ${id} ${target}`);
  await waitFor(
    () => existsSync(marker),
    (done) => done,
    `the launcher to click ${target}`,
  );
  const outcome = readFileSync(marker, 'utf8');
  rmSync(marker, { force: true });
  return outcome === 'ok';
}

let reads = 0;

/**
 * Has the launcher read what a person sees in the workbench's elements that
 * match a CSS selector (e.g. `.part.statusbar`), as their visible text.
 * Under desktop VS Code (no launcher) it resolves to undefined at once.
 */
export async function visibleText(selector: string): Promise<string | undefined> {
  const dir = process.env['KW_E2E_RESULTS'];
  if (!dir) return undefined;
  const id = `${process.pid}-${++reads}`;
  const file = join(dir, `.kw-text-${id}`);
  rmSync(file, { force: true });
  console.log(`[kw-text] ${id} ${selector}`);
  await waitFor(
    () => existsSync(file),
    (done) => done,
    `the launcher to read ${selector}`,
  );
  const text = readFileSync(file, 'utf8');
  rmSync(file, { force: true });
  return text;
}
