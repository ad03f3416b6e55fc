/**
 * Shared pieces of `npm run bench`: the machine, knobs, statistics, the fixed sth-gul run every
 * throughput method performs, who sends each of its events over HTTP, and a server in a child
 * process (the real `startServer`, with an IPC channel for memory after GC).
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { eventAuthority, UNIT_PARTIES, type UnitParty } from '../engine/access.ts';
import { CaseEngine, type Clock, type EngineOptions } from '../engine/engine.ts';
import { Store } from '../engine/store.ts';
import { VersionedRegistry } from '../engine/versions.ts';
import { PATHWAYS } from '../machines/pathways.ts';

export const ROOT = join(import.meta.dirname, '..');

export interface MachineInfo {
  cpus: number;
  model: string;
  memoryGiB: number;
  node: string;
  platform: string;
  arch: string;
  date: string;
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpus: list.length,
    model: list[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    date: new Date().toISOString(),
  };
}

export function knob(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name}=${raw}: expected a non-negative number`);
  return value;
}

export function knobList(name: string, fallback: number[], env: NodeJS.ProcessEnv = process.env): number[] {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  return raw.split(',').map((s) => Number(s.trim().replace(/_/g, ''))).filter((n) => Number.isFinite(n) && n > 0);
}

export function median(xs: number[]): number {
  return percentile(xs, 50);
}

/** Nearest-rank percentile. */
export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export const round = (x: number, digits = 1) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/** A temporary directory, removed afterwards unless BENCH_KEEP=1 (to look at the databases). */
export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `samverkan-bench-${prefix}-`));
  return {
    path,
    remove: () => {
      if (process.env.BENCH_KEEP === '1') console.log(`  kept ${path}`);
      else rmSync(path, { recursive: true, force: true });
    },
  };
}

/** Bytes of a SQLite database with its WAL. */
export function databaseBytes(path: string): number {
  let total = 0;
  for (const file of [path, `${path}-wal`]) if (existsSync(file)) total += statSync(file).size;
  return total;
}

export function forceGc(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return false;
  gc();
  gc();
  return true;
}

/** Times `fn` `runs` times after one warm-up; stops early once `budgetMs` is spent (at least `minRuns`). */
export function timeIt(fn: () => unknown, options: { runs?: number; minRuns?: number; budgetMs?: number; warmup?: boolean } = {}): { medianMs: number; minMs: number; maxMs: number; runs: number } {
  const runs = options.runs ?? 7;
  const minRuns = options.minRuns ?? 3;
  const budget = options.budgetMs ?? 4000;
  if (options.warmup ?? true) fn();
  const samples: number[] = [];
  const started = performance.now();
  for (let i = 0; i < runs; i += 1) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
    if (samples.length >= minRuns && performance.now() - started > budget) break;
  }
  return { medianMs: round(median(samples), 3), minMs: round(Math.min(...samples), 3), maxMs: round(Math.max(...samples), 3), runs: samples.length };
}

/** An engine as the server builds it: the store, the pathway versions it holds, the clock. */
export function openEngine(path: string, clock: Clock, options: EngineOptions = {}): CaseEngine {
  const store = new Store(path);
  return new CaseEngine(store, new VersionedRegistry(store, clock.now()), clock, options);
}

// ---------------------------------------------------------------------------------------------
// The fixed realistic run: one sth-gul case from admission to CLOSE (the run of
// test/support/httpKit.ts's gulPlan), with explicit instants so every method does the same steps.

export const GUL_BODY = { pathway: 'sth-gul', patient: { personnummer: '19400107-9120', name: 'Bench Testsson', address: 'Testgatan 1, 171 64 Solna' }, kommun: 'Solna' } as const;
/** Södersjukhuset's ward 61 admits; Solna's units are the other parties (the demo directory). */
export const WARD = 'sth-sos-avd61';
export const GUL_ADMITTED_AT = '2026-03-02T08:00:00.000Z';

/** The 19 events of a complete sth-gul case, `at` spread over its eight days. */
export function gulRun(admittedAt = GUL_ADMITTED_AT): Record<string, unknown>[] {
  const t0 = Date.parse(admittedAt);
  const hours = (h: number) => new Date(t0 + h * 3_600_000).toISOString();
  const steps: [number, Record<string, unknown>][] = [
    [1, { type: 'RECORD_CONSENT', given: true }],
    [2, { type: 'ASSESS_NEEDS', kommun: true, oppenvard: true }],
    [3, { type: 'SEND_ADMISSION_NOTICE' }],
    [6, { type: 'ACKNOWLEDGE', party: 'socialtjanst', of: 'ADMISSION_NOTICE' }],
    [7, { type: 'ACKNOWLEDGE', party: 'kommunal_hsl', of: 'ADMISSION_NOTICE' }],
    [9, { type: 'APPOINT_CARE_CONTACT', name: 'Vera Vårdkontakt', phone: '08-123 45 67', profession: 'sjuksköterska', licensedPhysician: false }],
    [26, { type: 'SET_EXPECTED_DISCHARGE', date: hours(120).slice(0, 10) }],
    [27, { type: 'SEND_STATUS', party: 'socialtjanst', phase: 'admission' }],
    [29, { type: 'CALL_SIP', meetingAt: hours(168) }],
    [31, { type: 'ACKNOWLEDGE', party: 'socialtjanst', of: 'SIP_CALL' }],
    [50, { type: 'CONFIRM', item: 'written_information' }],
    [52, { type: 'CONFIRM', item: 'information_transferred' }],
    [74, { type: 'CONFIRM', item: 'aids_available' }],
    [75, { type: 'DECLARE_READY' }],
    [78, { type: 'ACKNOWLEDGE', party: 'socialtjanst', of: 'READY' }],
    [98, { type: 'DISCHARGE' }],
    [122, { type: 'FOLLOW_UP_CONTACT' }],
    [170, { type: 'ESTABLISH_SIP', followUpAt: hours(900) }],
    [171, { type: 'CLOSE', reason: 'Processen avslutad' }],
  ];
  return steps.map(([h, event]) => ({ ...event, at: hours(h) }));
}

/** The demo user who sends each party's moves in Solna (demo directory). */
export const DEMO_SENDER: Record<UnitParty, string> = {
  slutenvard: 'demo-sara', oppenvard: 'demo-olivia', kommunal_hsl: 'demo-hanna', socialtjanst: 'demo-bosse',
};

/** Whose move an event of sth-gul is (`eventAuthority`); the ward records the individual's own moves. */
export function actingParty(event: Record<string, unknown>, pathway: keyof typeof PATHWAYS = 'sth-gul'): UnitParty {
  const authority = eventAuthority(PATHWAYS[pathway], event as { type: string });
  const party = authority?.parties.find((p): p is UnitParty => (UNIT_PARTIES as readonly string[]).includes(p));
  return authority && !authority.anyParty && party ? party : 'slutenvard';
}

// ---------------------------------------------------------------------------------------------
// The server in a child process

export interface ChildServer {
  url: string;
  child: ChildProcess;
  /** RSS and heap of the server after two forced collections. */
  memory(): Promise<{ rssBytes: number; heapUsedBytes: number }>;
  close(): Promise<void>;
}

/**
 * `bench/server.ts` in its own Node process: the real `startServer` in demo identity mode, rate
 * limit off, on `dbPath`; `clock` pins a manual clock (scale databases live at a fixed instant).
 */
export async function startChildServer(dbPath: string, options: { clock?: string; timeoutMs?: number; nodeArgs?: string[] } = {}): Promise<ChildServer> {
  // BENCH_SERVER_NODE_ARGS adds Node flags to the server process (e.g. --cpu-prof to profile it).
  const extra = options.nodeArgs ?? (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, ['--expose-gc', ...extra, '--import', 'tsx', join(ROOT, 'bench', 'server.ts')], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: {
      ...process.env, SAMVERKAN_DB: dbPath, SAMVERKAN_DEMO: '0', SAMVERKAN_AUTH: 'demo', SAMVERKAN_RATE_LIMIT: '0', LOG_LEVEL: 'silent',
      ...(options.clock ? { BENCH_CLOCK: options.clock } : {}),
    },
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-4000); });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`bench server did not start: ${stderr}`)), options.timeoutMs ?? 120_000);
    child.on('message', (message: { url?: string }) => {
      if (message.url) {
        clearTimeout(timer);
        done(message.url);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      fail(new Error(`bench server exited: ${stderr}`));
    });
  });
  return {
    url,
    child,
    memory: () => new Promise((done) => {
      const listen = (message: { memory?: { rss: number; heapUsed: number } }) => {
        if (!message.memory) return;
        child.off('message', listen);
        done({ rssBytes: message.memory.rss, heapUsedBytes: message.memory.heapUsed });
      };
      child.on('message', listen);
      child.send('memory');
    }),
    close: async () => {
      if (child.exitCode === null) child.send('close');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export async function demoToken(url: string, userId: string): Promise<string> {
  const res = await fetch(`${url}/api/demo/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId }) });
  if (!res.ok) throw new Error(`demo login ${userId}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/** Bearer headers for the four Solna parties. */
export async function partyTokens(url: string): Promise<Record<UnitParty, string>> {
  const out = {} as Record<UnitParty, string>;
  for (const party of UNIT_PARTIES) out[party] = `Bearer ${await demoToken(url, DEMO_SENDER[party])}`;
  return out;
}

/**
 * autocannon's result. Inside a worker thread (vitest's pool) autocannon hands back its raw
 * histograms instead of the aggregate; they are aggregated the same way here.
 */
export async function cannon(options: autocannon.Options): Promise<autocannon.Result> {
  const raw = (await autocannon(options)) as autocannon.Result & { latencies?: unknown };
  if (raw.latency) return raw;
  const { requests: _requests, ...plain } = options;
  return (autocannon as unknown as { aggregateResult(results: unknown[], opts: object): autocannon.Result }).aggregateResult([raw], plain);
}
