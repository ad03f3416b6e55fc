/**
 * The benchmarks at smoke sizes (BENCH_SMOKE): every section but the designer's runs end to end in
 * seconds, and the results have the shape bench/results.json and the README are made from — every
 * row names its method. No timing is judged here.
 */
import { describe, expect, it } from 'vitest';
import { renderMeasurements, spliceMeasurements } from '../bench/readme.ts';
import { optionsFromEnv, runBench, SECTIONS, type BenchResults } from '../bench/run.ts';

describe('npm run bench at smoke sizes', () => {
  let results: BenchResults;

  it('runs throughput, latency, scale and the year end to end', async () => {
    const options = optionsFromEnv({ BENCH_SMOKE: '1' });
    expect(options.smoke).toBe(true);
    expect(options.sections).toEqual(SECTIONS.filter((s) => s !== 'designer'));
    results = await runBench(options);
    expect(results.schema).toBe(1);
    expect(results.smoke).toBe(true);
  }, 180_000);

  it('records the machine', () => {
    const m = results.machine;
    expect(m.cpus).toBeGreaterThan(0);
    expect(m.model).toBeTypeOf('string');
    expect(m.memoryGiB).toBeGreaterThan(0);
    expect(m.node).toMatch(/^v\d+/);
    expect(Date.parse(m.date)).not.toBeNaN();
    expect(m.loadAverageAtStart).toHaveLength(3);
  });

  it('gives every row what, method, result and aim, and no verdict at smoke sizes', () => {
    expect(results.rows.length).toBeGreaterThan(10);
    for (const row of results.rows) {
      expect(['throughput', 'latency', 'scale', 'year', 'designer']).toContain(row.section);
      for (const field of [row.what, row.method, row.result, row.aim]) expect(field.trim().length).toBeGreaterThan(0);
      expect(row.verdict === 'none' || row.verdict === 'not measured').toBe(true);
    }
    const sections = new Set(results.rows.map((r) => r.section));
    expect([...sections]).toEqual(['throughput', 'latency', 'scale', 'year']);
    for (const s of sections) expect(results.notes[s]).toBeTruthy();
  });

  it('does the same run every way, to the end of every case', () => {
    const t = results.sections.throughput!;
    expect(t.eventsPerCase).toBe(19);
    for (const method of [t.rawSnapshotEvent, t.rawEngineStatements, t.naive, t.engine, t.engineWithoutCheckpoints, t.http, t.peer]) {
      expect(method.completed).toBe(true);
      expect(method.events).toBe(method.cases * t.eventsPerCase);
      expect(method.eventsPerSecond).toBeGreaterThan(0);
    }
    expect(t.http.non2xx).toBe(0);
    expect(t.rawEngineStatements.statementsPerEvent).toBeGreaterThan(2);
  });

  it('answers every latency request', () => {
    const l = results.sections.latency!;
    for (const rate of l.rates) {
      expect(rate.answered).toBe(rate.sent);
      expect(rate.non2xx).toBe(0);
      expect(rate.errors).toBe(0);
      expect(rate.latencyMs.p99).toBeGreaterThanOrEqual(rate.latencyMs.p50);
    }
  });

  it('grows the database to each size with consistent counters and measures every query', () => {
    const s = results.sections.scale!;
    expect(s.sizes.map((z) => z.cases)).toEqual([150, 300]);
    expect(s.seed.positionsVerified).toBe(true);
    expect(s.seed.copiedTables).toEqual(expect.arrayContaining(['cases', 'events', 'deadlines', 'case_access', 'case_liability']));
    for (const size of s.sizes) {
      expect(Object.keys(size.queries).sort()).toEqual(Object.keys(s.queries).sort());
      expect(size.queries.caseView200!.size).toBeGreaterThanOrEqual(200);
      expect(size.databaseBytes).toBeGreaterThan(0);
      expect(size.serverRssBytes).toBeGreaterThan(0);
    }
  });

  it('replays the synthetic region through the engine, every sampled case to its stored snapshot', () => {
    const y = results.sections.year!;
    expect(y.run.cases).toBeGreaterThan(0);
    expect(y.verified.ok).toBe(y.verified.checked);
    expect(y.fullYear.measured).toBe(false);
    expect(y.fullYear.events).toBeGreaterThanOrEqual(y.run.events);
  });

  it('renders the README section from the results, between markers, replacing only that section', () => {
    const body = renderMeasurements(results);
    expect(body).toContain('<!-- bench:start');
    expect(body).toContain('<!-- bench:end -->');
    for (const row of results.rows) expect(body).toContain(row.what.replace(/\|/g, '\\|'));
    const readme = '# T\n\n## Before\n\ntext\n\n## Measurements\n\nold\n\n## After\n\nkept\n';
    const spliced = spliceMeasurements(readme, body);
    expect(spliced).toContain('## Before\n\ntext');
    expect(spliced).toContain('## After\n\nkept');
    expect(spliced).not.toContain('\nold\n');
    expect(spliceMeasurements(spliced, body)).toBe(spliced);
  });
});
