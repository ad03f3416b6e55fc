/**
 * Browser tests: the real server on a temporary database with demo data, driven through Debian's
 * chromium with playwright-core (a browser cannot be downloaded by a test tool here).
 */
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import pino from 'pino';
import { startServer, type RunningServer } from '../../server/main.ts';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const ARTIFACTS = join(ROOT, 'test-artifacts');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic', '--disable-dev-shm-usage', '--lang=sv-SE',
];

export interface Harness {
  server: RunningServer;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  url: string;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/** A server with `demoCases` synthetic cases on a fresh temporary database, and a 1366×768 page. */
export async function startHarness(options: { demoCases?: number } = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'samverkan-browser-'));
  const server = await startServer({
    port: 0, dbPath: join(dir, 'test.db'), demo: true, demoCases: options.demoCases ?? 80, logger: pino({ level: 'silent' }),
  });
  const browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'sv-SE', timezoneId: 'Europe/Stockholm', acceptDownloads: true });
  const page = await context.newPage();
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    server, browser, context, page, url: server.url,
    async close() {
      await context.close().catch(() => {});
      await browser.close().catch(() => {});
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

export async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}
