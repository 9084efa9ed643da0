import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from './browser.js';
import type { Deadline } from './deadline.js';
import { spawnGroup } from './process-group.js';
import { stopClustersUnder } from './stop-clusters.js';
import type { Counts } from './run-suite.js';

/**
 * README command 1, as a person runs it: `bash scripts/run.sh` in the
 * background, then the printed URL in a browser. Passes when the workbench
 * shows the examples/ workspace with Kube Workbench active (its status bar
 * entry exists only once the extension has activated).
 */
export async function quickstartCheck(repoRoot: string, resultsDir: string, deadline: Deadline): Promise<Counts> {
  const tag = '[e2e:quickstart]';
  const port = await freePort();
  const state = mkdtempSync(join(tmpdir(), 'kw-quickstart-'));
  const started = Date.now();
  let output = '';
  const proc = spawnGroup('bash', ['scripts/run.sh'], {
    cwd: repoRoot,
    env: { ...process.env, PORT: String(port), KW_QUICKSTART_DIR: state },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  proc.child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const browser = await chromium.launch({
    executablePath: process.env['KW_CHROMIUM'] ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    headless: true,
  });
  try {
    const url = await deadline.race(
      waitForUrl(() => output, port),
      'scripts/run.sh printing the URL and serving it',
    );
    const served = Date.now() - started;
    console.log(`${tag} ${url} answered ${(served / 1000).toFixed(1)} s after scripts/run.sh started`);
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    const status = page.locator('[id$="kubeWorkbench.cluster"]');
    await deadline.race(
      status.first().waitFor({ state: 'attached', timeout: 120_000 }),
      'the Kube Workbench status bar entry',
    );
    console.log(`${tag} Kube Workbench active ${((Date.now() - started) / 1000).toFixed(1)} s after start`);
    const explorer = page.locator('.explorer-folders-view, .pane-body').filter({ hasText: 'hello-web' });
    await deadline.race(
      explorer.first().waitFor({ state: 'visible', timeout: 60_000 }),
      'the examples/ workspace in the explorer',
    );
    await page.screenshot({ path: join(resultsDir, 'e2e-quickstart.png') });
    console.log(`    ✔ the README's first command serves the workbench with examples/ and Kube Workbench active`);
    return { passed: 1, failed: 0 };
  } catch (error) {
    console.error(
      `${tag} FAILED: ${error instanceof Error ? error.message : String(error)}\n--- scripts/run.sh output ---\n${output.slice(-3000)}`,
    );
    return { passed: 0, failed: 1 };
  } finally {
    await browser.close().catch(() => undefined);
    await proc.stop();
    await stopClustersUnder(state, tag).catch(() => undefined);
    rmSync(state, { recursive: true, force: true });
  }
}

async function waitForUrl(output: () => string, port: number): Promise<string> {
  for (;;) {
    const url = /^Open: (http:\/\/127\.0\.0\.1:\d+\/\S*)$/m.exec(output())?.[1];
    if (url) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/healthz`);
        if (response.ok) return url;
      } catch {
        // not serving yet
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
