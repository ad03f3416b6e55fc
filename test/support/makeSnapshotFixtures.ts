/**
 * Writes stored-snapshot fixtures from the seed scenarios (run once per pathway version:
 * `npx tsx test/support/makeSnapshotFixtures.ts`). The persistence test restores them with the
 * current machines, so a change that would break stored cases fails the suite.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { shippedPathways } from '../../engine/cases.ts';
import { memoryDriver, parseScenario, runScenario } from '../../engine/scenario.ts';

const dir = join(import.meta.dirname, '..', 'scenarios');
const out = join(import.meta.dirname, '..', 'fixtures', 'snapshots');
for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  const parsed = parseScenario(JSON.parse(readFileSync(join(dir, file), 'utf8')));
  if (!parsed.ok) throw new Error(file);
  // Stop half way so the fixtures hold running cases, not only closed ones.
  const half = { ...parsed.scenario, steps: parsed.scenario.steps.slice(0, Math.ceil(parsed.scenario.steps.length / 2)).map(({ expect: _e, ...s }) => s) };
  const driver = memoryDriver(shippedPathways);
  runScenario(driver, half);
  const state = driver.state();
  writeFileSync(join(out, file), `${JSON.stringify({ firstPathway: parsed.scenario.pathway, xstate: '5.33.3', state }, null, 1)}\n`);
}
