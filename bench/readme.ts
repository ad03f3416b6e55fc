/**
 * The README's "## Measurements" section, generated from bench/results.json (`npm run
 * bench:readme`): the machine, one table per section with every row's method, and for every aim the
 * run missed, why — from the figures of the same run.
 */
import type { BenchResults } from './run.ts';
import { buildRows, GROWTH_LIMIT, NOISE_FLOOR_MS, QUERY_AIM_MS, sectionNotes, sizeLabel, type Row } from './rows.ts';

const TITLES: Record<Row['section'], string> = {
  throughput: '1. Durable events per second: one pathway run to completion, six ways',
  latency: '2. Latency of an event over HTTP',
  scale: '3. Scale: 10k, 100k and 1M stored cases',
  year: '4. A synthetic year of a large region',
  designer: '5. The designer in Chromium',
};

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const n0 = (x: number) => Math.round(x).toLocaleString('en-GB');
const mark = (row: Row) => (row.verdict === 'met' ? `${row.aim} ✔` : row.verdict === 'missed' ? `${row.aim} ✘` : row.verdict === 'not measured' ? `${row.aim === '—' ? '' : `${row.aim} `}(not measured)` : row.aim);

function duration(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds - m * 60);
  return m > 0 ? `${m} min ${s} s` : `${s} s`;
}

/** Why each missed aim was missed, and what the engine would need — from this run's figures. */
export function explanations(results: BenchResults, rows: Row[] = results.rows): string[] {
  const out: string[] = [];
  const missed = (section: Row['section'], what?: string) => rows.some((r) => r.section === section && r.verdict === 'missed' && (!what || r.what.startsWith(what)));
  const t = results.sections.throughput;
  if (t && missed('throughput', '(c) our engine')) {
    const b = t.breakdown;
    const raw = t.rawSnapshotEvent.eventsPerSecond;
    const own = t.rawEngineStatements.eventsPerSecond;
    out.push(`**Engine against the raw ceiling (section 1).** The ceiling (a) writes two rows per event. The engine also keeps, in the same transaction, the rows its reads are served from — deadlines, leaf states, the parties with something to do, access keys, liability, position counters: ${t.rawEngineStatements.statementsPerEvent} statements per event, which replayed with nothing else (a') run at ${n0(own)} events/s, ${Math.round((own / raw) * 100)} % of (a). So 50 % of (a) is out of reach while those rows are written with each event, however fast the rest became. Of the engine's ${b.engineMs.toFixed(3)} ms per event, ${b.persistMs.toFixed(3)} ms are those statements and the commit, ${b.applyEventMs.toFixed(3)} ms the pure core (validation, transition, persisting the snapshot), ${b.caseViewMs.toFixed(3)} ms the case view (deadlines on the Swedish calendar, the guards of every offered transition for blockers, payment liability) and ${b.otherMs.toFixed(3)} ms the rest (turning the view into stored rows, diffing them against the cached ones, the change feed, garbage collection). What it would take: fewer or cheaper writes per event — grouping the commits of events that arrive together, or keeping the report rows (liability, compliance) out of the event's transaction — and a cheaper view (only the lanes the event changed).`);
  }
  if (t && missed('throughput', '(c) against')) {
    const faster = Math.max(t.naive.eventsPerSecond, t.peer.eventsPerSecond);
    out.push(`**Engine against the naive way (section 1).** The naive way (b) is the transition and two row writes and nothing else — no validation, no refusal reasons, no view, no derived rows — and restoring a persisted snapshot of these plain-data machines into a fresh actor is cheap: a whole event of (b), restore, transition and both writes included, takes ${(1000 / t.naive.eventsPerSecond).toFixed(3)} ms, so (b) runs at ${n0(t.naive.eventsPerSecond)} events/s, ${Math.round((t.naive.eventsPerSecond / t.rawSnapshotEvent.eventsPerSecond) * 100)} % of the two-row ceiling (a), and ${(t.naive.eventsPerSecond / t.engine.eventsPerSecond).toFixed(1)}× the engine. Ten times the faster of (b) and (e) would be ${n0(10 * faster)} events/s — above the ceiling (a) itself, so no engine that writes an event durably in its own transaction can meet this aim on this machine. Against the peer alone (bpmn-engine, which rebuilds its process instance from saved state for every event) the engine is ${(t.engine.eventsPerSecond / t.peer.eventsPerSecond).toFixed(0)}× faster.`);
  }
  const l = results.sections.latency;
  if (l && missed('latency')) {
    const r500 = l.rates.find((r) => r.rate === 500);
    const top = l.rates.at(-1);
    const p = t?.serverProfile;
    const pc = (x: number) => `${Math.round(x * 100)} %`;
    const parts: string[] = [];
    if (r500) parts.push(`At 500/s the answers come with p50 ${r500.latencyMs.p50.toFixed(1)} ms and p99 ${r500.latencyMs.p99.toFixed(1)} ms.`);
    if (t) {
      const e = t.engine.perEvent;
      const q = t.engineWithoutCheckpoints.perEvent;
      parts.push(`The tail starts in the engine itself: in-process, one event takes p50 ${e.p50Ms.toFixed(2)} ms but p99 ${e.p99Ms.toFixed(2)} ms, and ${n0(e.over5Ms)} of ${n0(t.engine.events)} events took over 5 ms; with SQLite's automatic WAL checkpoint turned off (the diagnostic row of section 1) p99 is ${q.p99Ms.toFixed(2)} ms and ${n0(q.over5Ms)} took over 5 ms. Every thousand pages of WAL, the commit that crosses the threshold copies them back into the database and syncs it, on the request's thread, and the requests that arrive meanwhile queue behind it.`);
      parts.push(`Beyond that, the server spends ${(1000 / t.http.eventsPerSecond).toFixed(2)} ms per event at saturation (${n0(t.http.eventsPerSecond)} events/s in section 1 (d)), so 500/s keeps its one thread about ${Math.round(50000 / t.http.eventsPerSecond)} % busy on two cores it shares with the load generator${top && top.achievedPerSecond < top.rate * 0.97 ? `; at ${n0(top.rate)}/s it is past saturation (${n0(top.achievedPerSecond)} answered/s) and the wait grows as long as the load lasts` : ''}.`);
    }
    if (p) parts.push(`Its CPU profile at saturation: ${pc(p.shares.engineSend)} in \`CaseEngine.send\` (${pc(p.shares.engineTransaction)} in SQLite's transaction), ${pc(p.shares.answer)} writing the answer (serialising the gated case view, the socket, and the access log row — ${pc(p.shares.accessLog)}, two autocommitted inserts as the answer leaves, i.e. two more commits per request), ${pc(Math.max(0, 1 - p.shares.engineSend - p.shares.answer - p.shares.gc - p.shares.idle))} in the rest of the request (HTTP and body parsing, Express, token verification, access and authority checks, the route's own validation of the event).`);
    parts.push('What it would take: checkpoints off the request path (`wal_autocheckpoint` off on the serving connection and a passive checkpoint from the scheduler\'s tick or a worker thread — `engine/store.ts`, `server/main.ts`), the access log written in one transaction (or batched), and a cheaper event and answer (section 1: the view, the derived rows).');
    out.push(`**HTTP p99 at 500 requests/s (section 2).** ${parts.join(' ')}`);
  }
  const s = results.sections.scale;
  if (s && missed('scale')) {
    const bad = rows.filter((r) => r.section === 'scale' && r.verdict === 'missed');
    out.push(`**Queries at 1M cases (section 3).** The aim: under ${QUERY_AIM_MS} ms at the largest size, and at most ×${GROWTH_LIMIT} from the smallest (log n would give ×1.5; below ${NOISE_FLOOR_MS} ms growth is not judged). Missed:\n\n${bad.map((r) => `- ${r.what}: ${r.result}.`).join('\n')}\n\n${explainScale(s)}`);
  }
  const y = results.sections.year;
  if (y && missed('year')) {
    const perSend = (y.sendSeconds * 1000) / Math.max(1, y.run.events);
    out.push(`**The synthetic year (section 4).** A year of a region of ${n0(y.options.casesPerYear)} cases is about ${n0(y.fullYear.events)} events; at the replay's rate (${n0(y.eventsPerSecond)} events/s over the days replayed, ${n0(y.steadyEventsPerSecond)} in their second half) that is ${duration(y.fullYear.seconds)}${y.fullYear.measured ? '' : ' (extrapolated, assuming the rate of the replayed days holds while the database keeps growing — so rather more; `BENCH_YEAR_DAYS=365` replays the whole year)'}, against an aim of one minute — which would take ≈ ${n0(y.fullYear.events / 60)} events/s${t ? `, ${y.fullYear.events / 60 > t.rawSnapshotEvent.eventsPerSecond ? 'more than' : 'close to'} the two-row ceiling of section 1 (${n0(t.rawSnapshotEvent.eventsPerSecond)} events/s)` : ''}. Nearly all of the time is \`CaseEngine.send\` (${y.sendSeconds} s of ${y.seconds} s; creating cases ${y.createSeconds} s, the scheduler ${y.tickSeconds} s): ${perSend.toFixed(2)} ms per event${t ? `, against ${(1000 / t.engine.eventsPerSecond).toFixed(2)} ms in section 1's run` : ''} — the replay's events fall on cases under way over all ten pathways, whose views carry open deadlines and blockers, and more cases are under way than the engine's cache of 2,000 holds, so some sends first load their case from the store. A replay within a minute would need the per-event cost of section 1 cut by an order of magnitude, or a replay path that applies a case's events in one transaction and derives its view and rows once at the end — the engine has neither today.`);
  }
  if (rows.some((r) => r.section === 'scale' && r.what === 'server memory' && r.verdict === 'missed')) {
    out.push('**Server memory (section 3)** grew with the number of stored cases beyond the flat band; see the memory row.');
  }
  const d = results.sections.designer;
  if (d && (!d.ok || d.burstMissing)) out.push(`**The designer (section 5)** ${d.ok ? 'ran without the full burst of live updates asked for' : `was not measured: ${d.error}`}.`);
  return out;
}

type ScaleSection = NonNullable<BenchResults['sections']['scale']>;

function explainScale(s: ScaleSection): string {
  const times = (key: string) => s.sizes.map((z) => z.queries[key]?.medianMs ?? 0);
  const grows = (key: string) => { const t = times(key); return t.at(-1)! >= NOISE_FLOOR_MS && t.at(-1)! / Math.max(t[0]!, 1e-6) > GROWTH_LIMIT; };
  const slow = (key: string) => times(key).at(-1)! >= QUERY_AIM_MS;
  const parts: string[] = [];
  if (['listStaff', 'listStaffOverdue', 'listOwnerOverdue'].some(grows)) {
    parts.push("*Case lists* (`Store.listCases`): SQLite's plan is a scan of the whole `cases` table — for a staff member every case (closed ones included, each row with its snapshot) probed for the unit's `case_access` key, for `overdue` every case probed for an open deadline past due — then `COUNT(*)` for the total and a temporary B-tree for `ORDER BY updated_at`. Cost is proportional to the stored cases whatever the page shows. Only the owner's list filtered by pathway and state stays fast: it starts from the `(pathway, status)` index. What it would take: start from indexes that hold what the filter keeps — the reader's keys in `case_access` joined to open cases (e.g. status and `updated_at` kept on the access row, indexed), the open deadlines past due from the partial `deadlines_open_due` index, and a total from maintained counts (or a capped count) instead of `COUNT(*)` over the join.");
  }
  if (grows('reportCompliance')) {
    parts.push("*Compliance report* (`Store.complianceRows`): the plan starts from the region's cases through the `(pathway, status)` index and reads every deadline of every one — the whole history — because the only index on `deadlines.due` is partial (open deadlines only). It would need an index on the deadlines' `due` (or `(rule, due)`) for all deadlines, or compliance counted per unit, rule and month as events meet deadlines.");
  } else if (slow('reportCompliance')) {
    parts.push("*Compliance report*: period-bounded (the twelve months' slice of `deadlines_due`), so flat with the history, but every deadline of the period is read and grouped per unit, rule and month in JavaScript at each request; under 20 ms would need those counts kept as events meet deadlines.");
  }
  if (slow('reportLiability') && !grows('reportLiability')) {
    parts.push("*Liability report*: period-bounded (the `case_liability_ended` index), so flat with the history, but the B-5 arithmetic runs in JavaScript over every discharge of the twelve months at each request; under 20 ms would need the sums kept per kommun and month as events arrive.");
  }
  if (slow('worklist') || grows('worklist')) {
    parts.push("*Worklist* (`CaseEngine.worklist`): finding the unit's open cases is index-driven (`case_todo` by party) and does not grow with the history, but it then derives the full case view of each of them (`view` + `gateView`) to extract a few rows — the unit's open cases times one view each. Deriving the rows from the stored deadline and todo rows would bring it under 20 ms.");
  }
  if (slow('caseView200')) parts.push('*Case view with 200 events*: the log is loaded and parsed in full before the view is derived.');
  if (slow('dueDeadlines') || grows('dueDeadlines')) parts.push('*Scheduler scan*: the partial index holds open deadlines, noted or not, so the scan also passes over those already noted as overdue.');
  return parts.join('\n\n');
}

/**
 * The section's text. Rows, notes and explanations are derived again from the measured figures in
 * `results.sections` (so a wording fix needs no new run); `results.rows` holds the same rows as the
 * run printed them.
 */
export function renderMeasurements(results: BenchResults): string {
  const m = results.machine;
  const rowsOf = buildRows(results.sections, { smoke: results.smoke });
  const notes = sectionNotes(results.sections);
  const aims = rowsOf.filter((r) => r.verdict === 'met' || r.verdict === 'missed');
  const met = aims.filter((r) => r.verdict === 'met').length;
  const lines: string[] = [];
  lines.push('<!-- bench:start — generated by `npm run bench:readme` from bench/results.json; edit bench/readme.ts, not this text -->', '');
  lines.push(`Measured with \`npm run bench\` on ${m.date.slice(0, 10)} on this project's development machine: ${m.cpus} × ${m.model}, ${m.memoryGiB} GiB, Node ${m.node.replace(/^v/, '')}, ${m.platform} ${m.arch} (load average ${m.loadAverageAtStart[0]} at the start). The whole run took ${duration(results.wallSeconds)}${results.smoke ? ' at smoke sizes (these figures say nothing about the aims)' : ''}. \`npm run bench\` writes \`bench/results.json\` and prints the table; \`npm run bench:readme\` rewrites this section from it. Sizes are environment knobs (listed in \`bench/run.ts\`); \`npm run bench:engine\` runs sections 1–2 alone (\`bench/results-engine.json\`), \`npm run bench:designer\` the designer's alone; \`BENCH_SMOKE=1 npm run bench\` is the seconds-long smoke that \`test/bench-smoke.test.ts\` runs with the tests. Between runs on this shared machine (other work on its two cores) throughput figures varied by up to a third and tail latencies by up to 2×.`, '');
  for (const rerun of results.reruns ?? []) {
    lines.push(`Section ${TITLES[rerun.section]?.split('.')[0] ?? rerun.section} was measured again on its own on ${rerun.date.slice(0, 16).replace('T', ' ')} UTC (\`npm run bench -- --only=${rerun.section}\`, ${duration(rerun.seconds)}) ${rerun.why}; its figures and verdicts below are from that run, the other sections' from the full run.`, '');
  }
  lines.push(`Aims of issue 8 met in this run: **${met} of ${aims.length}**${aims.length > met ? ' — where one is missed, the table says so (✘) and the text after the tables says why' : ''}.`, '');
  for (const section of ['throughput', 'latency', 'scale', 'year', 'designer'] as const) {
    const rows = rowsOf.filter((r) => r.section === section);
    if (rows.length === 0) continue;
    lines.push(`### ${TITLES[section]}`, '');
    if (notes[section]) lines.push(notes[section]!, '');
    lines.push('| what | method | result | aim |', '|---|---|---|---|');
    for (const row of rows) lines.push(`| ${cell(row.what)} | ${cell(row.method)} | ${cell(row.result)} | ${cell(mark(row))} |`);
    lines.push('');
    if (section === 'scale' && results.sections.scale) {
      const s = results.sections.scale;
      lines.push(`Sizes measured: ${s.sizes.map((z) => `${sizeLabel(z.cases)} (grown in ${z.growSeconds} s)`).join(', ')}; the seed took ${s.seed.seconds} s through the engine.`, '');
    }
  }
  const why = explanations(results, rowsOf);
  if (why.length) {
    lines.push('### Where an aim is missed, and why', '');
    for (const paragraph of why) lines.push(paragraph, '');
  }
  lines.push('<!-- bench:end -->');
  return lines.join('\n');
}

/** README with its "## Measurements" section's body replaced (up to the next "## " heading or the end). */
export function spliceMeasurements(readme: string, body: string): string {
  const lines = readme.split('\n');
  const start = lines.findIndex((l) => l.trim() === '## Measurements');
  if (start < 0) throw new Error('README.md has no "## Measurements" section');
  let end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  if (end < 0) end = lines.length;
  const tail = lines.slice(end);
  return [...lines.slice(0, start + 1), '', body, ...(tail.length ? ['', ...tail] : [''])].join('\n');
}
