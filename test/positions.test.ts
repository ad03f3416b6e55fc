import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shippedPathways } from '../engine/cases.ts';
import { seedDemo } from '../engine/demo.ts';
import { CaseEngine, ManualClock } from '../engine/engine.ts';
import { parseScenario } from '../engine/scenario.ts';
import { SCHEMA_VERSION, Store } from '../engine/store.ts';
import { PATHWAY_IDS } from '../machines/events.ts';

function countersMatchScan(engine: CaseEngine) {
  for (const pathway of PATHWAY_IDS) {
    expect(engine.store.positions(pathway), pathway).toEqual(engine.store.positionsByScan(pathway));
  }
}

describe('position counters', () => {
  it('K-7: counters kept per event and per noted deadline equal a full recount, through every seed scenario, reclassifications and closings', () => {
    // given: every scenario's events on one database, the scheduler ticking as the clock moves
    const clock = new ManualClock('2026-01-01T00:00:00.000Z');
    const engine = new CaseEngine(new Store(':memory:'), shippedPathways, clock);
    const dir = join(import.meta.dirname, 'scenarios');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      const parsed = parseScenario(JSON.parse(readFileSync(join(dir, file), 'utf8')));
      if (!parsed.ok) throw new Error(file);
      const { scenario } = parsed;
      clock.set(scenario.case.admittedAt);
      const created = engine.create({ pathway: scenario.pathway, ...scenario.case });
      if (!created.ok) throw new Error(file);
      for (const step of scenario.steps) {
        if (step.at && step.at > clock.now()) clock.set(step.at);
        if (step.send) engine.send(created.view.id, step.send);
        engine.tick();
        // then: after every step the counters agree with counting from scratch
        countersMatchScan(engine);
      }
    }
    expect(PATHWAY_IDS.some((p) => engine.store.positions(p).some((s) => s.overdue > 0))).toBe(true);
  });

  it('counters of a demo region agree with a recount, before and after the scheduler notes overdue deadlines', () => {
    const clock = new ManualClock('2026-11-23T12:00:00.000Z');
    const engine = new CaseEngine(new Store(':memory:'), shippedPathways, clock);
    seedDemo(engine, { count: 120, seed: 7 });
    countersMatchScan(engine);
    const noted = engine.tick();
    expect(noted).toBeGreaterThan(0);
    countersMatchScan(engine);
    clock.advance(5 * 86_400_000);
    engine.tick();
    countersMatchScan(engine);
    const total = engine.store.positions('sth-gul').reduce((sum, s) => sum + s.overdue, 0);
    expect(total).toBeGreaterThan(0);
  });

  it('a database from before the counters is migrated on open and its counters are backfilled', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'samverkan-migrate-')), 'old.db');
    const clock = new ManualClock('2026-11-23T12:00:00.000Z');
    const first = new CaseEngine(new Store(path), shippedPathways, clock);
    seedDemo(first, { count: 40, seed: 3 });
    first.tick();
    // given: the schema as version 1 left it
    first.store.db.exec("DROP TABLE position_counts; DELETE FROM schema_migrations WHERE version = 2;");
    first.store.close();
    // when
    const reopened = new CaseEngine(new Store(path), shippedPathways, clock);
    // then
    expect(reopened.store.schemaVersion()).toBe(SCHEMA_VERSION);
    countersMatchScan(reopened);
    expect(reopened.store.positions('sth-gul').length).toBeGreaterThan(0);
    reopened.store.close();
  });
  it('a database from before identity and reports is migrated: access keys and liability rows are rebuilt for every case', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'samverkan-migrate-')), 'old.db');
    const clock = new ManualClock('2026-11-23T12:00:00.000Z');
    const first = new CaseEngine(new Store(path), shippedPathways, clock);
    seedDemo(first, { count: 60, seed: 5 });
    const dump = (engine: CaseEngine, table: string) => JSON.stringify(engine.store.db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all());
    const access = dump(first, 'case_access');
    const liability = dump(first, 'case_liability');
    expect(JSON.parse(access).length).toBeGreaterThan(60);
    // given: the schema as version 2 left it
    first.store.db.exec(`
      DROP TRIGGER access_log_no_update; DROP TRIGGER access_log_no_delete; DROP TRIGGER access_log_cases_no_update; DROP TRIGGER access_log_cases_no_delete;
      DROP TABLE access_log_cases; DROP TABLE access_log; DROP TABLE case_access; DROP TABLE case_liability; DROP TABLE pending_rebuild;
      ALTER TABLE events DROP COLUMN actor;
      DROP TRIGGER pathway_versions_immutable; DROP TRIGGER pathway_versions_kept; DROP TABLE pathway_versions; DROP TABLE pathway_drafts;
      DROP INDEX cases_status_updated; DROP INDEX deadlines_due;
      DELETE FROM schema_migrations WHERE version >= 3;`);
    first.store.close();
    // when
    const reopened = new CaseEngine(new Store(path), shippedPathways, clock);
    // then
    expect(reopened.store.schemaVersion()).toBe(SCHEMA_VERSION);
    expect(dump(reopened, 'case_access')).toBe(access);
    expect(dump(reopened, 'case_liability')).toBe(liability);
    expect(reopened.store.pendingRebuild('case_access')).toBe(false);
    reopened.store.close();
  });
});
