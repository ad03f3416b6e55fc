/**
 * The scenario driver on the durable engine: a throw-away in-memory SQLite database and a manual
 * clock, so `samverkan simulate` exercises the same transaction path as the server.
 */
import type { Instant } from './calendar.ts';
import type { PathwayRegistry } from './cases.ts';
import { CaseEngine, ManualClock, type EngineFailure } from './engine.ts';
import type { ScenarioDriver } from './scenario.ts';
import { Store } from './store.ts';

function describe(failure: EngineFailure): { code: string; message: string; rules: string[]; field?: string } {
  switch (failure.kind) {
    case 'invalid': return { code: 'INVALID', message: failure.message, rules: [], field: failure.field };
    case 'rejected': return { code: failure.rejected.code, message: failure.rejected.message, rules: failure.rejected.rules };
    case 'conflict': return { code: 'VERSION_CONFLICT', message: 'Versionskonflikt', rules: [] };
    case 'not_found': return { code: 'NOT_FOUND', message: 'Ärendet finns inte', rules: [] };
    case 'idempotency_mismatch': return { code: 'IDEMPOTENCY_KEY_REUSED', message: 'Idempotency-Key återanvänd', rules: [] };
  }
}

export function throwAwayDriver(registry: PathwayRegistry): ScenarioDriver & { engine: CaseEngine; close(): void } {
  const clock = new ManualClock('2000-01-01T00:00:00.000Z');
  const store = new Store(':memory:');
  const engine = new CaseEngine(store, registry, clock);
  let id: string | null = null;
  const at = (now: Instant) => clock.set(now);
  return {
    engine,
    close: () => store.close(),
    create(body, now) {
      at(now);
      const result = engine.create(body, { id: 'scenario' });
      if (!result.ok) return { ok: false, message: describe(result).message };
      id = result.view.id;
      return { ok: true, view: result.view };
    },
    send(body, now) {
      at(now);
      const result = engine.send(id!, body);
      return result.ok ? { ok: true, view: result.view } : { ok: false, rejected: describe(result) };
    },
    view(now) {
      at(now);
      return engine.view(id!)!;
    },
  };
}
