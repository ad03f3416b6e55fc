/**
 * Section 5: the designer in Chromium — `scripts/bench-designer.ts` (`npm run bench:designer`) run as
 * a subprocess; its figures (bench/results-designer.json) are folded into the results as it wrote
 * them: time to draw the largest pathway, and a burst of live updates shown on the map.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './lib.ts';

export interface DesignerOptions {
  cases: number;
  loads: number;
  burst: number;
  log?: (line: string) => void;
}

export interface DesignerFigures {
  when: string;
  cases: number;
  largestPathway: { id: string; states: number; edges: number };
  load: { runs: number; drawnMs: number; interactiveMs: number; clickToDetailsMs: number; worstInteractiveMs: number; longestTaskMs: number };
  burst?: { events: number; serverAnsweredAllMs: number; screenShowedFinalCountMs: number; screenLagAfterLastAnswerMs: number; longestFrameGapMs: number; framesOver50Ms: number; longTasks: number; longestTaskMs: number };
  sustained?: { ratePerSecond: number; seconds: number; events: number; screenLagAfterLastAnswerMs: number; longestFrameGapMs: number; framesOver50Ms: number; longTasks: number; longestTaskMs: number };
  serverEndpointsMs?: Record<string, number>;
  [more: string]: unknown;
}

export type DesignerResult =
  | { ok: true; options: Omit<DesignerOptions, 'log'>; seconds: number; figures: DesignerFigures; burstMissing: boolean }
  | { ok: false; options: Omit<DesignerOptions, 'log'>; seconds: number; error: string };

export const DESIGNER_RESULTS = join(ROOT, 'bench', 'results-designer.json');

export async function runDesigner(options: DesignerOptions): Promise<DesignerResult> {
  const log = options.log ?? (() => {});
  const started = Date.now();
  const opts = { cases: options.cases, loads: options.loads, burst: options.burst };
  // Its own knobs only: ours (BENCH_*) are not its.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('BENCH_')));
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'bench-designer.ts')], {
    cwd: ROOT,
    env: { ...env, BENCH_CASES: String(options.cases), BENCH_LOADS: String(options.loads), BENCH_BURST: String(options.burst) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) log(`  designer | ${line.trim().slice(0, 240)}`);
  });
  child.stderr!.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-3000); });
  const code = await new Promise<number | null>((done) => child.once('exit', (c) => done(c)));
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  if (code !== 0) return { ok: false, options: opts, seconds, error: `scripts/bench-designer.ts exited with ${code}: ${stderr.trim().split('\n').slice(-6).join(' | ')}` };
  if (!existsSync(DESIGNER_RESULTS)) return { ok: false, options: opts, seconds, error: 'scripts/bench-designer.ts wrote no bench/results-designer.json' };
  const figures = JSON.parse(readFileSync(DESIGNER_RESULTS, 'utf8')) as DesignerFigures;
  if (Date.parse(figures.when) < started) return { ok: false, options: opts, seconds, error: `bench/results-designer.json is from ${figures.when}, before this run` };
  return { ok: true, options: opts, seconds, figures, burstMissing: !figures.burst || figures.burst.events < options.burst };
}
