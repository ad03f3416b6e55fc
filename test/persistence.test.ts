import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyEvent, machineFor, replay, restore, shippedPathways, type CaseState } from '../engine/cases.ts';
import { caseView } from '../engine/caseView.ts';
import { parseInstant } from '../engine/calendar.ts';
import type { PathwayId } from '../machines/events.ts';
import { PATHWAYS } from '../machines/pathways.ts';
import { readyToDeclare } from './support/caseKit.ts';

const fixtures = join(import.meta.dirname, 'fixtures', 'snapshots');

describe('persisted snapshots', () => {
  it('round trip: JSON of the persisted snapshot restores, continues and equals the live run', () => {
    // given
    const live = readyToDeclare('sth-rod');
    const stored = JSON.parse(JSON.stringify(live)) as CaseState;
    // when
    const next = (s: CaseState) => applyEvent(shippedPathways, s, { type: 'DECLARE_READY' }, parseInstant('2026-03-03T10:00:00+01:00')!);
    const a = next(live);
    const b = next(stored);
    // then
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(JSON.stringify(b.state.snapshot)).toBe(JSON.stringify(a.state.snapshot));
    const machine = machineFor(PATHWAYS['sth-rod']);
    expect(restore(machine, b.state.snapshot).value).toEqual(restore(machine, a.state.snapshot).value);
  });

  const files = readdirSync(fixtures).filter((f) => f.endsWith('.json')).sort();
  it.each(files)('stored snapshot %s restores with the current machine and replays to itself', (file) => {
    const { firstPathway, xstate, state } = JSON.parse(readFileSync(join(fixtures, file), 'utf8')) as { firstPathway: PathwayId; xstate: string; state: CaseState };
    expect(state.pathwayVersion).toBe(PATHWAYS[state.pathway].version);
    const machine = machineFor(PATHWAYS[state.pathway]);
    const snapshot = restore(machine, state.snapshot);
    expect(snapshot.status === 'active' || snapshot.status === 'done').toBe(true);
    const at = state.log.at(-1)?.at ?? state.info.admittedAt;
    const view = caseView(shippedPathways, state, at);
    expect(view.history).toHaveLength(state.log.length);
    // The stored snapshot is what the log means under the current machine and xstate version.
    expect(xstate).toBe('5.33.3');
    expect(replay(shippedPathways, state.info, firstPathway, state.log).snapshot).toEqual(state.snapshot);
  });

  it('xstate is pinned to the exact version the stored snapshots were written with', () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(pkg.dependencies.xstate).toBe('5.33.3');
  });
});
