import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from './wait-for.js';

/**
 * Has the launcher (which drives the browser) save a screenshot of the
 * workbench as test-results/<name>.png, and waits until the file is there.
 * Where no launcher drives a browser (desktop VS Code through test-electron),
 * there is nobody to take it: it says so and returns undefined.
 */
export async function screenshot(name: string): Promise<string | undefined> {
  const dir = process.env['KW_E2E_RESULTS'];
  if (!dir) {
    console.log(`screenshot ${name}: skipped (no browser launcher; KW_E2E_RESULTS is not set)`);
    return undefined;
  }
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
