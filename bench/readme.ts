/**
 * The README's "## Measurements" section, generated from bench/results.json (`npm run
 * bench:readme`): the machine, one table per section with every row's method, and for every aim the
 * run missed, why — from the figures of the same run.
 */
import type { BenchResults } from './run.ts';
import { GROWTH_LIMIT, NOISE_FLOOR_MS, QUERY_AIM_MS, sizeLabel, type Row } from './rows.ts';

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
export function explanations(results: BenchResults): string[] {
  const out: string[] = [];
  const missed = (section: Row['section'], what?: string) => results.rows.some((r) => r.section === section && r.verdict === 'missed' && (!what || r.what.startsWith(what)));
  const t = results.sections.throughput;
  if (t && (missed('throughput', '(c) our engine') || missed('throughput', '(c) against'))) {
    const b = t.breakdown;
    const raw = t.rawSnapshotEvent.eventsPerSecond;
    out.push(`**Engine against the raw ceiling and the naive way (section 1).** The ceiling (a) writes two rows per event; the engine writes what its queries need besides (a': ${t.rawEngineStatements.statementsPerEvent} statements per event — deadlines, leaf states, parties with something to do, access keys, liability, position counters), and that alone runs at ${n0(t.rawEngineStatements.eventsPerSecond)} events/s, ${Math.round((t.rawEngineStatements.eventsPerSecond / raw) * 100)} % of (a): no engine that keeps those rows in the event's transaction can reach 50 % of (a). Of the engine's ${b.engineMs.toFixed(2)} ms per event, ${b.persistMs.toFixed(2)} ms are those statements and their commit, ${b.applyEventMs.toFixed(2)} ms the pure core (validation and transition), ${b.caseViewMs.toFixed(2)} ms deriving the case view (deadlines on the Swedish calendar, every guard of every offered transition for blockers, payment liability) and ${b.otherMs.toFixed(2)} ms the rest (turning the view into stored rows, access keys and liability, diffing them against the cache, garbage collection). The naive way (b) does the transition and two row writes and nothing else — no validation, no refusal reasons, no view, no derived rows — and XState restores a persisted snapshot of these plain-data machines cheaply, so it is ${(t.naive.eventsPerSecond / t.engine.eventsPerSecond).toFixed(1)}× faster than the engine, not slower; the peer (e), bpmn-engine rebuilding its process instance from saved state for each event, is ${(t.engine.eventsPerSecond / t.peer.eventsPerSecond).toFixed(1)}× slower than the engine. "10× the faster" would mean ${n0(10 * Math.max(t.naive.eventsPerSecond, t.peer.eventsPerSecond))} events/s, above the two-row ceiling (a) itself: with one transaction per event that is out of reach for any durable engine on this machine. What would move the engine: derive the answer's view only for the lanes the event changed (the view is computed twice per event today, once for the answer and once for the stored rows, through the same \`caseView\`), and group commits (one transaction for the events that arrive within a millisecond) — the commit is a large part of (a').`);
  }
  const l = results.sections.latency;
  if (l && missed('latency')) {
    const r500 = l.rates.find((r) => r.rate === 500);
    const hi = l.rates.at(-1);
    out.push(`**HTTP p99 at 500 requests/s (section 2).** ${r500 ? `At 500/s the server answers with p50 ${r500.latencyMs.p50.toFixed(1)} ms but p99 ${r500.latencyMs.p99.toFixed(1)} ms. ` : ''}One event costs the server ${t ? `about ${(1000 / t.http.eventsPerSecond).toFixed(1)} ms of wall time at saturation (section 1 (d): ${n0(t.http.eventsPerSecond)} events/s with the load generator on the other core)` : 'a few milliseconds'}, so 500 events/s keeps its single thread ${t ? `${Math.round((500 / t.http.eventsPerSecond) * 100)} %` : 'mostly'} busy: requests that arrive while another is being handled wait, and the tail is that queueing${hi && hi.queuedInClient > 0 ? `; at ${n0(hi.rate)}/s the server is past saturation (${n0(hi.achievedPerSecond)} answered/s) and latency grows for as long as the load lasts` : ''}. The p99 aim needs the per-event cost well under a millisecond (see section 1: the view, the derived rows, the commit) or the work spread over more than one thread.`);
  }
  const s = results.sections.scale;
  if (s && missed('scale')) {
    const sizes = s.sizes;
    const bad = results.rows.filter((r) => r.section === 'scale' && r.verdict === 'missed');
    const q = (key: string) => sizes.map((z) => z.queries[key]!.medianMs);
    const lines = bad.map((r) => `- ${r.what}: ${r.result}.`);
    out.push(`**Queries at 1M cases (section 3).** Aim: under ${QUERY_AIM_MS} ms at the largest size and at most ×${GROWTH_LIMIT} from the smallest (log n would give ×1.5; below ${NOISE_FLOOR_MS} ms growth is not judged). Missed:\n\n${lines.join('\n')}\n\n${explainScale(s, q)}`);
  }
  const y = results.sections.year;
  if (y && missed('year')) {
    out.push(`**The synthetic year (section 4).** A year of a region of ${n0(y.options.casesPerYear)} cases is about ${n0(y.fullYear.events)} events; at ${n0(y.eventsPerSecond)} events/s through the engine (each in its own transaction, the scheduler running) that is ${duration(y.fullYear.seconds)}${y.fullYear.measured ? '' : ' (extrapolated from the replayed days)'}, against an aim of one minute — it would need ≈ ${n0(y.fullYear.events / 60)} events/s, ${(y.fullYear.events / 60 / y.eventsPerSecond).toFixed(0)}× the engine's rate and above the raw two-row ceiling of section 1. The per-event cost is section 1's; a replay could in addition batch many events per transaction (the engine offers no such path today) and skip deriving the answer's view, which a replay never reads.`);
  }
  if (results.rows.some((r) => r.section === 'scale' && r.what === 'server memory' && r.verdict === 'missed')) {
    out.push('**Server memory (section 3)** grew with the number of stored cases; see the memory row.');
  }
  const d = results.sections.designer;
  if (d && (!d.ok || d.burstMissing)) {
    out.push(`**The designer (section 5)** ${d.ok ? 'ran without the burst of live updates asked for' : `was not measured: ${d.error}`}.`);
  }
  return out;
}

function explainScale(s: NonNullable<BenchResults['sections']['scale']>, q: (key: string) => number[]): string {
  const parts: string[] = [];
  const grows = (key: string) => { const t = q(key); return t.at(-1)! / Math.max(t[0]!, 1e-6); };
  if (['listStaff', 'listStaffOverdue', 'listOwnerOverdue'].some((k) => grows(k) > GROWTH_LIMIT)) {
    parts.push("The case lists (`Store.listCases`) start from the `cases` table: for a staff member every case row is visited and its `case_access` keys probed with `EXISTS`, and the `overdue` filter probes each case's deadlines, before `COUNT(*)` counts the total and `ORDER BY updated_at` sorts for the page — all proportional to the stored cases (closed ones included), whatever the page shows. They would need to start from an index that holds only what the filter keeps: the reader's keys in `case_access` joined to the open cases (an index on (key, status, updated_at) or a table of open cases per key), open overdue deadlines by case (the partial `deadlines_open_due` index joined the other way round), and a maintained count instead of `COUNT(*)` over the join.");
  }
  if (grows('reportCompliance') > GROWTH_LIMIT || q('reportCompliance').at(-1)! >= QUERY_AIM_MS) {
    parts.push('The compliance report (`Store.complianceRows`) filters deadlines on `due` for the period, but the only index on `due` is partial (open deadlines only), so every deadline row of every stored case is read: it needs an index on (rule, due) over all deadlines, or compliance counts kept per unit, rule and month as events meet deadlines.');
  }
  if (q('reportLiability').at(-1)! >= QUERY_AIM_MS || q('reportCompliance').at(-1)! >= QUERY_AIM_MS) {
    parts.push('Both reports also do their arithmetic in JavaScript over every case (or deadline) of the twelve months — a region-wide report is proportional to a year of cases, not to the stored history — so under 20 ms would need the sums kept per kommun, unit and month as events arrive, not computed at read time.');
  }
  if (grows('worklist') > GROWTH_LIMIT || q('worklist').at(-1)! >= QUERY_AIM_MS) {
    parts.push("The worklist (`CaseEngine.worklist`) builds the full case view of every open case that names the unit (`Store.todoCases`, then `view` for each) to extract a few rows; its cost is the unit's open cases times one view each, and the SQL that finds them probes `case_access` per row.");
  }
  if (q('caseView200').at(-1)! >= QUERY_AIM_MS) parts.push('The case view of a case with 200 events loads and parses its whole log before deriving the view.');
  if (q('dueDeadlines').at(-1)! >= QUERY_AIM_MS) parts.push('The scheduler scan reads every open deadline past due, including those already noted as overdue, to find the ones not yet noted.');
  return parts.join('\n\n');
}

export function renderMeasurements(results: BenchResults): string {
  const m = results.machine;
  const aims = results.rows.filter((r) => r.verdict === 'met' || r.verdict === 'missed');
  const met = aims.filter((r) => r.verdict === 'met').length;
  const lines: string[] = [];
  lines.push('<!-- bench:start — generated by `npm run bench:readme` from bench/results.json; edit bench/readme.ts, not this text -->', '');
  lines.push(`Measured with \`npm run bench\` on ${m.date.slice(0, 10)} on this project's development machine: ${m.cpus} × ${m.model}, ${m.memoryGiB} GiB, Node ${m.node.replace(/^v/, '')}, ${m.platform} ${m.arch} (load average ${m.loadAverageAtStart[0]} at the start). The whole run took ${duration(results.wallSeconds)}${results.smoke ? ' at smoke sizes (these figures say nothing about the aims)' : ''}. \`npm run bench\` writes \`bench/results.json\` and prints the table; \`npm run bench:readme\` rewrites this section from it. Sizes are environment knobs (listed in \`bench/run.ts\`); \`npm run bench:engine\` runs sections 1–2 alone (\`bench/results-engine.json\`), \`npm run bench:designer\` the designer's alone; \`BENCH_SMOKE=1 npm run bench\` is the seconds-long smoke that \`test/bench-smoke.test.ts\` runs with the tests. Figures vary by about ±15 % between runs on this shared machine.`, '');
  lines.push(`Aims of issue 8 met in this run: **${met} of ${aims.length}**${aims.length > met ? ' — where one is missed, the table says so (✘) and the text after the tables says why' : ''}.`, '');
  for (const section of ['throughput', 'latency', 'scale', 'year', 'designer'] as const) {
    const rows = results.rows.filter((r) => r.section === section);
    if (rows.length === 0) continue;
    lines.push(`### ${TITLES[section]}`, '');
    if (results.notes[section]) lines.push(results.notes[section]!, '');
    lines.push('| what | method | result | aim |', '|---|---|---|---|');
    for (const row of rows) lines.push(`| ${cell(row.what)} | ${cell(row.method)} | ${cell(row.result)} | ${cell(mark(row))} |`);
    lines.push('');
    if (section === 'scale' && results.sections.scale) {
      const s = results.sections.scale;
      lines.push(`Sizes measured: ${s.sizes.map((z) => `${sizeLabel(z.cases)} (grown in ${z.growSeconds} s)`).join(', ')}; the seed took ${s.seed.seconds} s through the engine.`, '');
    }
  }
  const why = explanations(results);
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
