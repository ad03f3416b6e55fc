/**
 * `npm run bench:readme`: rewrites the README's "## Measurements" section from bench/results.json
 * (or the file given as the first argument), so the figures in the README are the measured ones.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderMeasurements, spliceMeasurements } from '../bench/readme.ts';
import type { BenchResults } from '../bench/run.ts';

const root = resolve(import.meta.dirname, '..');
const source = resolve(process.argv[2] ?? `${root}/bench/results.json`);
const results = JSON.parse(readFileSync(source, 'utf8')) as BenchResults;
if (results.schema !== 1) throw new Error(`${source}: not a results file of npm run bench (schema ${String(results.schema)})`);
const readmePath = `${root}/README.md`;
const before = readFileSync(readmePath, 'utf8');
const after = spliceMeasurements(before, renderMeasurements(results));
writeFileSync(readmePath, after);
console.log(after === before ? 'README.md: Measurements already up to date' : `README.md: Measurements rewritten from ${source}`);
