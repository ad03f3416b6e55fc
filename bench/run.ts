/**
 * `npm run bench`: every benchmark of issue 8 in one run, on one machine, with the sizes from the
 * environment (defaults sized to finish in well under fifteen minutes on two cores). Returns the
 * results that scripts/bench.ts writes to bench/results.json and the README's Measurements section
 * is generated from.
 *
 * Knobs (env): BENCH_SECTIONS (throughput,latency,scale,year,designer), BENCH_CASES (cases per
 * throughput method, 600), BENCH_PEER_CASES (40), BENCH_HTTP_CONNECTIONS (8), BENCH_RATES
 * (100,500,1000), BENCH_LATENCY_SECONDS (10), BENCH_WARMUP_SECONDS (3), BENCH_AUTOCANNON_RATE (500;
 * 0 skips it), BENCH_SCALE_SIZES (10000,100000,1000000), BENCH_SCALE_SEED (2000),
 * BENCH_YEAR_CASES (cases a year, 60000), BENCH_YEAR_DAYS (days of the year replayed, 73; 365 for all),
 * BENCH_DESIGNER_CASES (20000), BENCH_DESIGNER_LOADS (5), BENCH_DESIGNER_BURST (1000);
 * BENCH_SMOKE=1 makes every size tiny (seconds; the designer is left out).
 */
import { loadavg } from 'node:os';
import { runDesigner, type DesignerOptions } from './designer.ts';
import { runLatency, type LatencyOptions } from './latency.ts';
import { knob, knobList, machineInfo, round, type MachineInfo } from './lib.ts';
import { buildRows, sectionNotes, type Row, type Sections } from './rows.ts';
import { runScale, type ScaleOptions } from './scale.ts';
import { runThroughput, type ThroughputOptions } from './throughput.ts';
import { runYear, type YearOptions } from './year.ts';

export const SECTIONS = ['throughput', 'latency', 'scale', 'year', 'designer'] as const;
export type SectionName = (typeof SECTIONS)[number];

type Quiet<T> = Omit<T, 'log'>;

export interface BenchOptions {
  smoke: boolean;
  sections: SectionName[];
  throughput: Quiet<ThroughputOptions>;
  latency: Quiet<LatencyOptions>;
  scale: Quiet<ScaleOptions>;
  year: Quiet<YearOptions>;
  designer: Quiet<DesignerOptions>;
}

export interface BenchResults {
  schema: 1;
  started: string;
  finished: string;
  wallSeconds: number;
  smoke: boolean;
  machine: MachineInfo & { loadAverageAtStart: number[]; loadAverageAtEnd: number[] };
  options: BenchOptions;
  /** Seconds each section took, setup included. */
  sectionSeconds: Partial<Record<SectionName, number>>;
  rows: Row[];
  /** The common part of each section's method. */
  notes: Partial<Record<Row['section'], string>>;
  sections: Sections;
  /** Sections measured again on their own after a change (`--only=<section>`), merged in. */
  reruns?: { section: SectionName; date: string; seconds: number; why: string }[];
}

export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env, only?: SectionName[]): BenchOptions {
  const smoke = env.BENCH_SMOKE === '1' || env.BENCH_SMOKE === 'true';
  const listed = (env.BENCH_SECTIONS ?? '').split(',').map((s) => s.trim()).filter(Boolean) as SectionName[];
  const unknown = [...listed, ...(only ?? [])].filter((s) => !(SECTIONS as readonly string[]).includes(s));
  if (unknown.length) throw new Error(`unknown benchmark section(s): ${unknown.join(', ')} (known: ${SECTIONS.join(', ')})`);
  const sections = only?.length ? only : listed.length ? listed : smoke ? SECTIONS.filter((s) => s !== 'designer') : [...SECTIONS];
  return {
    smoke,
    sections,
    throughput: {
      cases: knob('BENCH_CASES', smoke ? 3 : 600, env),
      peerCases: knob('BENCH_PEER_CASES', smoke ? 2 : 40, env),
      httpConnections: knob('BENCH_HTTP_CONNECTIONS', smoke ? 2 : 8, env),
    },
    latency: {
      rates: knobList('BENCH_RATES', smoke ? [50] : [100, 500, 1000], env),
      seconds: knob('BENCH_LATENCY_SECONDS', smoke ? 0.5 : 10, env),
      warmupSeconds: knob('BENCH_WARMUP_SECONDS', smoke ? 0 : 3, env),
      autocannonRate: knob('BENCH_AUTOCANNON_RATE', smoke ? 0 : 500, env),
    },
    scale: {
      sizes: knobList('BENCH_SCALE_SIZES', smoke ? [150, 300] : [10_000, 100_000, 1_000_000], env),
      seedCases: knob('BENCH_SCALE_SEED', smoke ? 60 : 2000, env),
      serverMemory: true,
    },
    year: {
      casesPerYear: knob('BENCH_YEAR_CASES', 60_000, env),
      days: knob('BENCH_YEAR_DAYS', smoke ? 0.1 : 73, env),
      verify: smoke ? 3 : 50,
    },
    designer: {
      cases: knob('BENCH_DESIGNER_CASES', 20_000, env),
      loads: knob('BENCH_DESIGNER_LOADS', 5, env),
      burst: knob('BENCH_DESIGNER_BURST', 1000, env),
    },
  };
}

export async function runBench(options: BenchOptions, log: (line: string) => void = () => {}): Promise<BenchResults> {
  const started = new Date();
  const t0 = performance.now();
  const machine = { ...machineInfo(), loadAverageAtStart: loadavg().map((x) => round(x, 2)), loadAverageAtEnd: [] as number[] };
  const sections: Sections = {};
  const sectionSeconds: BenchResults['sectionSeconds'] = {};
  const timed = async <T>(name: SectionName, title: string, run: () => Promise<T>): Promise<T> => {
    log(`${title}`);
    const t = performance.now();
    const result = await run();
    sectionSeconds[name] = round((performance.now() - t) / 1000, 1);
    log(`  (${sectionSeconds[name]} s)`);
    return result;
  };
  for (const name of options.sections) {
    switch (name) {
      case 'throughput':
        sections.throughput = await timed(name, '1. Durable events per second, one sth-gul run to completion over many cases', () => runThroughput({ ...options.throughput, log }));
        break;
      case 'latency':
        sections.latency = await timed(name, '2. Latency of an event over HTTP at fixed rates', () => runLatency({ ...options.latency, log }));
        break;
      case 'scale':
        sections.scale = await timed(name, '3. Scale: queries, database size and memory with many stored cases', () => runScale({ ...options.scale, log }));
        break;
      case 'year':
        sections.year = await timed(name, '4. A synthetic year of a large region through the engine', () => runYear({ ...options.year, log }));
        break;
      case 'designer':
        sections.designer = await timed(name, '5. The designer in Chromium (scripts/bench-designer.ts)', () => runDesigner({ ...options.designer, log }));
        break;
    }
  }
  machine.loadAverageAtEnd = loadavg().map((x) => round(x, 2));
  return {
    schema: 1, started: started.toISOString(), finished: new Date().toISOString(), wallSeconds: round((performance.now() - t0) / 1000, 1),
    smoke: options.smoke, machine, options, sectionSeconds, rows: buildRows(sections, { smoke: options.smoke }), notes: sectionNotes(sections), sections,
  };
}

/** The rows as a plain-text table for the terminal. */
export function formatTable(results: BenchResults): string {
  const mark = { met: 'met', missed: 'MISSED', none: '', 'not measured': 'not measured' } as const;
  const lines: string[] = [];
  const m = results.machine;
  lines.push(`Machine: ${m.cpus} × ${m.model}, ${m.memoryGiB} GiB, Node ${m.node}, ${m.date.slice(0, 10)}; load average at start ${m.loadAverageAtStart.join(' ')}; ${results.wallSeconds} s in all`);
  let section = '';
  for (const row of results.rows) {
    if (row.section !== section) {
      section = row.section;
      lines.push('', `— ${section} —`);
      if (results.notes[row.section]) lines.push(results.notes[row.section]!);
    }
    lines.push(`${row.what}: ${row.result}${row.aim !== '—' ? `  [aim ${row.aim}: ${mark[row.verdict]}]` : row.verdict === 'not measured' ? '  [not measured]' : ''}`);
    lines.push(`    method: ${row.method}`);
  }
  return lines.join('\n');
}
