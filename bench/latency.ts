/**
 * Section 2: latency of one event over HTTP at fixed rates (100, 500, 1,000 requests/s).
 *
 * Open loop: request i is due at t0 + i / rate whatever happened before, sent on a keep-alive
 * connection from a pool, and its latency runs from that due time to the answer's last byte — so a
 * stalled server shows as latency instead of as fewer requests (no coordinated omission). The
 * events are the sth-gul run of section 1: each case sends its next event once the previous one is
 * answered (cases queue FIFO), each from the demo user of the party whose move it is. For
 * comparison with earlier figures, autocannon's own fixed-rate mode is run once at 500/s: it lets
 * each connection send its share of the second back to back, then idle.
 */
import type autocannon from 'autocannon';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import type { UnitParty } from '../engine/access.ts';
import { ManualClock, type CaseEngine } from '../engine/engine.ts';
import { actingParty, cannon, GUL_ADMITTED_AT, GUL_BODY, gulRun, openEngine, partyTokens, percentile, round, startChildServer, tempDir, WARD } from './lib.ts';

export interface LatencyOptions {
  rates: number[];
  seconds: number;
  warmupSeconds: number;
  /** Also run autocannon's fixed-rate mode at this rate (0: not). */
  autocannonRate: number;
  log?: (line: string) => void;
}

export interface RateResult {
  rate: number;
  seconds: number;
  sent: number;
  answered: number;
  achievedPerSecond: number;
  non2xx: number;
  errors: number;
  /** Requests that, at their due time, found every case waiting for an answer: they waited in the
   * generator (their latency counts from the due time) until a case was free. */
  queuedInClient: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
}

export interface LatencyResult {
  options: Omit<LatencyOptions, 'log'>;
  rates: RateResult[];
  autocannon: { rate: number; connections: number; seconds: number; requests: number; non2xx: number; latencyMs: { p50: number; p90: number; p99: number; max: number } } | null;
}

const STEPS = gulRun();
const BODIES = STEPS.map((e) => JSON.stringify(e));

interface Cursor { id: string; step: number }

function createCases(engine: CaseEngine, n: number): string[] {
  const ids: string[] = [];
  engine.store.transaction(() => {
    for (let i = 0; i < n; i += 1) {
      const created = engine.create({ ...GUL_BODY, admittedAt: GUL_ADMITTED_AT }, { ward: WARD });
      if (!created.ok) throw new Error('create');
      ids.push(created.view.id);
    }
  });
  return ids;
}

async function openLoop(url: string, tokens: Record<UnitParty, string>, ids: string[], rate: number, seconds: number): Promise<Omit<RateResult, 'rate'>> {
  const { hostname, port } = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const senders = STEPS.map((e) => tokens[actingParty(e) as UnitParty]);
  const ready: Cursor[] = ids.map((id) => ({ id, step: 0 }));
  const latencies: number[] = [];
  let sent = 0;
  let non2xx = 0;
  let errors = 0;
  let queuedInClient = 0;
  let pending = 0;
  const backlog: number[] = [];
  const total = Math.round(rate * seconds);
  const send = (cursor: Cursor, due: number) => {
    pending += 1;
    sent += 1;
    const body = BODIES[cursor.step]!;
    const req = request({
      agent, hostname, port, method: 'POST', path: `/api/cases/${cursor.id}/events`,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: senders[cursor.step]! },
    }, (res) => {
      res.resume();
      res.on('end', () => {
        pending -= 1;
        latencies.push(performance.now() - due);
        if ((res.statusCode ?? 0) >= 300) non2xx += 1;
        else if (cursor.step + 1 < STEPS.length) {
          const next = { id: cursor.id, step: cursor.step + 1 };
          const waiting = backlog.shift();
          if (waiting === undefined) ready.push(next);
          else send(next, waiting);
        }
      });
    });
    req.on('error', () => {
      pending -= 1;
      errors += 1;
    });
    req.end(body);
  };
  const t0 = performance.now() + 20;
  let i = 0;
  await new Promise<void>((done) => {
    const pump = () => {
      const now = performance.now();
      while (i < total && t0 + (i * 1000) / rate <= now) {
        const due = t0 + (i * 1000) / rate;
        const cursor = ready.shift();
        if (cursor) send(cursor, due);
        else {
          queuedInClient += 1;
          backlog.push(due);
        }
        i += 1;
      }
      if (i < total) {
        setTimeout(pump, Math.max(0, Math.min(1, t0 + (i * 1000) / rate - performance.now())));
        return;
      }
      const drain = () => (pending === 0 && backlog.length === 0 ? done() : setTimeout(drain, 5));
      drain();
    };
    setTimeout(pump, 20);
  });
  const elapsed = (performance.now() - t0) / 1000;
  agent.destroy();
  return {
    seconds, sent, answered: latencies.length, achievedPerSecond: round(latencies.length / elapsed, 0), non2xx, errors, queuedInClient,
    latencyMs: { p50: round(percentile(latencies, 50), 2), p90: round(percentile(latencies, 90), 2), p99: round(percentile(latencies, 99), 2), max: round(Math.max(...latencies), 2) },
  };
}

async function closedLoop(url: string, tokens: Record<UnitParty, string>, ids: string[], rate: number, seconds: number) {
  const senders = STEPS.map((e) => tokens[actingParty(e) as UnitParty]);
  let next = 0;
  const n = ids.length;
  const result = await cannon({
    url, connections: 8, overallRate: rate, duration: seconds,
    requests: [{
      method: 'POST',
      setupRequest: (req: autocannon.Request) => {
        const i = next++;
        const k = Math.floor(i / n) % STEPS.length;
        return { ...req, path: `/api/cases/${ids[i % n]}/events`, headers: { 'content-type': 'application/json', authorization: senders[k]! }, body: BODIES[k]! };
      },
    }],
  });
  return { rate, connections: 8, seconds, requests: result.requests.total, non2xx: result.non2xx, latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max } };
}

export async function runLatency(options: LatencyOptions): Promise<LatencyResult> {
  const log = options.log ?? (() => {});
  const dir = tempDir('latency');
  const dbPath = join(dir.path, 'latency.db');
  try {
    // Enough cases that none runs out of steps: each case takes 19 events.
    const casesFor = (rate: number, seconds: number) => Math.ceil((rate * seconds * 1.25) / STEPS.length) + 16;
    const engine = openEngine(dbPath, new ManualClock(GUL_ADMITTED_AT));
    const sets = options.rates.map((rate) => ({ rate, warm: createCases(engine, casesFor(rate, options.warmupSeconds)), measured: createCases(engine, casesFor(rate, options.seconds)) }));
    const closedIds = options.autocannonRate > 0 ? createCases(engine, casesFor(options.autocannonRate, options.seconds + options.warmupSeconds)) : [];
    engine.store.close();
    const server = await startChildServer(dbPath);
    try {
      const tokens = await partyTokens(server.url);
      const rates: RateResult[] = [];
      for (const set of sets) {
        if (options.warmupSeconds > 0) await openLoop(server.url, tokens, set.warm, set.rate, options.warmupSeconds);
        const result = { rate: set.rate, ...(await openLoop(server.url, tokens, set.measured, set.rate, options.seconds)) };
        log(`  ${set.rate}/s: p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, max ${result.latencyMs.max} ms, answered ${result.achievedPerSecond}/s, non-2xx ${result.non2xx}, queued in client ${result.queuedInClient}`);
        rates.push(result);
      }
      let closed: LatencyResult['autocannon'] = null;
      if (options.autocannonRate > 0) {
        closed = await closedLoop(server.url, tokens, closedIds, options.autocannonRate, options.seconds + options.warmupSeconds);
        log(`  autocannon at ${closed.rate}/s (8 connections): p50 ${closed.latencyMs.p50} ms, p99 ${closed.latencyMs.p99} ms`);
      }
      return { options: { rates: options.rates, seconds: options.seconds, warmupSeconds: options.warmupSeconds, autocannonRate: options.autocannonRate }, rates, autocannon: closed };
    } finally {
      await server.close();
    }
  } finally {
    dir.remove();
  }
}
