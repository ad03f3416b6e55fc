/**
 * `npm run bench`: runs the benchmarks of bench/run.ts, prints the table and writes
 * bench/results.json (the source of the README's Measurements section: `npm run bench:readme`).
 *
 *   --only=throughput,latency   run only these sections (also BENCH_SECTIONS)
 *   --out=path                  write the results there instead
 *
 * Sizes come from the environment (see bench/run.ts); BENCH_SMOKE=1 runs tiny sizes in seconds and
 * writes to the system's temp directory unless --out is given.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { formatTable, optionsFromEnv, runBench, type SectionName } from '../bench/run.ts';

const args = Object.fromEntries(process.argv.slice(2).map((a) => {
  const [k, ...v] = a.replace(/^--/, '').split('=');
  return [k!, v.join('=')];
}));
const only = args.only ? (args.only.split(',').map((s) => s.trim()).filter(Boolean) as SectionName[]) : undefined;
const options = optionsFromEnv(process.env, only);
const root = resolve(import.meta.dirname, '..');
const out = args.out ? resolve(args.out) : options.smoke ? join(tmpdir(), 'samverkan-bench-smoke.json') : join(root, 'bench', 'results.json');

if (!(globalThis as { gc?: unknown }).gc) console.warn('note: run with node --expose-gc (npm run bench does) for memory after GC');
console.log(`npm run bench — sections: ${options.sections.join(', ')}${options.smoke ? ' (smoke sizes)' : ''}`);
const results = await runBench(options, (line) => console.log(line));
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\n${formatTable(results)}\n`);
console.log(`written ${relative(process.cwd(), out) || out}`);
