import { format } from 'node:util';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface WorkbenchOptions {
  /** http://127.0.0.1:PORT of a running code-server. */
  readonly origin: string;
  readonly workspace: string;
  readonly extensionDevelopmentPath: string;
  readonly extensionTestsPath: string;
  /** Every line the workbench forwards from the extension host's console. */
  readonly onLog: (level: string, message: string) => void;
}

/** A headless Chromium showing the workbench that runs one test suite. */
export interface Workbench {
  /** The suite's exit code: 0 when its `run()` resolved, 1 when it rejected. */
  readonly exitCode: Promise<number>;
  screenshot(path: string): Promise<void>;
  /** Drags the side bar's edge to the right, so a tree view's labels are readable in a screenshot. */
  widenSideBar(): Promise<void>;
  /**
   * Clicks what a person would click: a CodeLens (`codelens:TEXT`), a tree row (`tree:LABEL`) or a button of a
   * notification (`notification:MESSAGE|BUTTON`).
   */
  click(target: string): Promise<void>;
  /** What a person reads in the elements matching a CSS selector (their visible text, one per line). */
  text(selector: string): Promise<string>;
  close(): Promise<void>;
}

/** The address that opens `workspace` and runs the tests in the extension host (code-server's test payload). */
export function workbenchUrl(options: Omit<WorkbenchOptions, 'onLog'>): string {
  const remote = (path: string): string => `vscode-remote://${new URL(options.origin).host}${encodeURI(path)}`;
  const payload = [
    ['extensionDevelopmentPath', remote(options.extensionDevelopmentPath)],
    ['extensionTestsPath', remote(options.extensionTestsPath)],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  const query = new URLSearchParams({ folder: options.workspace, payload: JSON.stringify(payload) });
  return `${options.origin}/?${query.toString()}`;
}

export async function openWorkbench(options: WorkbenchOptions): Promise<Workbench> {
  const browser: Browser = await chromium.launch({
    executablePath: process.env['KW_CHROMIUM'] ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    headless: true,
  });
  try {
    const page: Page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    let settle: (code: number) => void = () => undefined;
    const exitCode = new Promise<number>((resolve) => (settle = resolve));
    await page.exposeFunction('codeAutomationExit', (code: unknown) => settle(typeof code === 'number' ? code : 1));
    await page.exposeFunction('codeAutomationLog', (level: unknown, message: unknown) =>
      options.onLog(String(level), formatConsoleArgs(message)),
    );
    page.on('crash', () => {
      options.onLog('error', 'the workbench page crashed');
      settle(1);
    });
    await page.goto(workbenchUrl(options), { waitUntil: 'domcontentloaded' });
    return {
      exitCode,
      screenshot: async (path) => {
        await page.screenshot({ path, timeout: 15_000 });
      },
      click: async (target) => {
        const [kind, text = ''] = target.split(/:(.*)/s);
        if (kind === 'codelens') {
          const lens = page.locator('.codelens-decoration a').filter({ hasText: text });
          await lens.first().click({ timeout: 15_000 });
          return;
        }
        if (kind === 'notification') {
          // A notification's own button, e.g. `notification:sending load|Cancel`.
          const [message = '', button = ''] = text.split('|');
          const toast = page.locator('.notification-list-item').filter({ hasText: message }).first();
          await toast.locator('.monaco-button').filter({ hasText: button }).first().click({ timeout: 15_000 });
          return;
        }
        // A tree row: select it, then open it with the keyboard, as a person might.
        const row = page.locator('.monaco-list-row').filter({ hasText: text }).first();
        await row.click({ timeout: 15_000 });
        await page.keyboard.press('ArrowRight');
        // Opening waits for the row's children (a request to the cluster): slow on a busy machine. A row
        // still closed after that (the click and key landed while the view was taking focus) is clicked
        // once more, as a person would; the caller gives up after 20 s.
        const open = row.locator('xpath=self::*[@aria-expanded="true"]');
        try {
          await open.waitFor({ timeout: 8_000 });
        } catch (error) {
          if ((await row.getAttribute('aria-expanded', { timeout: 1_000 })) !== 'false') throw error;
          await row.click({ timeout: 2_000 });
          await open.waitFor({ timeout: 7_000 });
        }
      },
      text: async (selector) => (await page.locator(selector).allInnerTexts()).join('\n'),
      widenSideBar: async () => {
        const box = await page.locator('.part.sidebar').first().boundingBox();
        if (!box || box.width > 420) return;
        const x = box.x + box.width - 1;
        const y = box.y + box.height / 2;
        await page.mouse.move(x, y);
        await page.mouse.down();
        await page.mouse.move(x + 300, y, { steps: 8 });
        await page.mouse.up();
      },
      close: () => browser.close(),
    };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/** The extension host forwards console calls as their argument list: print them as console.log would. */
function formatConsoleArgs(message: unknown): string {
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return format(...(message as unknown[]));
  return JSON.stringify(message);
}
