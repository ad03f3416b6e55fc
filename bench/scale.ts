/**
 * Section 3: the queries the designer, the inspector, the scheduler and the reports make, on
 * databases of 10k, 100k and 1M stored cases; database size and server memory at each size.
 *
 * Creating a million cases through the engine would take hours, so the database is grown the way a
 * region's database grows — its history. A seed is replayed through the engine: a region's cases
 * arriving over the six weeks before `SCALE_NOW` (`simulateRegion`: all ten pathways, each case
 * driven from its allowed actions with realistic delays, the scheduler noting overdue deadlines),
 * plus one case with 200 events for the inspector. Its cases still under way are the region's
 * current work and stay as they are. Its closed cases are then multiplied into the past with SQL
 * `INSERT … SELECT` into every table holding per-case rows (cases, events, deadlines, case_access,
 * case_liability, and case_states / case_todo, which closed cases do not have): copy k under new
 * ids, its times (the row's time columns and the info's admission time) moved k · 6 weeks back —
 * so the units, the active cases and a twelve-month report's population stay as they are while the
 * history grows. The snapshot and event payloads of copies keep the seed's times (no query
 * measured here reads them). Position counters are untouched by closed cases; they are checked
 * against a recount at every size.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { principalKeys, type Principal } from '../engine/access.ts';
import { addDays, addMonths, localDateOf, startOfLocalDay } from '../engine/calendar.ts';
import { DEMO_USERS } from '../engine/demoDirectory.ts';
import { CaseEngine, ManualClock } from '../engine/engine.ts';
import { compliance, COMPLIANCE_RULES, liabilityByKommun } from '../engine/reports.ts';
import { PATHWAY_IDS, type PathwayId } from '../machines/events.ts';
import { databaseBytes, demoToken, openEngine, round, startChildServer, tempDir, timeIt, WARD } from './lib.ts';
import { simulateRegion } from './region.ts';

export interface ScaleOptions {
  sizes: number[];
  /** Cases arriving in the seed's six weeks (≈ 17,000 a year at the default 2,000). */
  seedCases: number;
  /** Start a server on each size for its memory after GC. */
  serverMemory: boolean;
  log?: (line: string) => void;
}

export const SCALE_NOW = '2026-11-16T09:00:00.000Z';

export interface QueryTiming { medianMs: number; minMs: number; maxMs: number; runs: number; size: number }

export interface ScaleSize {
  cases: number;
  growSeconds: number;
  databaseBytes: number;
  serverRssBytes: number | null;
  serverHeapBytes: number | null;
  queries: Record<string, QueryTiming>;
}

export interface ScaleResult {
  options: Omit<ScaleOptions, 'log'>;
  now: string;
  seed: { cases: number; active: number; closed: number; events: number; seconds: number; periodDays: number; copiedTables: string[]; caseWith200Events: string; positionsVerified: boolean };
  queries: Record<string, { label: string; call: string; who: string }>;
  sizes: ScaleSize[];
}

const user = (id: string): Principal => DEMO_USERS.find((u) => u.id === id)!;
const SARA = user('demo-sara');
const OLIVIA = user('demo-olivia');
const PETRA = user('demo-petra');
const STH = PATHWAY_IDS.filter((p) => p.startsWith('sth'));

export const QUERIES: ScaleResult['queries'] = {
  positions: { label: 'live positions', call: "engine.positions('sth-gul')", who: 'designer map' },
  dueDeadlines: { label: 'due-deadline scan', call: 'store.dueDeadlines(now)', who: 'scheduler, every second' },
  caseView200: { label: 'case view, 200 events', call: 'engine.view(id) on a fresh engine (load log, restore, derive)', who: 'inspector' },
  listStaff: { label: 'case list, staff', call: "engine.list({ status: 'active', limit: 25, visibleTo: ward 61's keys })", who: 'demo-sara (ward)' },
  listStaffOverdue: { label: 'case list, staff, overdue', call: 'engine.list({ overdue: true, limit: 25, visibleTo: Vårdcentralen Solna\'s keys })', who: 'demo-olivia (öppenvård)' },
  listOwnerState: { label: 'case list, owner, one state', call: "engine.list({ pathway: 'sth-gul', state: 'slutenvard.vardtid', status: 'active', limit: 25, visibleTo: region sth })", who: 'demo-petra (process owner)' },
  listOwnerOverdue: { label: 'case list, owner, overdue', call: 'engine.list({ overdue: true, limit: 25, visibleTo: region sth })', who: 'demo-petra (process owner)' },
  worklist: { label: 'worklist', call: 'engine.worklist(principal)', who: 'demo-olivia (öppenvård)' },
  reportLiability: { label: 'report, payment liability', call: 'liabilityByKommun(store.liabilityRows(last 12 months, sth))', who: 'demo-petra (process owner)' },
  reportCompliance: { label: 'report, deadline compliance', call: 'compliance(store.complianceRows(last 12 months, sth, C-1 … V-1))', who: 'demo-petra (process owner)' },
};

/** A Solna case at ward 61 with 200 events (consent, notice, then repeated updates and acknowledgements). */
function caseWith200Events(engine: CaseEngine, clock: ManualClock): string {
  const start = Date.parse(SCALE_NOW) - 30 * 86_400_000;
  const at = (i: number) => new Date(start + i * 3 * 3_600_000).toISOString();
  const created = engine.create({ pathway: 'sth-gul', patient: { personnummer: '19400107-9120', name: 'Tvåhundra Händelser', address: 'Testgatan 2' }, kommun: 'Solna', admittedAt: at(0) }, { ward: WARD });
  if (!created.ok) throw new Error('case with 200 events: create');
  const id = created.view.id;
  const cycle = [
    (i: number) => ({ type: 'SET_EXPECTED_DISCHARGE', date: localDateOf(at(i + 40)) }),
    () => ({ type: 'CONFIRM', item: 'written_information' }),
    () => ({ type: 'ACKNOWLEDGE', party: 'socialtjanst', of: 'ADMISSION_NOTICE' }),
    () => ({ type: 'SEND_STATUS', party: 'socialtjanst', phase: 'admission' }),
  ];
  const send = (event: Record<string, unknown>) => {
    const result = engine.send(id, event);
    if (!result.ok) throw new Error(`case with 200 events: ${JSON.stringify(result).slice(0, 300)}`);
  };
  send({ type: 'RECORD_CONSENT', given: true, at: at(1) });
  send({ type: 'SEND_ADMISSION_NOTICE', at: at(2) });
  for (let i = 3; i <= 200; i += 1) send({ ...cycle[i % cycle.length]!(i), at: at(i) });
  clock.set(SCALE_NOW);
  return id;
}

export const SEED_DAYS = 42;

function seed(dbPath: string, count: number): Omit<ScaleResult['seed'], 'copiedTables' | 'positionsVerified'> {
  const started = performance.now();
  const from = new Date(Date.parse(SCALE_NOW) - SEED_DAYS * 86_400_000).toISOString();
  const clock = new ManualClock(from);
  const engine = openEngine(dbPath, clock);
  const run = simulateRegion(engine, clock, { cases: Math.max(1, count - 1), start: from, days: SEED_DAYS, until: SCALE_NOW, seed: 42 });
  clock.set(new Date(Date.parse(SCALE_NOW) - 30 * 86_400_000).toISOString());
  const big = caseWith200Events(engine, clock);
  engine.tick();
  const counts = engine.store.db.prepare("SELECT SUM(status = 'active') AS active, SUM(status = 'closed') AS closed, COUNT(*) AS n FROM cases").get() as { active: number; closed: number; n: number };
  engine.store.close();
  return { cases: counts.n, active: counts.active, closed: counts.closed, events: run.events + 200, seconds: round((performance.now() - started) / 1000, 1), periodDays: SEED_DAYS, caseWith200Events: big };
}

const INSTANT_COLUMNS: Record<string, string[]> = {
  cases: ['admitted_at', 'created_at', 'updated_at'],
  events: ['at', 'recorded_at'],
  deadlines: ['due', 'met_at', 'cancelled_at', 'overdue_noted_at'],
};
const DATE_COLUMNS: Record<string, string[]> = { case_liability: ['day_zero', 'ended_on'] };

/** The SQL expression for a column of copy @k: new id, times @days earlier. */
function copyExpression(table: string, column: string): string {
  const newId = (col: string) => `printf('%08x', @k) || substr(${col}, 9)`;
  const instant = (expr: string) => `strftime('%Y-%m-%dT%H:%M:%fZ', ${expr}, '-' || @days || ' days')`;
  if (table === 'cases' && column === 'id') return newId('id');
  if (table === 'cases' && column === 'info') return `json_set(info, '$.id', ${newId('id')}, '$.admittedAt', ${instant("json_extract(info, '$.admittedAt')")})`;
  if (column === 'case_id') return newId('case_id');
  if (INSTANT_COLUMNS[table]?.includes(column)) return `CASE WHEN ${column} IS NULL THEN NULL ELSE ${instant(column)} END`;
  if (DATE_COLUMNS[table]?.includes(column)) return `CASE WHEN ${column} IS NULL THEN NULL ELSE date(${column}, '-' || @days || ' days') END`;
  return column;
}

/** Tables with a row per case (or several): every table with a `case_id` column but the access log. */
function perCaseTables(db: Database.Database): string[] {
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map((r) => r.name);
  return tables.filter((t) => t !== 'access_log_cases' && (db.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[]).some((c) => c.name === 'case_id'));
}

/** Grows the database from `from` to `to` cases with copies of the seed's closed cases (index (k - 1) · H + r). */
function grow(db: Database.Database, tables: string[], seedCases: number, historySize: number, from: number, to: number): void {
  const statements = ['cases', ...tables].map((table) => {
    const columns = (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
    const key = table === 'cases' ? 'id' : 'case_id';
    return db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) SELECT ${columns.map((c) => copyExpression(table, c)).join(', ')}
      FROM ${table} WHERE ${key} IN (SELECT id FROM bench_seed WHERE r BETWEEN @rmin AND @rmax)`);
  });
  const first = from - seedCases;
  const last = to - seedCases - 1;
  for (let k = 1 + Math.floor(first / historySize); k <= 1 + Math.floor(last / historySize); k += 1) {
    const rmin = Math.max(0, first - (k - 1) * historySize);
    const rmax = Math.min(historySize - 1, last - (k - 1) * historySize);
    if (rmin > rmax) continue;
    db.transaction(() => statements.forEach((s) => s.run({ k, rmin, rmax, days: k * SEED_DAYS })))();
  }
}

function measure(dbPath: string, big: string): Record<string, QueryTiming> {
  const clock = new ManualClock(SCALE_NOW);
  const engine = openEngine(dbPath, clock);
  const { store } = engine;
  const now = SCALE_NOW;
  const today = localDateOf(now);
  const from = addMonths(`${today.slice(0, 7)}-01`, -11);
  const toExclusive = addDays(today, 1);
  const page = { limit: 25, offset: 0 };
  const owner = { keys: principalKeys(PETRA), pathways: STH as readonly string[] };
  const runs: Record<string, () => unknown> = {
    positions: () => engine.positions('sth-gul' as PathwayId),
    dueDeadlines: () => store.dueDeadlines(now),
    caseView200: () => {
      const fresh = new CaseEngine(store, engine.registry, clock, { cacheSize: 10 });
      const view = fresh.view(big);
      if (!view || view.history.length < 200) throw new Error(`case view: ${view?.history.length} events`);
      return view;
    },
    listStaff: () => engine.list({ status: 'active', ...page, visibleTo: { keys: principalKeys(SARA), pathways: [] } }),
    listStaffOverdue: () => engine.list({ overdue: true, ...page, visibleTo: { keys: principalKeys(OLIVIA), pathways: [] } }),
    listOwnerState: () => engine.list({ pathway: 'sth-gul', state: 'slutenvard.vardtid', status: 'active', ...page, visibleTo: owner }),
    listOwnerOverdue: () => engine.list({ overdue: true, ...page, visibleTo: owner }),
    worklist: () => engine.worklist(OLIVIA),
    reportLiability: () => liabilityByKommun(store.liabilityRows({ from, to: toExclusive, pathways: STH })),
    reportCompliance: () => compliance(store.complianceRows({ from: startOfLocalDay(from), to: startOfLocalDay(toExclusive), pathways: STH, rules: COMPLIANCE_RULES }), now),
  };
  const sizeOf = (value: unknown): number => {
    if (Array.isArray(value)) return value.length;
    if (value && typeof value === 'object') {
      const v = value as { total?: number; states?: unknown[]; history?: unknown[] };
      return v.total ?? v.states?.length ?? v.history?.length ?? 1;
    }
    return 0;
  };
  const out: Record<string, QueryTiming> = {};
  for (const [name, fn] of Object.entries(runs)) {
    // The first call warms the page cache; one that takes over a second is the measurement itself.
    const t = performance.now();
    const result = fn();
    const first = performance.now() - t;
    const timing = first > 1000 ? { medianMs: round(first, 3), minMs: round(first, 3), maxMs: round(first, 3), runs: 1 } : timeIt(fn, { runs: 9, minRuns: 3, budgetMs: 3000, warmup: false });
    out[name] = { ...timing, size: sizeOf(result) };
  }
  store.close();
  return out;
}

async function serverMemory(dbPath: string): Promise<{ rss: number; heap: number }> {
  const server = await startChildServer(dbPath, { clock: SCALE_NOW });
  try {
    const get = async (userId: string, path: string) => {
      const token = await demoToken(server.url, userId);
      const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`${path}: ${res.status}`);
    };
    // What a working day touches: the map, lists, a worklist, a report.
    await get('demo-sara', '/api/positions?pathway=sth-gul');
    await get('demo-sara', '/api/cases?status=active');
    await get('demo-olivia', '/api/worklist');
    await get('demo-petra', '/api/cases?pathway=sth-gul&state=slutenvard.vardtid&status=active');
    await get('demo-petra', '/api/reports/liability');
    const memory = await server.memory();
    return { rss: memory.rssBytes, heap: memory.heapUsedBytes };
  } finally {
    await server.close();
  }
}

export async function runScale(options: ScaleOptions): Promise<ScaleResult> {
  const log = options.log ?? (() => {});
  const dir = tempDir('scale');
  const dbPath = join(dir.path, 'scale.db');
  try {
    const seeded = seed(dbPath, options.seedCases);
    log(`  seed: ${seeded.cases} cases (${seeded.active} under way, ${seeded.closed} closed), ${seeded.events} events through the engine in ${seeded.seconds} s`);
    const sizes: ScaleSize[] = [];
    let current = seeded.cases;
    let tables: string[] = [];
    let positionsVerified = true;
    for (const target of [...options.sizes].sort((a, b) => a - b)) {
      const started = performance.now();
      const db = new Database(dbPath);
      db.pragma('journal_mode = DELETE');
      db.pragma('synchronous = OFF');
      db.pragma('cache_size = -262144');
      db.exec('CREATE TABLE IF NOT EXISTS bench_seed (id TEXT PRIMARY KEY, r INTEGER NOT NULL) WITHOUT ROWID');
      if ((db.prepare('SELECT COUNT(*) AS n FROM bench_seed').get() as { n: number }).n === 0) {
        db.exec("INSERT INTO bench_seed (id, r) SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 FROM cases WHERE status = 'closed'");
      }
      tables = perCaseTables(db);
      if (target > current && seeded.closed > 0) grow(db, tables, seeded.cases, seeded.closed, current, target);
      current = (db.prepare('SELECT COUNT(*) AS n FROM cases').get() as { n: number }).n;
      db.pragma('journal_mode = WAL');
      db.close();
      const growSeconds = round((performance.now() - started) / 1000, 1);
      {
        const engine = openEngine(dbPath, new ManualClock(SCALE_NOW));
        positionsVerified &&= PATHWAY_IDS.every((p) => JSON.stringify(engine.store.positions(p)) === JSON.stringify(engine.store.positionsByScan(p)));
        engine.store.close();
      }
      const queries = measure(dbPath, seeded.caseWith200Events);
      const memory = options.serverMemory ? await serverMemory(dbPath) : null;
      const size: ScaleSize = { cases: current, growSeconds, databaseBytes: databaseBytes(dbPath), serverRssBytes: memory?.rss ?? null, serverHeapBytes: memory?.heap ?? null, queries };
      sizes.push(size);
      log(`  ${current} cases (grown in ${growSeconds} s, ${Math.round(size.databaseBytes / 2 ** 20)} MiB${memory ? `, server RSS ${Math.round(memory.rss / 2 ** 20)} MiB` : ''}): ${Object.entries(queries).map(([k, q]) => `${k} ${q.medianMs} ms`).join(', ')}`);
    }
    return {
      options: { sizes: options.sizes, seedCases: options.seedCases, serverMemory: options.serverMemory }, now: SCALE_NOW,
      seed: { ...seeded, copiedTables: ['cases', ...tables], positionsVerified },
      queries: QUERIES, sizes,
    };
  } finally {
    dir.remove();
  }
}
