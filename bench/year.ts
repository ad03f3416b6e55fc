/**
 * Section 4: a synthetic year of a large region — about 60,000 cases a year over all pathways —
 * replayed through the engine on a manual clock (`simulateRegion`), in global time order, the
 * scheduler stepping every fifteen simulated minutes. Wall time and events per second.
 *
 * The whole year takes longer than `npm run bench` may, so by default the first `days` of it are
 * replayed at the year's rate (the same region, the same mix, the same steady state of cases under
 * way after the first weeks), and the year is extrapolated: its events as those of the span plus
 * the rest of the year at the rate of the span's second half, the rest's wall time at the events
 * per second of that second half. `BENCH_YEAR_DAYS=365` replays all of it.
 */
import { join } from 'node:path';
import { ManualClock } from '../engine/engine.ts';
import { databaseBytes, forceGc, openEngine, round, tempDir } from './lib.ts';
import { simulateRegion, type RegionRun } from './region.ts';

export interface YearOptions {
  casesPerYear: number;
  days: number;
  /** Cases whose stored snapshot is checked against a replay of their log afterwards. */
  verify: number;
  log?: (line: string) => void;
}

export interface YearResult {
  options: Omit<YearOptions, 'log'>;
  start: string;
  run: RegionRun;
  seconds: number;
  eventsPerSecond: number;
  /** Cases created and events applied per second of wall time, creation counted as an event. */
  writesPerSecond: number;
  tickSeconds: number;
  sendSeconds: number;
  createSeconds: number;
  databaseBytes: number;
  heapUsedBytes: number;
  verified: { checked: number; ok: number };
  /** Events per second over the second half of the days replayed (the steady state). */
  steadyEventsPerSecond: number;
  /** The whole year: measured when `days` ≥ 365, else extrapolated at the steady rate. */
  fullYear: { measured: boolean; cases: number; events: number; seconds: number };
}

/** 1 January 2025, 00:00 in Stockholm. */
export const YEAR_START = '2024-12-31T23:00:00.000Z';

export async function runYear(options: YearOptions): Promise<YearResult> {
  const log = options.log ?? (() => {});
  const dir = tempDir('year');
  try {
    const clock = new ManualClock(YEAR_START);
    const engine = openEngine(join(dir.path, 'year.db'), clock);
    const days = Math.min(365, options.days);
    const cases = Math.max(1, Math.round((options.casesPerYear * days) / 365));
    const until = new Date(Date.parse(YEAR_START) + days * 86_400_000).toISOString();
    // The scheduler's, the sends' and the creations' shares, timed inside the replay.
    let tickMs = 0;
    let sendMs = 0;
    let createMs = 0;
    const tick = engine.tick.bind(engine);
    const send = engine.send.bind(engine);
    const create = engine.create.bind(engine);
    engine.tick = () => {
      const t = performance.now();
      const n = tick();
      tickMs += performance.now() - t;
      return n;
    };
    engine.send = (...args) => {
      const t = performance.now();
      const result = send(...args);
      sendMs += performance.now() - t;
      return result;
    };
    engine.create = (...args) => {
      const t = performance.now();
      const result = create(...args);
      createMs += performance.now() - t;
      return result;
    };
    const started = performance.now();
    const run = simulateRegion(engine, clock, { cases, start: YEAR_START, days, until, seed: 2025 });
    const seconds = (performance.now() - started) / 1000;
    forceGc();
    const heapUsedBytes = process.memoryUsage().heapUsed;
    const ids = engine.store.allCaseIds();
    const sample = ids.filter((_, i) => i % Math.max(1, Math.floor(ids.length / Math.max(1, options.verify))) === 0).slice(0, options.verify);
    const ok = sample.filter((id) => engine.verify(id)).length;
    engine.store.db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = databaseBytes(join(dir.path, 'year.db'));
    engine.store.close();
    const eventsPerSecond = run.events / seconds;
    // The rest of the year at the steady rate of the span's second half (the first weeks fill up).
    const tail = Array.from({ length: Math.ceil(days) }, (_, d) => run.eventsByDay[d] ?? 0).slice(Math.floor(days / 2));
    const steadyPerDay = tail.reduce((a, b) => a + b, 0) / Math.max(1, tail.length);
    const fullEvents = days >= 365 ? run.events : Math.round(run.events + steadyPerDay * (365 - days));
    // …and its wall time at the events per second of that second half (the steady state).
    const half = Math.floor(days / 2);
    const tailEvents = run.eventsByDay.slice(half).reduce((a, b) => a + (b ?? 0), 0);
    const tailMs = run.wallMsByDay.slice(half).reduce((a, b) => a + (b ?? 0), 0);
    const steadyPerSecond = tailMs > 0 ? tailEvents / (tailMs / 1000) : eventsPerSecond;
    const result: YearResult = {
      options: { casesPerYear: options.casesPerYear, days, verify: options.verify }, start: YEAR_START, run,
      seconds: round(seconds, 1), eventsPerSecond: round(eventsPerSecond, 0), steadyEventsPerSecond: round(steadyPerSecond, 0), writesPerSecond: round((run.events + run.cases) / seconds, 0),
      tickSeconds: round(tickMs / 1000, 1), sendSeconds: round(sendMs / 1000, 1), createSeconds: round(createMs / 1000, 1), databaseBytes: bytes, heapUsedBytes, verified: { checked: sample.length, ok },
      fullYear: days >= 365
        ? { measured: true, cases: run.cases, events: run.events, seconds: round(seconds, 1) }
        : { measured: false, cases: options.casesPerYear, events: fullEvents, seconds: round(seconds + (fullEvents - run.events) / steadyPerSecond, 0) },
    };
    log(`  ${days} days: ${run.cases} cases, ${run.events} events (${run.closed} closed, ${run.refused} refused) in ${result.seconds} s = ${result.eventsPerSecond} events/s; ticks ${result.tickSeconds} s; the year ${result.fullYear.measured ? 'measured' : 'extrapolated'}: ${result.fullYear.seconds} s`);
    return result;
  } finally {
    dir.remove();
  }
}
