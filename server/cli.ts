/**
 * `samverkan` command line: `simulate FILE.json` (the contract's scenario runner), `simulate --step
 * PATHWAY` (an interactive session) and `demo` (runs the bundled demo scenarios).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shippedPathways } from '../engine/cases.ts';
import { parseScenario, runScenario } from '../engine/scenario.ts';
import { throwAwayDriver } from '../engine/simulation.ts';
import { isPathwayId } from '../machines/pathways.ts';
import { PATHWAY_IDS } from '../machines/events.ts';

const USAGE = `Användning:
  samverkan simulate FIL.json       kör ett scenario; en JSON-rad per steg (exit 0 ok, 1 förväntan brister, 2 felaktig fil)
  samverkan simulate --step PROCESS interaktiv simulering (${PATHWAY_IDS.join(', ')})
  samverkan serve                   startar servern (PORT, SAMVERKAN_DB)
  samverkan demo                    kör de medföljande scenarierna i test/scenarios/`;

function readJson(path: string): { ok: true; value: unknown } | { ok: false; message: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { ok: false, message: `Kan inte läsa ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: `${path} är inte giltig JSON: ${(error as Error).message}` };
  }
}

/** Exit codes per the contract: 0 every expectation holds, 1 some does not, 2 malformed file. */
export function simulateFile(path: string, out: (line: string) => void, err: (line: string) => void): number {
  const json = readJson(path);
  if (!json.ok) {
    err(json.message);
    return 2;
  }
  const parsed = parseScenario(json.value);
  if (!parsed.ok) {
    err(`Felaktigt scenario: fältet ${parsed.field}: ${parsed.message}`);
    return 2;
  }
  const driver = throwAwayDriver(shippedPathways);
  try {
    const result = runScenario(driver, parsed.scenario, (line) => out(JSON.stringify(line)));
    for (const failure of result.failures) err(failure);
    return result.ok ? 0 : 1;
  } finally {
    driver.close();
  }
}

function scenariosDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'scenarios');
}

function demo(): number {
  const dir = scenariosDir();
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  let failed = 0;
  for (const file of files) {
    const lines: string[] = [];
    const problems: string[] = [];
    const code = simulateFile(join(dir, file), (l) => lines.push(l), (l) => problems.push(l));
    const last = lines.length > 0 ? (JSON.parse(lines.at(-1)!) as { view: { pathway: string; phase: string; status: string } }).view : null;
    const summary = last ? `${last.pathway} · ${last.status} · ${last.phase}` : '';
    console.log(`${code === 0 ? 'ok  ' : 'FEL '} ${file.padEnd(48)} ${String(lines.length).padStart(3)} steg  ${summary}`);
    for (const p of problems) console.log(`     ${p}`);
    if (code !== 0) failed += 1;
  }
  console.log(`\n${files.length - failed} av ${files.length} scenarier håller. Kör ett enskilt: npx samverkan simulate test/scenarios/<fil>.json`);
  return failed === 0 ? 0 : 1;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'simulate') {
    if (rest[0] === '--step') {
      const pathway = rest[1];
      if (!isPathwayId(pathway)) {
        console.error(`Ange en process: ${PATHWAY_IDS.join(', ')}`);
        return 2;
      }
      const { stepSession } = await import('./step.ts');
      return stepSession(pathway, rest.slice(2));
    }
    if (!rest[0]) {
      console.error(USAGE);
      return 2;
    }
    return simulateFile(rest[0], (l) => process.stdout.write(`${l}\n`), (l) => process.stderr.write(`${l}\n`));
  }
  if (command === 'demo') return demo();
  if (command === 'serve') {
    const { serve } = await import('./main.ts');
    return serve();
  }
  console.error(USAGE);
  return command === undefined || command === '--help' || command === 'help' ? 0 : 2;
}
