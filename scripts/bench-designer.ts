/**
 * `npm run bench:designer`: how fast the designer draws the largest pathway and keeps its live
 * counts up to date, measured in Debian's chromium with the Performance API against the real server
 * on a temporary database with many cases. Not a timed test: it prints the figures and writes them
 * to bench/results-designer.json.
 *
 * The server runs in demo mode without a rate limit. The pages are signed in as the pathway's
 * region's process owner (who sees every case of the region, so the map, the stream and the case
 * lists carry what they would for the people who watch it) with the token put in sessionStorage
 * before the page loads; the events come from the admitting ward's demo user, whose move they are.
 *
 * Options (env): BENCH_CASES (cases in the database, default 100000), BENCH_LOADS (cold loads of the
 * pathway view, default 5), BENCH_BURST (events in the burst, default 1000), BENCH_RATE (events/s
 * in the sustained run, default 100), BENCH_SECONDS (sustained run, default 10).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import pino from 'pino';
import { shippedPathways } from '../engine/cases.ts';
import { regionOf } from '../engine/access.ts';
import { DEMO_USERS, demoWard } from '../engine/demoDirectory.ts';
import { CaseEngine, systemClock } from '../engine/engine.ts';
import { TEST_PERSONNUMMER } from '../engine/personnummer.ts';
import { Store } from '../engine/store.ts';
import { TOKEN_KEY } from '../designer/src/auth.ts';
import { buildModel } from '../designer/src/graph.ts';
import { PATHWAY_IDS, type PathwayId } from '../machines/events.ts';
import { PATHWAYS } from '../machines/pathways.ts';
import { startServer } from '../server/main.ts';
import { ensureChromium } from './ensure-chromium.mjs';
import { ensureDesignerBuilt } from './ensure-designer-build.mjs';
import { launchBrowser } from '../test/browser/support.ts';

const CASES = Number(process.env.BENCH_CASES ?? 100_000);
const LOADS = Number(process.env.BENCH_LOADS ?? 5);
const BURST = Number(process.env.BENCH_BURST ?? 1000);
const RATE = Number(process.env.BENCH_RATE ?? 100);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const round = (x: number) => Math.round(x * 10) / 10;

/** The pathway with the most states and transitions: the heaviest drawing. */
function largestPathway(): { id: PathwayId; states: number; edges: number } {
  const sizes = PATHWAY_IDS.map((id) => {
    const model = buildModel(PATHWAYS[id]);
    return { id, states: model.states.length, edges: model.edges.length };
  });
  const transitions = (id: PathwayId) => JSON.stringify(PATHWAYS[id]).split('"event"').length;
  return sizes.sort((a, b) => b.states + b.edges - (a.states + a.edges) || transitions(b.id) - transitions(a.id))[0]!;
}

/** Seeds `n` cases admitted to `ward`, most waiting for their admission notice (the burst sends it). */
function seed(dbPath: string, pathway: PathwayId, ward: string, n: number): string[] {
  const store = new Store(dbPath);
  const engine = new CaseEngine(store, shippedPathways, systemClock, { cacheSize: 100 });
  const waiting: string[] = [];
  const admittedAt = new Date(Date.now() - 3 * 3_600_000).toISOString();
  const started = performance.now();
  for (let done = 0; done < n; ) {
    store.transaction(() => {
      for (let i = 0; i < 2000 && done < n; i += 1, done += 1) {
        const created = engine.create({
          pathway,
          patient: { personnummer: TEST_PERSONNUMMER[done % TEST_PERSONNUMMER.length]!, name: `Bench ${done}`, address: 'Testgatan 1' },
          kommun: 'Karlstad',
          admittedAt,
        }, { ward });
        if (!created.ok) throw new Error(JSON.stringify(created));
        // A quarter move on, so the map shows counts in several states.
        if (done % 4 === 0) engine.send(created.view.id, { type: 'SEND_ADMISSION_NOTICE' });
        else waiting.push(created.view.id);
      }
    });
    if (done % 20_000 === 0) console.log(`  seeded ${done} cases (${Math.round((performance.now() - started) / 1000)} s)`);
  }
  store.close();
  return waiting;
}

/** The bench's tokens: the region's process owner watches the pages, the admitting ward sends the events. */
interface Identities {
  viewer: string;
  sender: string;
}

/** The demo users for a pathway: its region's process owner and a staff member of the ward its cases are admitted to. */
function benchUsers(pathway: PathwayId, ward: string): { viewer: string; sender: string } {
  const viewer = DEMO_USERS.find((u) => u.roles.includes('process_owner') && u.unit.region === regionOf(pathway));
  const sender = DEMO_USERS.find((u) => u.roles.includes('staff') && u.unit.id === ward);
  if (!viewer || !sender) throw new Error(`no demo users for ${pathway} (ward ${ward})`);
  return { viewer: viewer.id, sender: sender.id };
}

/** A demo token (POST /api/demo/login). */
async function demoToken(url: string, userId: string): Promise<string> {
  const response = await fetch(`${url}/api/demo/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId }) });
  if (!response.ok) throw new Error(`demo login ${userId}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A browser context signed in with `token` (in sessionStorage before any script of the page runs) and the page probe. */
async function signedInContext(browser: Browser, token: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'sv-SE', timezoneId: 'Europe/Stockholm' });
  await context.addInitScript(([key, value]) => sessionStorage.setItem(key, value), [TOKEN_KEY, token] as const);
  await context.addInitScript(PAGE_PROBE);
  return context;
}

/** Long tasks and frame gaps, recorded in the page from its very start. */
const PAGE_PROBE = `
  window.__bench = { longtasks: [], frames: [], drawnAt: null };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__bench.longtasks.push({ start: e.startTime, end: e.startTime + e.duration, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  const tick = (t) => { window.__bench.frames.push(t); if (window.__bench.frames.length > 20000) window.__bench.frames.splice(0, 10000); requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
`;

interface Probe {
  longtasks: { start: number; end: number; duration: number }[];
  frames: number[];
}

async function waitDrawn(page: Page, expected: number): Promise<number> {
  // Resolves in the first animation frame in which every state of the pathway is on screen.
  const handle = await page.waitForFunction((n) => {
    const drawn = Array.from(document.querySelectorAll('.react-flow__node-state')).filter((el) => (el as HTMLElement).offsetWidth > 0).length;
    return drawn >= n ? performance.now() : false;
  }, expected, { polling: 'raf', timeout: 30_000 });
  return (await handle.jsonValue()) as number;
}

/** Waits until the server has finished what earlier pages asked of it (it answers in order). */
async function serverIdle(url: string): Promise<void> {
  await (await fetch(`${url}/api/health`)).arrayBuffer();
}

/** One navigation in a fresh browser context (empty cache), in an already running browser. */
async function coldLoad(browser: Browser, url: string, token: string, pathway: PathwayId, states: number) {
  await serverIdle(url);
  {
    const context = await signedInContext(browser, token);
    const page = await context.newPage();
    await page.goto(`${url}/#/process/${pathway}`, { waitUntil: 'commit' });
    const drawn = await waitDrawn(page, states);
    // Interactive: the main thread is free (no long task ends later than 50 ms after the
    // previous one), and a click on a state answers with its details.
    await page.waitForTimeout(400);
    const probe = (await page.evaluate('window.__bench')) as Probe;
    let interactive = drawn;
    for (const task of [...probe.longtasks].sort((a, b) => a.start - b.start)) {
      if (task.end > interactive && task.start <= interactive + 50) interactive = task.end;
    }
    // A click dispatched in the page, timed to the first frame painted with the state's details.
    const clickToDetails = await page.evaluate(async () => {
      const button = Array.from(document.querySelectorAll('button[aria-label]')).find((b) => (b.getAttribute('aria-label') ?? '').startsWith('Slutenvården: Planering inför utskrivning.'));
      const t = performance.now();
      (button as HTMLButtonElement).click();
      for (;;) {
        await new Promise((r) => requestAnimationFrame(r));
        if (document.querySelector('aside')) return performance.now() - t;
      }
    });
    const nav = (await page.evaluate(() => {
      const [n] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
      return n ? {
        domContentLoaded: n.domContentLoadedEventEnd,
        definition: performance.getEntriesByName('samverkan:definition')[0]?.startTime ?? null,
        layout: performance.getEntriesByName('samverkan:layout')[0]?.startTime ?? null,
      } : null;
    }));
    await context.close();
    return {
      drawnMs: drawn, interactiveMs: interactive, clickToDetailsMs: clickToDetails,
      longestTaskMs: Math.max(0, ...probe.longtasks.map((t) => t.duration)),
      ...(nav ? { domContentLoadedMs: nav.domContentLoaded, definitionMs: nav.definition, layoutDoneMs: nav.layout } : {}),
    };
  }
}

async function post(url: string, token: string, id: string): Promise<void> {
  const response = await fetch(`${url}/api/cases/${id}/events`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...bearer(token) }, body: JSON.stringify({ type: 'SEND_ADMISSION_NOTICE' }),
  });
  if (!response.ok) throw new Error(`${id}: ${response.status} ${await response.text()}`);
  await response.arrayBuffer();
}

/** Waits until the map's count on a state equals the server's, and returns the page time it did. */
async function waitCount(page: Page, label: RegExp, expected: number, timeout = 120_000): Promise<number> {
  const handle = await page.waitForFunction(({ source, n }) => {
    const re = new RegExp(source);
    const button = Array.from(document.querySelectorAll('button[aria-label]')).find((b) => re.test(b.getAttribute('aria-label') ?? ''));
    const m = /\. (\d+) ärenden/.exec(button?.getAttribute('aria-label') ?? '');
    return m && Number(m[1]) === n ? performance.now() : false;
  }, { source: label.source, n: expected }, { polling: 'raf', timeout });
  return (await handle.jsonValue()) as number;
}

async function liveRun(url: string, tokens: Identities, pathway: PathwayId, ids: string[], states: number, mode: 'burst' | 'sustained') {
  const browser = await launchBrowser();
  try {
    const context = await signedInContext(browser, tokens.viewer);
    const page = await context.newPage();
    await serverIdle(url);
    await page.goto(`${url}/#/process/${pathway}`, { waitUntil: 'commit' });
    await waitDrawn(page, states);
    const planning = /^Slutenvården: Planering inför utskrivning\./;
    const positions = async () => ((await (await fetch(`${url}/api/positions?pathway=${pathway}`, { headers: bearer(tokens.viewer) })).json()) as { states: { state: string; active: number }[] }).states;
    const count = async () => (await positions()).find((s) => s.state === 'slutenvard.vardtid')?.active ?? 0;
    const before = await count();
    await waitCount(page, planning, before);
    await page.waitForTimeout(1000);
    const pageStart = await page.evaluate(() => performance.now());
    const started = performance.now();
    if (mode === 'burst') {
      // As fast as the server takes them: 8 requests in flight.
      let next = 0;
      await Promise.all(Array.from({ length: 8 }, async () => {
        while (next < ids.length) await post(url, tokens.sender, ids[next++]!);
      }));
    } else {
      const interval = 1000 / RATE;
      const pending: Promise<void>[] = [];
      for (let i = 0; i < ids.length; i += 1) {
        const due = started + i * interval;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        pending.push(post(url, tokens.sender, ids[i]!));
      }
      await Promise.all(pending);
    }
    const answered = performance.now() - started;
    const pageAnswered = pageStart + answered;
    const expected = before + ids.length;
    const shown = await waitCount(page, planning, expected);
    const probe = (await page.evaluate('window.__bench')) as Probe;
    const frames = probe.frames.filter((t) => t >= pageStart && t <= shown);
    const gaps = frames.slice(1).map((t, i) => t - frames[i]!);
    const tasks = probe.longtasks.filter((t) => t.end >= pageStart && t.start <= shown);
    await context.close();
    return {
      events: ids.length,
      serverAnsweredAllMs: round(answered),
      screenShowedFinalCountMs: round(shown - pageStart),
      screenLagAfterLastAnswerMs: round(Math.max(0, shown - pageAnswered)),
      longestFrameGapMs: round(Math.max(0, ...gaps)),
      framesOver50Ms: gaps.filter((g) => g > 50).length,
      longTasks: tasks.length,
      longestTaskMs: round(Math.max(0, ...tasks.map((t) => t.duration))),
    };
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  ensureChromium();
  ensureDesignerBuilt();
  const largest = largestPathway();
  const ward = demoWard(largest.id, 0);
  const users = benchUsers(largest.id, ward);
  console.log(`bench:designer — largest pathway ${largest.id} (${largest.states} nodes, ${largest.edges} edges), ${CASES} cases; pages as ${users.viewer}, events as ${users.sender}`);
  const dir = mkdtempSync(join(tmpdir(), 'samverkan-bench-designer-'));
  const dbPath = join(dir, 'bench.db');
  const seededAt = performance.now();
  const waiting = seed(dbPath, largest.id, ward, CASES);
  const seedSeconds = (performance.now() - seededAt) / 1000;
  const need = BURST + RATE * SECONDS;
  if (waiting.length < need) throw new Error(`need ${need} waiting cases, have ${waiting.length}: raise BENCH_CASES`);

  const server = await startServer({ port: 0, dbPath, demo: false, logger: pino({ level: 'silent' }), auth: { mode: 'demo' }, rateLimit: 0 });
  try {
    const tokens: Identities = { viewer: await demoToken(server.url, users.viewer), sender: await demoToken(server.url, users.sender) };
    const states = buildModel(PATHWAYS[largest.id]).states.length;
    const endpoints: Record<string, number> = {};
    for (const path of [`/api/pathways/${largest.id}`, `/api/positions?pathway=${largest.id}`, `/api/cases?pathway=${largest.id}&status=active&overdue=true&limit=1`, `/api/cases?pathway=${largest.id}&state=slutenvard.vardtid&status=active&limit=25`]) {
      const started = performance.now();
      const response = await fetch(`${server.url}${path}`, { headers: bearer(tokens.viewer) });
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      await response.arrayBuffer();
      endpoints[path] = round(performance.now() - started);
    }
    console.log('  server endpoints (ms):', JSON.stringify(endpoints));
    const loads = [];
    const browser = await launchBrowser();
    try {
      for (let i = 0; i < LOADS; i += 1) loads.push(await coldLoad(browser, server.url, tokens.viewer, largest.id, states));
    } finally {
      await browser.close();
    }
    const load = {
      runs: LOADS,
      drawnMs: round(median(loads.map((l) => l.drawnMs))),
      interactiveMs: round(median(loads.map((l) => l.interactiveMs))),
      clickToDetailsMs: round(median(loads.map((l) => l.clickToDetailsMs))),
      worstInteractiveMs: round(Math.max(...loads.map((l) => l.interactiveMs))),
      longestTaskMs: round(Math.max(...loads.map((l) => l.longestTaskMs))),
    };
    console.log('  loads:', JSON.stringify(loads));
    console.log(`  load: drawn ${load.drawnMs} ms, interactive ${load.interactiveMs} ms after navigation (median of ${LOADS}; worst ${load.worstInteractiveMs} ms); click → details ${load.clickToDetailsMs} ms`);

    const burst = await liveRun(server.url, tokens, largest.id, waiting.slice(0, BURST), states, 'burst');
    console.log(`  burst of ${burst.events}: server answered all in ${burst.serverAnsweredAllMs} ms; screen showed the final count ${burst.screenShowedFinalCountMs} ms after the first (${burst.screenLagAfterLastAnswerMs} ms after the last answer); longest frame gap ${burst.longestFrameGapMs} ms, longest task ${burst.longestTaskMs} ms`);
    const sustained = await liveRun(server.url, tokens, largest.id, waiting.slice(BURST, BURST + RATE * SECONDS), states, 'sustained');
    console.log(`  ${RATE} events/s for ${SECONDS} s: screen ${sustained.screenLagAfterLastAnswerMs} ms behind the last answer; longest frame gap ${sustained.longestFrameGapMs} ms (${sustained.framesOver50Ms} frames over 50 ms), longest task ${sustained.longestTaskMs} ms`);

    const results = {
      when: new Date().toISOString(),
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? '', memGb: Math.round(totalmem() / 2 ** 30), node: process.version, browser: 'Debian chromium (headless)', viewport: '1366x768' },
      cases: CASES,
      signedInAs: { pages: users.viewer, events: users.sender },
      seedSeconds: round(seedSeconds),
      largestPathway: largest,
      serverEndpointsMs: endpoints,
      load,
      loads,
      burst,
      sustained: { ratePerSecond: RATE, seconds: SECONDS, ...sustained },
    };
    writeFileSync(new URL('../bench/results-designer.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
    console.log('  written to bench/results-designer.json');
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
