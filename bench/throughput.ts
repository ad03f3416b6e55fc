/**
 * Section 1: durable events per second for one realistic pathway run to completion (the 19 events
 * of an sth-gul case, `gulRun`) over many cases, done six ways in the same run:
 *
 *  (a)  raw ceiling: better-sqlite3 writing the snapshot + event row of each step, no engine;
 *  (a') raw ceiling of the engine's own writes: every SQL statement the engine's transaction ran
 *       for that step (recorded once), replayed with plain prepared statements;
 *  (b)  the naive way: read the JSON snapshot, `createActor(machine, { snapshot })`, send,
 *       `getPersistedSnapshot`, write it back with the event row;
 *  (c)  our engine in-process (`CaseEngine.send`);
 *  (d)  our engine over HTTP (autocannon on loopback, server in a child process, each event sent
 *       by the demo user of the party whose move it is);
 *  (e)  a peer: bpmn-engine running the same steps as a sequence of user tasks, its state saved
 *       after each step and recovered for each event.
 *
 * Every method starts from the same created cases (creation is not timed) and is checked at the
 * end: every case must have reached its end (closed / done / completed).
 */
import Database from 'better-sqlite3';
import type autocannon from 'autocannon';
import { Engine as BpmnEngine } from 'bpmn-engine';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createActor } from 'xstate';
import type { UnitParty } from '../engine/access.ts';
import { applyEvent, createCase, machineFor, shippedPathways, type CaseState } from '../engine/cases.ts';
import { caseView } from '../engine/caseView.ts';
import { ManualClock } from '../engine/engine.ts';
import type { Store } from '../engine/store.ts';
import { PATHWAYS } from '../machines/pathways.ts';
import { actingParty, cannon, GUL_ADMITTED_AT, GUL_BODY, gulRun, openEngine, partyTokens, percentile, ROOT, round, startChildServer, tempDir, WARD } from './lib.ts';

export interface ThroughputOptions {
  /** Cases for (a)–(d). */
  cases: number;
  /** Cases for the peer (slow: about a hundred events per second). */
  peerCases: number;
  /** Keep-alive connections autocannon uses for (d). */
  httpConnections: number;
  log?: (line: string) => void;
}

export interface MethodResult {
  cases: number;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  /** Every case reached its end state. */
  completed: boolean;
  [extra: string]: unknown;
}

export interface ThroughputResult {
  options: ThroughputOptions;
  pathway: 'sth-gul';
  eventsPerCase: number;
  eventTypes: string[];
  rawSnapshotEvent: MethodResult & { snapshotBytes: number };
  rawEngineStatements: MethodResult & { statementsPerEvent: number };
  naive: MethodResult;
  engine: MethodResult & { perEvent: PerEvent };
  /** Diagnostic: (c) with SQLite's automatic WAL checkpoint off (its work left undone). */
  engineWithoutCheckpoints: MethodResult & { perEvent: PerEvent };
  http: MethodResult & { connections: number; non2xx: number; errors: number; latencyMs: { p50: number; p99: number; max: number } };
  peer: MethodResult & { stateBytes: number; version: string };
  /** Where an engine event's time goes: the pure core, the view, and the store's statements. */
  breakdown: { applyEventMs: number; caseViewMs: number; persistMs: number; engineMs: number; otherMs: number };
  /** Shares of the HTTP server's CPU profile at saturation (a separate, profiled run). */
  serverProfile: ServerProfile | null;
}

export interface ServerProfile {
  events: number;
  eventsPerSecond: number;
  /** Share of samples whose stack holds each part (parts nest: the transaction is inside send). */
  shares: { engineSend: number; engineTransaction: number; answer: number; accessLog: number; gc: number; idle: number };
}

const STEPS = gulRun();

function creator(path: string) {
  const clock = new ManualClock(GUL_ADMITTED_AT);
  const engine = openEngine(path, clock, { cacheSize: 5000 });
  const store = engine.store;
  const create = (n: number) => {
    const ids: string[] = [];
    store.transaction(() => {
      for (let i = 0; i < n; i += 1) {
        const created = engine.create({ ...GUL_BODY, admittedAt: GUL_ADMITTED_AT }, { ward: WARD });
        if (!created.ok) throw new Error(`create: ${JSON.stringify(created)}`);
        ids.push(created.view.id);
      }
    });
    return ids;
  };
  return { store, clock, engine, create };
}

const perSecond = (events: number, ms: number) => round(events / (ms / 1000), 0);

// ---------------------------------------------------------------------------------------------
// One case through the engine, recording every statement its transactions ran.

interface Recorded { sql: string; method: 'run' | 'get' | 'all'; args: unknown[] }
interface TraceStep { statements: Recorded[]; snapshot: string; state: string; phase: string; status: string; type: string; payload: string; at: string; by: string }

function record(store: Store): { take(): Recorded[] } {
  let log: Recorded[] = [];
  const wrap = (stmt: Database.Statement) => {
    for (const method of ['run', 'get', 'all'] as const) {
      const original = stmt[method].bind(stmt) as (...args: unknown[]) => unknown;
      (stmt as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        log.push({ sql: stmt.source, method, args: structuredClone(args) });
        return original(...args);
      };
    }
    return stmt;
  };
  for (const stmt of Object.values((store as unknown as { stmts: Record<string, Database.Statement> }).stmts)) wrap(stmt);
  const prepare = store.db.prepare.bind(store.db);
  (store.db as unknown as { prepare: (sql: string) => Database.Statement }).prepare = (sql: string) => wrap(prepare(sql));
  return { take: () => { const out = log; log = []; return out; } };
}

function trace(dir: string): { id: string; steps: TraceStep[] } {
  const { store, clock, engine, create } = creator(join(dir, 'trace.db'));
  const [id] = create(1);
  const recorder = record(store);
  const steps: TraceStep[] = [];
  for (const event of STEPS) {
    clock.set(String(event.at));
    const result = engine.send(id!, event);
    if (!result.ok) throw new Error(`trace ${String(event.type)}: ${JSON.stringify(result).slice(0, 400)}`);
    const statements = recorder.take();
    const row = store.db.prepare('SELECT snapshot, state, phase, status FROM cases WHERE id = ?').get(id) as { snapshot: string; state: string; phase: string; status: string };
    const ev = store.db.prepare('SELECT type, payload, at, by FROM events WHERE case_id = ? ORDER BY seq DESC LIMIT 1').get(id) as { type: string; payload: string; at: string; by: string };
    recorder.take();
    steps.push({ statements, ...row, ...ev });
  }
  if (steps.at(-1)!.status !== 'closed') throw new Error('trace: the run did not close the case');
  store.close();
  return { id: id!, steps };
}

function substitute(value: unknown, from: string, to: string): unknown {
  if (typeof value === 'string') return value.includes(from) ? value.split(from).join(to) : value;
  if (Array.isArray(value)) return value.map((v) => substitute(v, from, to));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, from, to)]));
  return value;
}

// ---------------------------------------------------------------------------------------------

function rawSnapshotEvent(dir: string, n: number, steps: TraceStep[]): ThroughputResult['rawSnapshotEvent'] {
  const { store, create } = creator(join(dir, 'raw-a.db'));
  const ids = create(n);
  const db = store.db;
  const update = db.prepare('UPDATE cases SET snapshot = ?, state = ?, phase = ?, status = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?');
  const insert = db.prepare(`INSERT INTO events (case_id, seq, type, payload, at, by, pathway, idempotency_key, recorded_at, actor)
    VALUES (?, ?, ?, ?, ?, ?, 'sth-gul', NULL, ?, NULL)`);
  const started = performance.now();
  steps.forEach((s, k) => {
    for (const id of ids) {
      db.transaction(() => {
        if (update.run(s.snapshot, s.state, s.phase, s.status, s.at, id, k).changes !== 1) throw new Error('raw: version');
        insert.run(id, k + 1, s.type, s.payload, s.at, s.by, s.at);
      }).immediate();
    }
  });
  const ms = performance.now() - started;
  const completed = (db.prepare("SELECT COUNT(*) AS n FROM cases WHERE status = 'closed'").get() as { n: number }).n === n;
  store.close();
  return { cases: n, events: n * steps.length, seconds: round(ms / 1000, 2), eventsPerSecond: perSecond(n * steps.length, ms), completed, snapshotBytes: Math.round(steps.reduce((a, s) => a + s.snapshot.length, 0) / steps.length) };
}

function rawEngineStatements(dir: string, n: number, traced: { id: string; steps: TraceStep[] }): ThroughputResult['rawEngineStatements'] {
  const { store, create } = creator(join(dir, 'raw-b.db'));
  const ids = create(n);
  const db = store.db;
  const prepared = new Map<string, Database.Statement>();
  const stmt = (sql: string) => {
    let s = prepared.get(sql);
    if (!s) prepared.set(sql, (s = db.prepare(sql)));
    return s;
  };
  // Per case, the trace's arguments with the traced case's id replaced (prepared before timing).
  const plans = ids.map((id) => traced.steps.map((s) => s.statements.map((r) => ({ stmt: stmt(r.sql), method: r.method, args: substitute(r.args, traced.id, id) as unknown[] }))));
  const started = performance.now();
  traced.steps.forEach((_, k) => {
    plans.forEach((plan) => {
      db.transaction(() => {
        for (const { stmt: s, method, args } of plan[k]!) (s[method] as (...a: unknown[]) => unknown)(...args);
      }).immediate();
    });
  });
  const ms = performance.now() - started;
  const completed = (db.prepare("SELECT COUNT(*) AS n FROM cases WHERE status = 'closed'").get() as { n: number }).n === n;
  store.close();
  const statements = traced.steps.reduce((a, s) => a + s.statements.length, 0) / traced.steps.length;
  return { cases: n, events: n * traced.steps.length, seconds: round(ms / 1000, 2), eventsPerSecond: perSecond(n * traced.steps.length, ms), completed, statementsPerEvent: round(statements, 1) };
}

function naive(dir: string, n: number): MethodResult {
  const { store, create } = creator(join(dir, 'naive.db'));
  const ids = create(n);
  const db = store.db;
  const machine = machineFor(PATHWAYS['sth-gul']);
  const read = db.prepare('SELECT snapshot, version FROM cases WHERE id = ?');
  const write = db.prepare('UPDATE cases SET snapshot = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?');
  const insert = db.prepare(`INSERT INTO events (case_id, seq, type, payload, at, by, pathway, idempotency_key, recorded_at, actor)
    VALUES (?, ?, ?, ?, ?, '', 'sth-gul', NULL, ?, NULL)`);
  const started = performance.now();
  STEPS.forEach((event, k) => {
    const { type, at, ...payload } = event as { type: string; at: string };
    for (const id of ids) {
      db.transaction(() => {
        const row = read.get(id) as { snapshot: string; version: number };
        const actor = createActor(machine, { snapshot: JSON.parse(row.snapshot) });
        actor.start();
        actor.send(event as never);
        const next = JSON.stringify(actor.getPersistedSnapshot());
        actor.stop();
        if (write.run(next, at, id, row.version).changes !== 1) throw new Error('naive: version');
        insert.run(id, k + 1, type, JSON.stringify(payload), at, at);
      }).immediate();
    }
  });
  const ms = performance.now() - started;
  const done = ids.filter((id) => (JSON.parse((read.get(id) as { snapshot: string }).snapshot) as { status: string }).status === 'done').length;
  store.close();
  return { cases: n, events: n * STEPS.length, seconds: round(ms / 1000, 2), eventsPerSecond: perSecond(n * STEPS.length, ms), completed: done === n };
}

export interface PerEvent { p50Ms: number; p99Ms: number; p999Ms: number; maxMs: number; over5Ms: number }

/**
 * (c): every send timed on its own too, for the distribution. `autoCheckpoint: false` is a
 * diagnostic, not a configuration: SQLite's automatic WAL checkpoint is turned off on the engine's
 * connection, so the checkpoints' work is left undone and only their share of the tail shows.
 */
function inProcess(dir: string, n: number, autoCheckpoint = true): MethodResult & { perEvent: PerEvent } {
  const { store, clock, engine, create } = creator(join(dir, autoCheckpoint ? 'engine.db' : 'engine-nockpt.db'));
  const ids = create(n);
  if (!autoCheckpoint) store.db.pragma('wal_autocheckpoint = 0');
  const times = new Float64Array(n * STEPS.length);
  let i = 0;
  const started = performance.now();
  for (const event of STEPS) {
    clock.set(String(event.at));
    for (const id of ids) {
      const t = performance.now();
      const result = engine.send(id, event);
      times[i++] = performance.now() - t;
      if (!result.ok) throw new Error(`engine ${String(event.type)}: ${JSON.stringify(result).slice(0, 400)}`);
    }
  }
  const ms = performance.now() - started;
  const completed = (store.db.prepare("SELECT COUNT(*) AS n FROM cases WHERE status = 'closed'").get() as { n: number }).n === n;
  store.close();
  const list = Array.from(times);
  const perEvent = {
    p50Ms: round(percentile(list, 50), 3), p99Ms: round(percentile(list, 99), 3), p999Ms: round(percentile(list, 99.9), 3),
    maxMs: round(Math.max(...list), 2), over5Ms: list.filter((t) => t > 5).length,
  };
  return { cases: n, events: n * STEPS.length, seconds: round(ms / 1000, 2), eventsPerSecond: perSecond(n * STEPS.length, ms), completed, perEvent };
}

/** The pure core and the view alone, per event, over the same run (no storage). */
function breakdown(n: number, persistPerSecond: number, enginePerSecond: number): ThroughputResult['breakdown'] {
  const cases = Math.max(1, Math.min(n, 200));
  let states: CaseState[] = [];
  for (let i = 0; i < cases; i += 1) {
    const created = createCase(shippedPathways, `bench-${i}`, { ...GUL_BODY, admittedAt: GUL_ADMITTED_AT }, WARD);
    if (!created.ok) throw new Error('breakdown: create');
    states.push(created.state);
  }
  let applyMs = 0;
  let viewMs = 0;
  for (const event of STEPS) {
    const next: CaseState[] = [];
    for (const state of states) {
      let t = performance.now();
      const result = applyEvent(shippedPathways, state, event, String(event.at));
      applyMs += performance.now() - t;
      if (!result.ok) throw new Error('breakdown: apply');
      t = performance.now();
      caseView(shippedPathways, result.state, String(event.at));
      viewMs += performance.now() - t;
      next.push(result.state);
    }
    states = next;
  }
  const events = cases * STEPS.length;
  const applyEventMs = round(applyMs / events, 3);
  const caseViewMs = round(viewMs / events, 3);
  const persistMs = round(1000 / persistPerSecond, 3);
  const engineMs = round(1000 / enginePerSecond, 3);
  return { applyEventMs, caseViewMs, persistMs, engineMs, otherMs: round(engineMs - applyEventMs - caseViewMs - persistMs, 3) };
}

async function overHttp(dir: string, n: number, connections: number): Promise<ThroughputResult['http']> {
  const dbPath = join(dir, 'http.db');
  const { store, create } = creator(dbPath);
  const ids = create(n);
  store.close();
  const server = await startChildServer(dbPath);
  try {
    const tokens = await partyTokens(server.url);
    const bodies = STEPS.map((e) => JSON.stringify(e));
    const senders = STEPS.map((e) => tokens[actingParty(e) as UnitParty]);
    const total = n * STEPS.length;
    let next = 0;
    // Step-major: a case's next event is sent n requests after its previous one, long after its answer.
    const result = await cannon({
      url: server.url,
      connections: Math.min(connections, n),
      amount: total,
      timeout: 60,
      requests: [{
        method: 'POST',
        setupRequest: (req: autocannon.Request) => {
          const i = next++;
          const k = Math.floor(i / n) % STEPS.length;
          return { ...req, path: `/api/cases/${ids[i % n]}/events`, headers: { 'content-type': 'application/json', authorization: senders[k]! }, body: bodies[k]! };
        },
      }],
    });
    const ms = result.duration * 1000;
    await server.close();
    const check = new Database(dbPath, { readonly: true });
    const closed = (check.prepare("SELECT COUNT(*) AS n FROM cases WHERE status = 'closed'").get() as { n: number }).n;
    check.close();
    return {
      cases: n, events: result.requests.total, seconds: round(result.duration, 2), eventsPerSecond: perSecond(result.requests.total, ms),
      completed: closed === n && result.non2xx === 0, connections: Math.min(connections, n), non2xx: result.non2xx, errors: result.errors,
      latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    };
  } finally {
    await server.close();
  }
}

interface CpuProfile { nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[]; samples: number[]; timeDeltas: number[] }

/** Share of profile time whose stack holds a frame matching each predicate. */
function stackShares(profile: CpuProfile, parts: Record<string, (name: string, url: string) => boolean>): Record<string, number> {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const hits = new Map<number, Set<string>>();
  const partsOf = (id: number): Set<string> => {
    let found = hits.get(id);
    if (found) return found;
    found = new Set();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)!.callFrame;
      for (const [part, match] of Object.entries(parts)) if (match(frame.functionName, frame.url)) found.add(part);
    }
    hits.set(id, found);
    return found;
  };
  const totals: Record<string, number> = Object.fromEntries(Object.keys(parts).map((k) => [k, 0]));
  let all = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    all += dt;
    for (const part of partsOf(id)) totals[part]! += dt;
  });
  return Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, round(v / Math.max(all, 1), 3)]));
}

/** The HTTP run again, shorter, with the server under V8's CPU profiler: where its time goes. */
async function serverProfile(dir: string, n: number, connections: number): Promise<ServerProfile | null> {
  const dbPath = join(dir, 'profile.db');
  const profiles = join(dir, 'profiles');
  const { store, create } = creator(dbPath);
  const ids = create(n);
  store.close();
  const server = await startChildServer(dbPath, { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profiles}`] });
  let result: autocannon.Result;
  try {
    const tokens = await partyTokens(server.url);
    let next = 0;
    result = await cannon({
      url: server.url, connections: Math.min(connections, n), amount: n * STEPS.length, timeout: 60,
      requests: [{
        method: 'POST',
        setupRequest: (req: autocannon.Request) => {
          const i = next++;
          const k = Math.floor(i / n) % STEPS.length;
          return { ...req, path: `/api/cases/${ids[i % n]}/events`, headers: { 'content-type': 'application/json', authorization: tokens[actingParty(STEPS[k]!) as UnitParty] }, body: JSON.stringify(STEPS[k]) };
        },
      }],
    });
  } finally {
    await server.close();
  }
  // The main thread's profile is the largest (tsx's loader thread writes one too).
  const files = readdirSync(profiles).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(profiles, f)).sort((a, b) => statSync(b).size - statSync(a).size);
  if (!files[0]) return null;
  const profile = JSON.parse(readFileSync(files[0], 'utf8')) as CpuProfile;
  const shares = stackShares(profile, {
    engineSend: (name, url) => name === 'send' && url.endsWith('/engine/engine.ts'),
    engineTransaction: (name, url) => name === 'transaction' && url.endsWith('/engine/store.ts'),
    answer: (name, url) => name === 'json' && url.includes('/express/lib/response.js'),
    accessLog: (name, url) => name === 'logAccess' && url.endsWith('/engine/store.ts'),
    gc: (name) => name === '(garbage collector)',
    idle: (name) => name === '(idle)',
  });
  return { events: result.requests.total, eventsPerSecond: round(result.requests.total / result.duration, 0), shares: shares as ServerProfile['shares'] };
}

// ---------------------------------------------------------------------------------------------
// The peer: bpmn-engine

/** The sth-gul run as BPMN: a start event, one user task per step, an end event. */
export function gulBpmn(): string {
  const tasks = STEPS.map((e, i) => `    <userTask id="step${i + 1}" name="${String(e.type)}${e.party ? ` ${String(e.party)}` : ''}${e.item ? ` ${String(e.item)}` : ''}" />`);
  const flows = ['start', ...STEPS.map((_, i) => `step${i + 1}`), 'end'].slice(0, -1).map((from, i, all) => `    <sequenceFlow id="flow${i}" sourceRef="${from}" targetRef="${i + 1 < all.length ? all[i + 1] : 'end'}" />`);
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="samverkanGul" targetNamespace="http://samverkan.example/bpmn">
  <process id="sthGul" isExecutable="true">
    <startEvent id="start" />
${tasks.join('\n')}
    <endEvent id="end" />
${flows.join('\n')}
  </process>
</definitions>`;
}

type BpmnState = Awaited<ReturnType<BpmnEngine['getState']>>;

async function peer(dir: string, n: number): Promise<ThroughputResult['peer']> {
  const db = new Database(join(dir, 'peer.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE cases (id TEXT PRIMARY KEY, state TEXT NOT NULL, version INTEGER NOT NULL, updated_at TEXT NOT NULL);
    CREATE TABLE events (case_id TEXT NOT NULL REFERENCES cases (id), seq INTEGER NOT NULL, type TEXT NOT NULL, payload TEXT NOT NULL, at TEXT NOT NULL, recorded_at TEXT NOT NULL, PRIMARY KEY (case_id, seq)) WITHOUT ROWID;`);
  // The process is parsed once; each event recovers the instance from its saved state against it
  // (the state without the serialized source, which is the same for every case).
  const source = gulBpmn();
  const first = new BpmnEngine({ name: 'sth-gul', source });
  const [definition] = await first.getDefinitions();
  const sourceContext = (definition as unknown as { environment: { options: { source: NonNullable<ConstructorParameters<typeof BpmnEngine>[0]>['sourceContext'] } } }).environment.options.source;
  const save = (state: BpmnState) => JSON.stringify({ ...state, definitions: state.definitions.map(({ source: _source, ...d }) => d) });
  const insert = db.prepare('INSERT INTO cases (id, state, version, updated_at) VALUES (?, ?, 0, ?)');
  const ids: string[] = [];
  for (let i = 0; i < n; i += 1) {
    const engine = new BpmnEngine({ name: 'sth-gul', sourceContext });
    await engine.execute();
    insert.run(`case-${i}`, save(await engine.getState()), GUL_ADMITTED_AT);
    ids.push(`case-${i}`);
    await engine.stop();
  }
  const read = db.prepare('SELECT state, version FROM cases WHERE id = ?');
  const write = db.prepare('UPDATE cases SET state = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?');
  const event = db.prepare('INSERT INTO events (case_id, seq, type, payload, at, recorded_at) VALUES (?, ?, ?, ?, ?, ?)');
  const started = performance.now();
  for (let k = 0; k < STEPS.length; k += 1) {
    const { type, at, ...payload } = STEPS[k] as { type: string; at: string };
    for (const id of ids) {
      const row = read.get(id) as { state: string; version: number };
      const engine = new BpmnEngine({ name: 'sth-gul', sourceContext }).recover(JSON.parse(row.state));
      const execution = await engine.resume();
      const [task] = execution.getPostponed();
      if (task?.id !== `step${k + 1}`) throw new Error(`peer: ${id} waits in ${task?.id}, expected step${k + 1}`);
      execution.signal({ id: task.id, type });
      const state = save(await engine.getState());
      db.transaction(() => {
        if (write.run(state, at, id, row.version).changes !== 1) throw new Error('peer: version');
        event.run(id, k + 1, type, JSON.stringify(payload), at, at);
      }).immediate();
      // The instance is dropped, not stopped: stopping it cost the peer a tenth of its time.
    }
  }
  const ms = performance.now() - started;
  const ended = ids.filter((id) => {
    const state = JSON.parse((read.get(id) as { state: string }).state) as { definitions: { status?: string; counters?: { completed?: number } }[]; state?: string };
    return state.definitions[0]?.counters?.completed === 1 || state.definitions[0]?.status === 'completed';
  }).length;
  const stateBytes = Math.round((db.prepare('SELECT AVG(length(state)) AS b FROM cases').get() as { b: number }).b);
  db.close();
  const version = (JSON.parse(readFileSync(join(ROOT, 'node_modules', 'bpmn-engine', 'package.json'), 'utf8')) as { version: string }).version;
  return { cases: n, events: n * STEPS.length, seconds: round(ms / 1000, 2), eventsPerSecond: perSecond(n * STEPS.length, ms), completed: ended === n, stateBytes, version };
}

export async function runThroughput(options: ThroughputOptions): Promise<ThroughputResult> {
  const log = options.log ?? (() => {});
  const dir = tempDir('throughput');
  try {
    const n = Math.max(1, options.cases);
    const traced = trace(dir.path);
    const rawSnapshot = rawSnapshotEvent(dir.path, n, traced.steps);
    log(`  (a)  raw snapshot + event: ${rawSnapshot.eventsPerSecond} events/s`);
    const rawAll = rawEngineStatements(dir.path, n, traced);
    log(`  (a') raw, the engine's ${rawAll.statementsPerEvent} statements per event: ${rawAll.eventsPerSecond} events/s`);
    const naiveResult = naive(dir.path, n);
    log(`  (b)  naive createActor per event: ${naiveResult.eventsPerSecond} events/s`);
    const engineResult = inProcess(dir.path, n);
    log(`  (c)  engine in-process: ${engineResult.eventsPerSecond} events/s, per event p50 ${engineResult.perEvent.p50Ms} ms, p99 ${engineResult.perEvent.p99Ms} ms`);
    const withoutCheckpoints = inProcess(dir.path, n, false);
    log(`       the same without automatic WAL checkpoints (diagnostic): ${withoutCheckpoints.eventsPerSecond} events/s, p99 ${withoutCheckpoints.perEvent.p99Ms} ms`);
    const http = await overHttp(dir.path, n, options.httpConnections);
    log(`  (d)  engine over HTTP: ${http.eventsPerSecond} events/s (non-2xx ${http.non2xx})`);
    const peerResult = await peer(dir.path, Math.max(1, options.peerCases));
    log(`  (e)  bpmn-engine: ${peerResult.eventsPerSecond} events/s`);
    const parts = breakdown(n, rawAll.eventsPerSecond, engineResult.eventsPerSecond);
    const profiled = await serverProfile(dir.path, Math.max(1, Math.min(n, 100)), options.httpConnections);
    if (profiled) log(`  server profile: CaseEngine.send ${Math.round(profiled.shares.engineSend * 100)} %, the answer ${Math.round(profiled.shares.answer * 100)} %, idle ${Math.round(profiled.shares.idle * 100)} %`);
    return {
      options: { cases: options.cases, peerCases: options.peerCases, httpConnections: options.httpConnections },
      pathway: 'sth-gul', eventsPerCase: STEPS.length, eventTypes: STEPS.map((e) => String(e.type)),
      rawSnapshotEvent: rawSnapshot, rawEngineStatements: rawAll, naive: naiveResult, engine: engineResult, engineWithoutCheckpoints: withoutCheckpoints, http, peer: peerResult, breakdown: parts, serverProfile: profiled,
    };
  } finally {
    dir.remove();
  }
}
