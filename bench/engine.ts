/**
 * `npm run bench:engine`: durable events per second in-process and over HTTP, beside the raw
 * ceiling of better-sqlite3 writing the same rows in the same run; HTTP latency at a fixed rate;
 * memory while the number of stored cases grows. Results go to bench/results-engine.json.
 *
 * Options (env): BENCH_EVENTS (in-process events, default 20000), BENCH_RATE (HTTP requests/s,
 * default 500), BENCH_SECONDS (HTTP duration, default 10), BENCH_CASES (memory run, default 100000).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { shippedPathways } from '../engine/cases.ts';
import { CaseEngine, ManualClock } from '../engine/engine.ts';
import { Store } from '../engine/store.ts';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const RATE = Number(process.env.BENCH_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CASES = Number(process.env.BENCH_CASES ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'samverkan-bench-'));
const patient = { personnummer: '19400107-9120', name: 'Bench Testsson', address: 'Testgatan 1' };
const admittedAt = '2026-03-02T08:00:00+01:00';

/** Events a case accepts over and over once its notice is sent: realistic writes, unbounded. */
const cycle = [
  { type: 'SET_EXPECTED_DISCHARGE', date: '2026-03-10' },
  { type: 'CONFIRM', item: 'written_information' },
  { type: 'ACKNOWLEDGE', party: 'socialtjanst', of: 'ADMISSION_NOTICE' },
  { type: 'SET_EXPECTED_DISCHARGE', date: '2026-03-11' },
];

/** The demo ward (Södersjukhuset) admits the cases; its nurse and Solna's socialtjänst send over HTTP. */
const WARD = 'sth-sos-avd61';

async function demoToken(port: number, userId: string): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/api/demo/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId }) });
  return ((await res.json()) as { token: string }).token;
}

function engineOn(path: string): CaseEngine {
  return new CaseEngine(new Store(path), shippedPathways, new ManualClock('2026-03-02T09:00:00.000Z'), { cacheSize: 5000 });
}

function openCases(engine: CaseEngine, n: number): string[] {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 1) {
    const created = engine.create({ pathway: 'sth-gul', patient, kommun: 'Solna', admittedAt }, { ward: WARD });
    if (!created.ok) throw new Error('create');
    const sent = engine.send(created.view.id, { type: 'SEND_ADMISSION_NOTICE', at: '2026-03-02T09:00:00+01:00' });
    if (!sent.ok) throw new Error('notice');
    ids.push(created.view.id);
  }
  return ids;
}

/** The raw ceiling: the same rows the engine writes per event (incl. two position counters), as plain prepared statements. */
function rawCeiling(n: number): number {
  const store = new Store(join(dir, 'raw.db'));
  const ids = openCases(new CaseEngine(store, shippedPathways, new ManualClock('2026-03-02T09:00:00.000Z')), 200);
  const db = store.db;
  const snapshot = (db.prepare('SELECT snapshot FROM cases LIMIT 1').get() as { snapshot: string }).snapshot;
  const update = db.prepare('UPDATE cases SET snapshot = ?, state = ?, phase = ?, status = ?, version = version + 1, updated_at = ? WHERE id = ?');
  const insert = db.prepare('INSERT INTO events (case_id, seq, type, payload, at, by, pathway, idempotency_key, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)');
  const delDeadlines = db.prepare('DELETE FROM deadlines WHERE case_id = ?');
  const insDeadline = db.prepare('INSERT INTO deadlines (case_id, id, rule, party, due, met_at, cancelled_at, overdue_noted_at) VALUES (?, ?, ?, ?, ?, NULL, NULL, NULL)');
  const delStates = db.prepare('DELETE FROM case_states WHERE case_id = ?');
  const insState = db.prepare('INSERT INTO case_states (case_id, pathway, state, party) VALUES (?, ?, ?, ?)');
  const delTodo = db.prepare('DELETE FROM case_todo WHERE case_id = ?');
  const insTodo = db.prepare('INSERT INTO case_todo (case_id, party) VALUES (?, ?)');
  const bump = db.prepare(`INSERT INTO position_counts (pathway, state, active, overdue) VALUES (?, ?, ?, ?)
    ON CONFLICT (pathway, state) DO UPDATE SET active = active + excluded.active, overdue = overdue + excluded.overdue`);
  const seqs = new Map(ids.map((id) => [id, 1]));
  const start = performance.now();
  for (let i = 0; i < n; i += 1) {
    const id = ids[i % ids.length]!;
    const seq = seqs.get(id)! + 1;
    seqs.set(id, seq);
    db.transaction(() => {
      update.run(snapshot, '{}', 'vardtid', 'active', '2026-03-02T09:00:00.000Z', id);
      insert.run(id, seq, 'CONFIRM', '{"item":"written_information"}', '2026-03-02T09:00:00.000Z', 'slutenvard', 'sth-gul', '2026-03-02T09:00:00.000Z');
      delDeadlines.run(id);
      for (const d of ['C-1', 'C-2:oppenvard', 'C-2:kommunal_hsl', 'C-2:socialtjanst', 'C-3']) insDeadline.run(id, d, d.slice(0, 3), 'oppenvard', '2026-03-03T09:00:00.000Z');
      delStates.run(id);
      for (const s of ['slutenvard.vardtid', 'oppenvard.vardkontakt.attKvittera', 'oppenvard.sip.ejKallad', 'kommunal_hsl.attKvittera', 'socialtjanst.attKvittera', 'individ.okant']) insState.run(id, 'sth-gul', s, s.split('.')[0]);
      delTodo.run(id);
      for (const p of ['oppenvard', 'kommunal_hsl', 'socialtjanst']) insTodo.run(id, p);
      bump.run('sth-gul', 'socialtjanst.attKvittera', -1, 0);
      bump.run('sth-gul', 'socialtjanst.planerar', 1, 0);
    }).immediate();
  }
  const perSecond = n / ((performance.now() - start) / 1000);
  store.close();
  return perSecond;
}

function inProcess(n: number): number {
  const engine = engineOn(join(dir, 'engine.db'));
  const ids = openCases(engine, 200);
  const start = performance.now();
  for (let i = 0; i < n; i += 1) {
    const result = engine.send(ids[i % ids.length]!, cycle[Math.floor(i / ids.length) % cycle.length]!);
    if (!result.ok) throw new Error(JSON.stringify(result));
  }
  const perSecond = n / ((performance.now() - start) / 1000);
  engine.store.close();
  return perSecond;
}

async function startChild(dbPath: string, port: number): Promise<ChildProcess> {
  const root = join(import.meta.dirname, '..');
  const child = spawn(process.execPath, [join(root, 'bin', 'samverkan.mjs'), 'serve'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    cwd: root,
    // Demo identity (the default without a configured key); no rate limit for a load test.
    env: { ...process.env, PORT: String(port), SAMVERKAN_DB: dbPath, SAMVERKAN_DEMO: '0', LOG_LEVEL: 'silent', SAMVERKAN_AUTH: 'demo', SAMVERKAN_RATE_LIMIT: '0' },
  });
  for (let i = 0; i < 100; i += 1) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return child;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start');
}

async function overHttp(rate: number, seconds: number) {
  const dbPath = join(dir, `http-${rate}.db`);
  const prepared = engineOn(dbPath);
  const ids = openCases(prepared, 500);
  prepared.store.close();
  const port = 3900 + Math.floor(Math.random() * 500);
  const child = await startChild(dbPath, port);
  const ward = `Bearer ${await demoToken(port, 'demo-sara')}`;
  const socialtjanst = `Bearer ${await demoToken(port, 'demo-bosse')}`;
  let i = 0;
  const load = (duration: number) => autocannon({
    url: `http://127.0.0.1:${port}`,
    // A fixed rate spread over 8 keep-alive connections; with many more, autocannon sends each
    // connection's share in bursts and measures its own queueing.
    connections: 8,
    overallRate: rate,
    duration,
    requests: [{
      method: 'POST',
      setupRequest: (req: autocannon.Request) => {
        i += 1;
        const event = cycle[Math.floor(i / ids.length) % cycle.length]!;
        const authorization = event.type === 'ACKNOWLEDGE' ? socialtjanst : ward;
        return { ...req, path: `/api/cases/${ids[i % ids.length]}/events`, headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify(event) };
      },
    }],
  });
  await load(3); // warm-up: JIT and page cache, not measured
  const result = await load(seconds);
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return {
    rate,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    perSecond: result.requests.average,
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
  };
}

function memory(n: number) {
  const engine = engineOn(join(dir, 'memory.db'));
  const samples: { cases: number; heapMb: number; rssMb: number }[] = [];
  const step = Math.max(1, Math.floor(n / 10));
  for (let i = 1; i <= n; i += 1) {
    const created = engine.create({ pathway: 'sth-gul', patient, kommun: 'Solna', admittedAt });
    if (!created.ok) throw new Error('create');
    if (i % step === 0) {
      global.gc?.();
      const m = process.memoryUsage();
      samples.push({ cases: i, heapMb: Math.round(m.heapUsed / 1e5) / 10, rssMb: Math.round(m.rss / 1e5) / 10 });
    }
  }
  engine.store.close();
  return samples;
}

const fmt = (n: number) => Math.round(n).toLocaleString('sv-SE');
const machine = { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memGb: Math.round(totalmem() / 2 ** 30), node: process.version };
console.log(`Machine: ${machine.cpus} × ${machine.cpu}, ${machine.memGb} GiB, Node ${machine.node}`);

const raw = rawCeiling(EVENTS);
console.log(`raw better-sqlite3 ceiling (same rows, one transaction per event): ${fmt(raw)} events/s`);
const engine = inProcess(EVENTS);
console.log(`engine in-process (validate, restore, transition, derive, persist): ${fmt(engine)} events/s = ${Math.round((engine / raw) * 100)} % of the ceiling`);
const http = await overHttp(RATE, SECONDS);
console.log(`HTTP at ${RATE} req/s for ${SECONDS} s: ${fmt(http.perSecond)} req/s, p50 ${http.latencyMs.p50} ms, p99 ${http.latencyMs.p99} ms, non-2xx ${http.non2xx}, errors ${http.errors}`);
const mem = memory(CASES);
console.log(`memory over ${fmt(CASES)} stored cases (heap MB): ${mem.map((s) => `${fmt(s.cases)}:${s.heapMb}`).join('  ')}`);

const results = { when: new Date().toISOString(), machine, eventsMeasured: EVENTS, rawCeilingPerSecond: raw, engineInProcessPerSecond: engine, engineShareOfCeiling: engine / raw, http, memory: mem };
writeFileSync(join(import.meta.dirname, 'results-engine.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log('written bench/results-engine.json');
