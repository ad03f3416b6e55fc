/**
 * The rows of `bench/results.json`: for every figure what was measured, how (the method), the
 * result, the aim of issue 8 where there is one, and whether this run met it. Verdicts are computed
 * from the figures of the same run and nothing else.
 */
import type { DesignerResult } from './designer.ts';
import type { LatencyResult } from './latency.ts';
import type { ScaleResult } from './scale.ts';
import type { ThroughputResult } from './throughput.ts';
import type { YearResult } from './year.ts';

export type Verdict = 'met' | 'missed' | 'none' | 'not measured';

export interface Row {
  section: 'throughput' | 'latency' | 'scale' | 'year' | 'designer';
  what: string;
  method: string;
  result: string;
  aim: string;
  verdict: Verdict;
}

export interface Sections {
  throughput?: ThroughputResult;
  latency?: LatencyResult;
  scale?: ScaleResult;
  year?: YearResult;
  designer?: DesignerResult;
}

/** Query timings at the largest size must stay under this (issue 8). */
export const QUERY_AIM_MS = 20;
/** "No faster than log n": log(1M)/log(10k) = 1.5; a ratio up to 2 from the smallest to the largest size passes. */
export const GROWTH_LIMIT = 2;
/** Below this a query's time is timer and cache noise; its growth is not judged. */
export const NOISE_FLOOR_MS = 1;
/** Memory counts as flat when the largest size needs at most this much more than the smallest. */
export const MEMORY_FLAT = 1.25;

const n0 = (x: number) => Math.round(x).toLocaleString('en-GB');
const ms = (x: number) => (x >= 100 ? n0(x) : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toFixed(3));
const pct = (x: number) => `${Math.round(x * 100)} %`;
const times = (x: number) => (x >= 10 ? `${n0(x)}×` : `${x.toFixed(2)}×`);
const mib = (bytes: number) => `${n0(bytes / 2 ** 20)} MiB`;
export const sizeLabel = (n: number) => (n >= 1e6 && n % 1e6 === 0 ? `${n / 1e6}M` : n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : n0(n));

function throughputRows(t: ThroughputResult): Row[] {
  const over = (n: number) => `${n0(n)} cases × ${t.eventsPerCase} events`;
  const faster = t.naive.eventsPerSecond >= t.peer.eventsPerSecond ? { name: 'the naive way (b)', value: t.naive.eventsPerSecond } : { name: 'the peer (e)', value: t.peer.eventsPerSecond };
  const share = t.engine.eventsPerSecond / t.rawSnapshotEvent.eventsPerSecond;
  const ratio = t.engine.eventsPerSecond / faster.value;
  const done = (r: { completed: boolean }) => (r.completed ? '' : ' — NOT every case reached its end');
  const b = t.breakdown;
  return [
    {
      section: 'throughput', what: '(a) raw ceiling: snapshot + event',
      method: `better-sqlite3, no engine: per event UPDATE the case row with that step's snapshot (${n0(t.rawSnapshotEvent.snapshotBytes)} bytes of JSON on average, taken from the engine) and INSERT the event row; ${over(t.rawSnapshotEvent.cases)}`,
      result: `${n0(t.rawSnapshotEvent.eventsPerSecond)} events/s${done(t.rawSnapshotEvent)}`, aim: '—', verdict: 'none',
    },
    {
      section: 'throughput', what: "(a') raw ceiling: the engine's own writes",
      method: `every SQL statement the engine's transaction ran for each step (${t.rawEngineStatements.statementsPerEvent} on average: case row, event row, changed deadline/state/todo/access/liability rows, position counters and the reads they need), recorded from one case through the engine and replayed with plain prepared statements; ${over(t.rawEngineStatements.cases)}`,
      result: `${n0(t.rawEngineStatements.eventsPerSecond)} events/s${done(t.rawEngineStatements)}`, aim: '—', verdict: 'none',
    },
    {
      section: 'throughput', what: '(b) the naive way',
      method: `per event, in one transaction: read the JSON snapshot, \`createActor(machineFor(sth-gul), { snapshot }).start()\`, \`send\`, \`getPersistedSnapshot\`, write it back with the event row — no validation, no refusal reasons, no view, no deadline/position/access/liability rows; ${over(t.naive.cases)}`,
      result: `${n0(t.naive.eventsPerSecond)} events/s${done(t.naive)}`, aim: '—', verdict: 'none',
    },
    {
      section: 'throughput', what: '(e) a peer: bpmn-engine',
      method: `bpmn-engine ${t.peer.version}, the same run as a BPMN process of ${t.eventsPerCase} user tasks in sequence (parsed once); per event read the saved state, \`new Engine({ sourceContext }).recover(state)\`, \`resume()\`, signal the waiting task, \`getState()\` and write it back (${n0(t.peer.stateBytes)} bytes, without the serialized source) with the event row in one transaction, then drop the instance; ${n0(t.peer.cases)} cases`,
      result: `${n0(t.peer.eventsPerSecond)} events/s${done(t.peer)}`, aim: '—', verdict: 'none',
    },
    {
      section: 'throughput', what: '(c) our engine in-process',
      method: `\`CaseEngine.send\` as the server builds it (pathway versions from the database; every case in its cache): validate, guards, transition, derive the case view, write snapshot + event + changed derived rows in one transaction, announce; a ManualClock at each event's time; ${over(t.engine.cases)}`,
      result: `${n0(t.engine.eventsPerSecond)} events/s = ${pct(share)} of (a), ${pct(t.engine.eventsPerSecond / t.rawEngineStatements.eventsPerSecond)} of (a'); one event p50 ${ms(t.engine.perEvent.p50Ms)} ms, p99 ${ms(t.engine.perEvent.p99Ms)} ms, max ${ms(t.engine.perEvent.maxMs)} ms (${n0(t.engine.perEvent.over5Ms)} over 5 ms)${done(t.engine)}`,
      aim: '≥ 50 % of (a)', verdict: share >= 0.5 ? 'met' : 'missed',
    },
    {
      section: 'throughput', what: '(c) without automatic WAL checkpoints (diagnostic)',
      method: `the run of (c) with SQLite's automatic WAL checkpoint turned off on the engine's connection (\`PRAGMA wal_autocheckpoint = 0\`): not a configuration — the checkpoints' work is left undone and the WAL grows — but it shows what they add to single events`,
      result: `${n0(t.engineWithoutCheckpoints.eventsPerSecond)} events/s; one event p50 ${ms(t.engineWithoutCheckpoints.perEvent.p50Ms)} ms, p99 ${ms(t.engineWithoutCheckpoints.perEvent.p99Ms)} ms, max ${ms(t.engineWithoutCheckpoints.perEvent.maxMs)} ms (${n0(t.engineWithoutCheckpoints.perEvent.over5Ms)} over 5 ms)`,
      aim: '—', verdict: 'none',
    },
    {
      section: 'throughput', what: '(c) against the naive way and the peer',
      method: `(c) divided by the faster of (b) and (e) in this run (${faster.name}, ${n0(faster.value)} events/s)`,
      result: `${times(ratio)} ${faster.name}; ${times(t.engine.eventsPerSecond / t.peer.eventsPerSecond)} the peer`,
      aim: '≥ 10× the faster', verdict: ratio >= 10 ? 'met' : 'missed',
    },
    {
      section: 'throughput', what: "where an event's time goes in (c)",
      method: `the pure core alone (\`applyEvent\`: validate, restore, transition, persist the snapshot) and the case view alone (\`caseView\`) over the same run without storage, per event; the engine's statements from (a'); the rest is (c) minus those (deriving the stored rows, access keys, liability, the cache, diffing, GC)`,
      result: `${ms(b.engineMs)} ms per event: apply ${ms(b.applyEventMs)} ms, view ${ms(b.caseViewMs)} ms, statements + commit ${ms(b.persistMs)} ms, rest ${ms(b.otherMs)} ms`,
      aim: '—', verdict: 'none',
    },
    {
      section: 'throughput', what: '(d) our engine over HTTP',
      method: `autocannon on loopback, ${t.http.connections} keep-alive connections, no rate limit, \`POST /api/cases/:id/events\`, each event from the demo user whose move it is (demo-sara for the ward, demo-olivia for öppenvården, demo-hanna and demo-bosse for Solna's kommun); ${over(t.http.cases)}; load generator and server share the two cores`,
      result: `${n0(t.http.eventsPerSecond)} events/s (p50 ${t.http.latencyMs.p50} ms, p99 ${t.http.latencyMs.p99} ms at saturation), non-2xx ${t.http.non2xx}, errors ${t.http.errors}${done(t.http)}`,
      aim: '—', verdict: 'none',
    },
    ...(t.serverProfile ? [serverProfileRow(t)] : []),
  ];
}

function serverProfileRow(t: ThroughputResult): Row {
  const p = t.serverProfile!;
  const sh = p.shares;
  const other = Math.max(0, 1 - sh.engineSend - sh.answer - sh.gc - sh.idle);
  return {
    section: 'throughput', what: "(d) where the server's time goes",
    method: `the HTTP run again with ${n0(p.events / t.eventsPerCase)} cases, the server under V8's CPU profiler (--cpu-prof): the share of its samples whose stack holds each part`,
    result: `\`CaseEngine.send\` ${pct(sh.engineSend)} (its SQLite transaction ${pct(sh.engineTransaction)}), writing the answer ${pct(sh.answer)} (serialising the gated view, the socket, the access log row ${pct(sh.accessLog)}), the rest of the request (HTTP and body parsing, Express, token verification, access checks) ${pct(other)}, GC ${pct(sh.gc)}, idle ${pct(sh.idle)}; ${n0(p.eventsPerSecond)} events/s while profiled`,
    aim: '—', verdict: 'none',
  };
}

function latencyRows(l: LatencyResult): Row[] {
  const rows: Row[] = l.rates.map((r) => {
    const aim = r.rate === 500;
    const saturated = r.achievedPerSecond < r.rate * 0.97 || r.queuedInClient > 0;
    return {
      section: 'latency' as const, what: `HTTP event at ${n0(r.rate)} requests/s`,
      method: `open loop: request i due at t0 + i/${n0(r.rate)} s, ${l.options.seconds} s after ${l.options.warmupSeconds} s of warm-up; latency from the due time to the answer's last byte`,
      result: `p50 ${ms(r.latencyMs.p50)} ms, p90 ${ms(r.latencyMs.p90)} ms, p99 ${ms(r.latencyMs.p99)} ms, max ${ms(r.latencyMs.max)} ms; ${n0(r.achievedPerSecond)} answered/s${saturated ? ` (saturated: ${n0(r.queuedInClient)} requests found every case waiting and queued in the client)` : ''}, non-2xx ${r.non2xx}`,
      aim: aim ? 'p99 < 10 ms' : '—',
      verdict: aim ? (r.latencyMs.p99 < 10 && r.non2xx === 0 ? 'met' : 'missed') : 'none',
    };
  });
  if (l.autocannon) {
    rows.push({
      section: 'latency', what: `HTTP event at ${n0(l.autocannon.rate)} requests/s, autocannon's rate mode`,
      method: `for comparison with earlier figures: autocannon, ${l.autocannon.connections} connections, overallRate ${l.autocannon.rate}, ${l.autocannon.seconds} s — each connection sends its share of every second back to back and then idles, and a slow answer holds back the requests behind it (closed loop)`,
      result: `p50 ${ms(l.autocannon.latencyMs.p50)} ms, p90 ${ms(l.autocannon.latencyMs.p90)} ms, p99 ${ms(l.autocannon.latencyMs.p99)} ms, max ${ms(l.autocannon.latencyMs.max)} ms; non-2xx ${l.autocannon.non2xx}`,
      aim: '—', verdict: 'none',
    });
  }
  return rows;
}

/** Growth verdict of a query over the sizes measured. */
export function queryVerdict(first: number, last: number, measuredMillion: boolean): { verdict: Verdict; ratio: number } {
  const ratio = last / Math.max(first, 1e-6);
  if (!measuredMillion) return { verdict: 'not measured', ratio };
  const underAim = last < QUERY_AIM_MS;
  const slow = last >= NOISE_FLOOR_MS && ratio > GROWTH_LIMIT;
  return { verdict: underAim && !slow ? 'met' : 'missed', ratio };
}

function scaleRows(s: ScaleResult): Row[] {
  const sizes = s.sizes;
  if (sizes.length === 0) return [];
  const first = sizes[0]!;
  const last = sizes.at(-1)!;
  const million = last.cases >= 1_000_000;
  const rows: Row[] = Object.entries(s.queries).map(([key, q]) => {
    const t = sizes.map((z) => z.queries[key]!);
    const { verdict, ratio } = queryVerdict(t[0]!.medianMs, t.at(-1)!.medianMs, million);
    return {
      section: 'scale' as const, what: `${q.label} (${q.who})`,
      method: `\`${q.call}\``,
      result: `${sizes.map((z, i) => `${sizeLabel(z.cases)}: ${ms(t[i]!.medianMs)} ms`).join(' · ')} (×${ratio.toFixed(1)} from ${sizeLabel(first.cases)} to ${sizeLabel(last.cases)}; ${n0(t.at(-1)!.size)} rows at ${sizeLabel(last.cases)})`,
      aim: `< ${QUERY_AIM_MS} ms at 1M, ≤ ×${GROWTH_LIMIT} from 10k`, verdict,
    };
  });
  rows.push({
    section: 'scale', what: 'database size',
    method: 'SQLite file + WAL after the queries',
    result: sizes.map((z) => `${sizeLabel(z.cases)}: ${mib(z.databaseBytes)}`).join(' · '),
    aim: '—', verdict: 'none',
  });
  const rss = sizes.map((z) => z.serverRssBytes);
  if (rss.every((x) => x !== null)) {
    const growth = rss.at(-1)! / rss[0]!;
    rows.push({
      section: 'scale', what: 'server memory',
      method: `the server started on each database, after a working day's calls over HTTP (positions, a staff list, a worklist, an owner's list by state, the liability report): RSS after two forced GCs`,
      result: `${sizes.map((z) => `${sizeLabel(z.cases)}: ${mib(z.serverRssBytes!)} RSS (heap ${mib(z.serverHeapBytes!)})`).join(' · ')} (×${growth.toFixed(2)})`,
      aim: `flat (≤ ×${MEMORY_FLAT})`, verdict: million ? (growth <= MEMORY_FLAT ? 'met' : 'missed') : 'not measured',
    });
  }
  return rows;
}

function yearRows(y: YearResult): Row[] {
  const f = y.fullYear;
  return [{
    section: 'year', what: 'a synthetic year of a large region',
    method: `${n0(y.options.casesPerYear)} cases a year, every move \`CaseEngine.send\` at its time on a ManualClock; ${f.measured ? 'the whole year replayed' : `the first ${y.options.days} days replayed (${n0(y.run.cases)} cases), the year extrapolated: the rest of its events at the daily rate of the replayed days' second half, their time at that half's events/s (${n0(y.steadyEventsPerSecond)})`}`,
    result: `${y.options.days} days: ${n0(y.run.cases)} cases, ${n0(y.run.events)} events in ${y.seconds} s = ${n0(y.eventsPerSecond)} events/s (sends ${y.sendSeconds} s = ${ms((y.sendSeconds * 1000) / Math.max(1, y.run.events))} ms each, creating cases ${y.createSeconds} s, scheduler ${y.tickSeconds} s); the year, ${n0(f.events)} events: ${n0(f.seconds)} s${f.measured ? '' : ' (extrapolated)'}; ${y.verified.ok}/${y.verified.checked} sampled cases replay to their stored snapshot`,
    aim: '< 60 s for the year', verdict: f.seconds < 60 ? 'met' : 'missed',
  }];
}

function designerRows(d: DesignerResult): Row[] {
  if (!d.ok) {
    return [{ section: 'designer', what: 'designer in Chromium', method: '`scripts/bench-designer.ts` as a subprocess', result: `not measured: ${d.error}`, aim: '—', verdict: 'not measured' }];
  }
  const f = d.figures;
  const rows: Row[] = [{
    section: 'designer', what: `draw the largest pathway (${f.largestPathway.id}, ${f.largestPathway.states} states, ${f.largestPathway.edges} transitions)`,
    method: `Performance API from navigation to the first frame with every state drawn, then to the end of the last long task; median of ${f.load.runs} cold loads`,
    result: `drawn in ${ms(f.load.drawnMs)} ms, interactive at ${ms(f.load.interactiveMs)} ms (worst ${ms(f.load.worstInteractiveMs)} ms), click → details ${ms(f.load.clickToDetailsMs)} ms`,
    aim: '—', verdict: 'none',
  }];
  if (f.burst) {
    rows.push({
      section: 'designer', what: `a burst of ${n0(f.burst.events)} live updates`,
      method: `${n0(f.burst.events)} events posted as fast as the server takes them (8 in flight) by the ward's demo user while the map is open; the count follows the event stream; frames and long tasks recorded in the page`,
      result: `server answered all in ${n0(f.burst.serverAnsweredAllMs)} ms; the screen showed the final count ${ms(f.burst.screenLagAfterLastAnswerMs)} ms after the last answer; longest frame gap ${ms(f.burst.longestFrameGapMs)} ms, ${f.burst.framesOver50Ms} frames over 50 ms, ${f.burst.longTasks} long tasks`,
      aim: '—', verdict: 'none',
    });
  } else {
    rows.push({ section: 'designer', what: `a burst of ${n0(d.options.burst)} live updates`, method: '`scripts/bench-designer.ts` as a subprocess', result: 'not measured: bench/results-designer.json has no burst', aim: '—', verdict: 'not measured' });
  }
  if (f.sustained) {
    rows.push({
      section: 'designer', what: `live updates at ${f.sustained.ratePerSecond} events/s`,
      method: `${f.sustained.ratePerSecond} events/s for ${f.sustained.seconds} s while the map is open`,
      result: `screen ${ms(f.sustained.screenLagAfterLastAnswerMs)} ms behind the last answer; longest frame gap ${ms(f.sustained.longestFrameGapMs)} ms, ${f.sustained.framesOver50Ms} frames over 50 ms`,
      aim: '—', verdict: 'none',
    });
  }
  return rows;
}

/** What every row of a section shares: the method's common part. */
export function sectionNotes(sections: Sections): Partial<Record<Row['section'], string>> {
  const notes: Partial<Record<Row['section'], string>> = {};
  const t = sections.throughput;
  if (t) {
    notes.throughput = `Every method performs the same run: ${t.eventsPerCase} events of an sth-gul case from admission to CLOSE (${t.eventTypes.join(', ')}; the run of test/support/httpKit.ts's gulPlan with explicit times over eight days), step by step over all its cases, each event in its own transaction, on SQLite in WAL mode with synchronous=NORMAL as the engine uses it. Creating the cases is not timed. At the end every case is checked to have reached its end (closed, done, completed). The HTTP server runs in a child process (\`startServer\`, demo identity, SAMVERKAN_RATE_LIMIT=0).`;
  }
  const l = sections.latency;
  if (l) {
    notes.latency = 'Open loop, so a stalled server shows as latency and not as fewer requests (no coordinated omission): requests are due at fixed times whatever happened before and sent on a pool of keep-alive connections (node:http); each is the next event of an sth-gul run, each case sending its next event once its previous one is answered (cases queue FIFO; when every case is waiting, the request queues in the client and its latency still counts from its due time); each from the demo user whose move it is. Server in a child process (`startServer`, demo identity, rate limit off) on a database of fresh cases; load generator and server share the two cores.';
  }
  const s = sections.scale;
  if (s) {
    notes.scale = `Each query in-process on a database of n stored cases at ${s.now}: median of up to 9 runs after a first call (a first call over 1 s is the only one). The database is grown the way a region's grows, by its history: a seed is replayed through the engine — a region's cases arriving over the ${s.seed.periodDays} days before then, all ten pathways, each driven from its allowed actions with realistic delays and the scheduler running (${n0(s.seed.cases)} cases: ${n0(s.seed.active)} still under way, ${n0(s.seed.closed)} closed), plus one Solna case at ward 61 with 200 events — and its closed cases are copied into the past with SQL \`INSERT … SELECT\` under new ids into every table with per-case rows (${s.seed.copiedTables.join(', ')}), copy k with its time columns (and the info's admission time) moved k · ${s.seed.periodDays} days back. So the cases under way, the units and a twelve-month report's population stay as they are while the history grows; copies' snapshots and event payloads keep the seed's times (no query here reads them). Position counters ${s.seed.positionsVerified ? 'match a recount from scratch at every size' : 'did NOT match a recount from scratch'}.`;
  }
  const y = sections.year;
  if (y) {
    notes.year = `A region with ${n0(y.options.casesPerYear)} cases a year over all ten pathways (the demo region's mix and kommuner), arriving at random through the year from 1 January; each case is driven from its own allowed actions (the demo driver's order of a typical case, run to completion) with realistic delays — hours for notices and acknowledgements, days for a stay, weeks for psychiatric and months for forensic care, 8 % of moves days late — every move \`CaseEngine.send\` at its time on a ManualClock, in global time order over all cases, \`tick()\` every 15 simulated minutes, one SQLite file, cache as the server's.`;
  }
  const d = sections.designer;
  if (d) {
    notes.designer = `\`scripts/bench-designer.ts\` (\`npm run bench:designer\`) run as a subprocess with BENCH_CASES=${d.options.cases}, BENCH_LOADS=${d.options.loads}, BENCH_BURST=${d.options.burst}; its bench/results-designer.json folded in as written: Debian's Chromium (headless, playwright-core), the built designer served by the real server in demo mode on a temporary database${d.ok ? ` with ${n0(d.figures.cases)} cases` : ''}, signed in as the region's process owner.`;
  }
  return notes;
}

export function buildRows(sections: Sections, options: { smoke?: boolean } = {}): Row[] {
  const rows = [
    ...(sections.throughput ? throughputRows(sections.throughput) : []),
    ...(sections.latency ? latencyRows(sections.latency) : []),
    ...(sections.scale ? scaleRows(sections.scale) : []),
    ...(sections.year ? yearRows(sections.year) : []),
    ...(sections.designer ? designerRows(sections.designer) : []),
  ];
  // Smoke sizes say nothing about the aims.
  return options.smoke ? rows.map((r) => (r.verdict === 'met' || r.verdict === 'missed' ? { ...r, verdict: 'not measured' as const } : r)) : rows;
}
