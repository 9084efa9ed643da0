import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from './wait-for.js';

/**
 * Has the launcher (which drives the browser) save a screenshot of the
 * workbench as test-results/<name>.png, and waits until the file is there.
 */
export async function screenshot(name: string): Promise<string> {
  const dir = process.env['KW_E2E_RESULTS'];
  if (!dir) throw new Error('KW_E2E_RESULTS is not set: run the suite through test/e2e/run.ts');
  const path = join(dir, `${name}.png`);
  rmSync(path, { force: true });
  console.log(`[kw-screenshot] ${name}`);
  await waitFor(
    () => existsSync(path),
    (done) => done,
    `screenshot ${path}`,
  );
  // The file appears when writing starts; give the writer a moment to finish.
  await new Promise((resolve) => setTimeout(resolve, 300));
  return path;
}
