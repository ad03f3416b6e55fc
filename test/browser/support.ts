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

/**
 * A server in demo mode (built-in demo users) with `demoCases` synthetic cases on a fresh temporary
 * database, and a 1366×768 page. No rate limit: the tests read many cases quickly.
 */
export async function startHarness(options: { demoCases?: number } = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'samverkan-browser-'));
  const server = await startServer({
    port: 0, dbPath: join(dir, 'test.db'), demo: true, demoCases: options.demoCases ?? 80, logger: pino({ level: 'silent' }),
    auth: { mode: 'demo' }, rateLimit: 0,
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

export interface DemoUser {
  id: string;
  name: string;
  unit: { id: string; name: string; party: string | null; region: 'sth' | 'vrm'; kommuner: string[] };
  roles: string[];
}

const tokens = new Map<string, string>();

/** A bearer token for a demo user (POST /api/demo/login), for direct API calls; one per server and user. */
export async function login(url: string, userId: string): Promise<string> {
  const key = `${url} ${userId}`;
  let token = tokens.get(key);
  if (!token) {
    ({ token } = await json<{ token: string }>(`${url}/api/demo/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId }),
    }));
    tokens.set(key, token);
  }
  return token;
}

/** A JSON API call; with `token`, as that user. */
export async function json<T>(url: string, init?: RequestInit & { token?: string }): Promise<T> {
  const { token, ...rest } = init ?? {};
  const headers = new Headers(rest.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  const response = await fetch(url, { ...rest, headers });
  if (!response.ok) throw new Error(`${rest.method ?? 'GET'} ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** The demo user's display name, from GET /api/demo/users. */
export async function demoUser(url: string, userId: string): Promise<DemoUser> {
  const user = (await json<DemoUser[]>(`${url}/api/demo/users`)).find((u) => u.id === userId);
  if (!user) throw new Error(`no demo user ${userId}`);
  return user;
}

/**
 * Signs in on the login screen as a demo user, as a person would: opens `url` (signing out whoever
 * is signed in: that returns to the start address), picks the user's button and waits for the
 * header to name them. `hash` is the page to land on (empty: the user's start page).
 */
export async function signIn(page: Page, url: string, userId: string, hash = ''): Promise<void> {
  const user = await demoUser(url, userId);
  await page.goto(`${url}/${hash}`);
  const out = page.getByRole('button', { name: 'Logga ut' });
  const demo = page.getByRole('region', { name: /DEMOLÄGE/ });
  await out.or(demo).first().waitFor();
  if (await out.isVisible()) {
    await out.click();
    await demo.waitFor();
    if (hash) await page.goto(`${url}/${hash}`);
  }
  await demo.getByRole('button', { name: user.name }).click();
  await page.getByRole('banner').getByText(user.name).waitFor();
}

/** Signs out with the header's button and waits for the login screen. */
export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Logga ut' }).click();
  await page.getByRole('heading', { name: 'Logga in', level: 1 }).waitFor();
}

/** A semicolon-separated CSV with quoted cells, as the server writes it (BOM first). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ';') {
      row.push(cell);
      cell = '';
    } else if (c === '\r') continue;
    else if (c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}
