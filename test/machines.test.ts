import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { machineConfig } from '../machines/compile.ts';
import type { RegionDef, StateDef, TransitionDef } from '../machines/definition.ts';
import { GUARDS } from '../machines/guards.ts';
import { PHASE_IDS, PARTY_IDS } from '../machines/parties.ts';
import { PATHWAYS, buildDefinition } from '../machines/pathways.ts';
import { applyEvent, createCase, machineFor, type PathwayRegistry } from '../engine/cases.ts';
import { parseInstant } from '../engine/calendar.ts';
import { newCase, PATIENT, readyToDeclare, sendAll, view } from './support/caseKit.ts';

function states(region: RegionDef): [string, StateDef][] {
  if (region.regions) return Object.values(region.regions).flatMap(states);
  return Object.entries(region.states);
}
function transitions(region: RegionDef): TransitionDef[] {
  return [...(region.on ?? []), ...(region.regions ? Object.values(region.regions).flatMap(transitions) : Object.values(region.states).flatMap((s) => s.on ?? []))];
}

describe('pathway definitions', () => {
  it('there is one machine per pathway id of the contract, each with a lane per party', () => {
    expect(Object.keys(PATHWAYS).sort()).toEqual(['sth-bla', 'sth-gra', 'sth-gron', 'sth-gul', 'sth-rod', 'vrm-gron', 'vrm-gul', 'vrm-lila', 'vrm-orange', 'vrm-rod']);
    for (const definition of Object.values(PATHWAYS)) {
      expect(Object.keys(definition.lanes)).toEqual(['slutenvard', 'oppenvard', 'kommunal_hsl', 'socialtjanst', 'individ']);
      const config = machineConfig(definition) as { states: { aktiv: { type: string } } };
      expect(config.states.aktiv.type).toBe('parallel');
    }
  });

  it('every state is tagged with its phase and carries a Swedish label, its party and its rules', () => {
    for (const definition of Object.values(PATHWAYS)) {
      for (const lane of Object.values(definition.lanes)) {
        for (const [key, state] of states(lane)) {
          expect(PHASE_IDS, `${definition.id} ${key}`).toContain(state.meta.phase);
          expect(PARTY_IDS).toContain(state.meta.party);
          expect(state.meta.label.length, key).toBeGreaterThan(2);
          expect(state.meta.rules.length, `${definition.id} ${key} cites no rule`).toBeGreaterThan(0);
        }
        for (const t of transitions(lane)) {
          expect(t.meta.rules.length, `${definition.id} ${t.event}`).toBeGreaterThan(0);
          expect(PARTY_IDS).toContain(t.meta.party);
          for (const guard of t.guards ?? []) expect(Object.keys(GUARDS)).toContain(guard.type);
        }
      }
      const machine = machineFor(definition);
      const tags = new Set<string>();
      const visit = (node: { tags: string[]; states: Record<string, unknown> }) => {
        node.tags.forEach((t) => tags.add(t));
        Object.values(node.states).forEach((child) => visit(child as never));
      };
      visit(machine.root as never);
      expect([...tags].sort()).toEqual([...PHASE_IDS].filter((p) => tags.has(p)).sort());
    }
  });

  it('a definition is data: it survives a JSON round trip unchanged', () => {
    for (const definition of Object.values(PATHWAYS)) {
      expect(JSON.parse(JSON.stringify(definition))).toEqual(definition);
    }
  });

  it('pathways differ by configuration only: the same builders make every lane', () => {
    const files = readdirSync(join(import.meta.dirname, '..', 'machines'));
    expect(files.filter((f) => /^(sth|vrm)-/.test(f))).toEqual([]);
    const gul = PATHWAYS['sth-gul'];
    const rod = PATHWAYS['sth-rod'];
    expect(gul.lanes.kommunal_hsl).toEqual(rod.lanes.kommunal_hsl);
    expect(gul.policy).toMatchObject({ sip: 'required', sipBeforeDischarge: false });
    expect(rod.policy).toMatchObject({ sip: 'required', sipBeforeDischarge: true });
  });

  it('C-2: the acknowledgement limit is a parameter — 48 h on weekdays moves the deadline', () => {
    const edited = buildDefinition('sth-gul', { version: 2, parameters: { acknowledgeWithin: { hours: 48, weekdaysOnly: true } } });
    const registry: PathwayRegistry = { definition: () => edited };
    const created = createCase(registry, 'p', { pathway: 'sth-gul', patient: PATIENT, kommun: 'Solna', admittedAt: '2026-03-06T14:00:00+01:00' });
    if (!created.ok) throw new Error('create');
    const sent = applyEvent(registry, created.state, { type: 'SEND_ADMISSION_NOTICE' }, parseInstant('2026-03-06T16:00:00+01:00')!);
    if (!sent.ok) throw new Error('send');
    const c2 = view(sent.state, '2026-03-06T16:00:00+01:00', registry).deadlines.find((d) => d.id === 'C-2:socialtjanst');
    // Friday 16:00 + 48 weekday hours: 8 h Friday, 24 h Monday, 16 h Tuesday.
    expect(c2).toMatchObject({ due: parseInstant('2026-03-10T16:00:00+01:00'), limit: 'inom 48 timmar på vardagar' });
    expect(sent.state.pathwayVersion).toBe(2);
  });

  it('machines and the pure engine are deterministic: no clock reads or randomness', () => {
    const root = join(import.meta.dirname, '..');
    const pure = [
      ...readdirSync(join(root, 'machines')).map((f) => join('machines', f)),
      ...['calendar.ts', 'cases.ts', 'caseView.ts', 'explain.ts', 'liability.ts', 'personnummer.ts', 'ruleIndex.ts', 'scenario.ts'].map((f) => join('engine', f)),
    ];
    for (const file of pure) {
      const source = readFileSync(join(root, file), 'utf8');
      expect(source, file).not.toMatch(/Date\.now\(|new Date\(\)|Math\.random\(/);
      expect(source, file).not.toMatch(/from ['"](node:|better-sqlite3|express|react)/);
      expect(source, file).not.toMatch(/\bafter:\s*\{/);
    }
  });
});

describe('rules in the machines', () => {
  it('C-5: utskrivningsklar is refused while a criterion is missing, naming each and its party', () => {
    const state = sendAll(newCase('sth-gul'), [['2026-03-02T10:00:00+01:00', { type: 'SEND_ADMISSION_NOTICE' }]]);
    const result = applyEvent({ definition: () => PATHWAYS['sth-gul'] }, state, { type: 'DECLARE_READY' }, parseInstant('2026-03-02T11:00:00+01:00')!);
    expect(result.ok).toBe(false);
    if (result.ok || result.kind !== 'rejected') return;
    expect(result.rejected.rules).toEqual(['C-5']);
    expect(result.rejected.reasons.map((r) => [r.party, r.guard])).toEqual([
      ['slutenvard', 'writtenInformationGiven'], ['oppenvard', 'careContactAppointed'], ['slutenvard', 'informationTransferred'], ['slutenvard', 'aidsAvailable'],
    ]);
    // The case view's blockers give the very same reasons.
    const blockers = view(state, '2026-03-02T11:00:00+01:00').blockers.filter((b) => b.event === 'DECLARE_READY');
    expect(blockers.map((b) => b.reason)).toEqual(result.rejected.reasons.map((r) => r.reason));
  });

  it('C-10: when the individual declines a SIP, none is called and the case can close without one', () => {
    let state = sendAll(readyToDeclare('sth-gul'), [
      ['2026-03-03T10:00:00+01:00', { type: 'REFUSE', what: 'sip' }],
      ['2026-03-03T10:30:00+01:00', { type: 'DECLARE_READY' }],
    ]);
    expect(view(state, '2026-03-03T10:30:00+01:00').lanes).toContainEqual(expect.objectContaining({ lane: 'oppenvard.sip', state: 'avbojd' }));
    const call = applyEvent({ definition: () => PATHWAYS['sth-gul'] }, state, { type: 'CALL_SIP', meetingAt: '2026-03-10T10:00' }, parseInstant('2026-03-03T11:00')!);
    expect(call.ok).toBe(false);
    state = sendAll(state, [
      ['2026-03-04T10:00:00+01:00', { type: 'DISCHARGE' }],
      ['2026-03-05T10:00:00+01:00', { type: 'FOLLOW_UP_CONTACT' }],
      ['2026-03-05T10:05:00+01:00', { type: 'CLOSE', reason: 'Avböjt SIP' }],
    ]);
    expect(view(state, '2026-03-05T10:05:00+01:00').status).toBe('closed');
  });

  it('C-11: the discharge checklist is worded with the pathway\'s parameters and records confirmations', () => {
    const state = sendAll(readyToDeclare('sth-gul'), [['2026-03-03T10:00:00+01:00', { type: 'CONFIRM', item: 'medication_supply' }]]);
    const checklist = view(state, '2026-03-03T10:00:00+01:00').dischargeChecklist;
    expect(checklist).toContainEqual({ item: 'medication_supply', label: 'Läkemedel för 3 dagar eller tills de kan hämtas ut på apotek', rule: 'C-11', doneAt: '2026-03-03T09:00:00.000Z' });
    expect(checklist).toContainEqual(expect.objectContaining({ item: 'nutrition_supply', label: 'Sondmat och näringsdryck för 5 vardagar vid behov', doneAt: null }));
  });

  it('C-4: an expected discharge date before the admission is refused', () => {
    const state = newCase('sth-gul');
    const result = applyEvent({ definition: () => PATHWAYS['sth-gul'] }, state, { type: 'SET_EXPECTED_DISCHARGE', date: '2026-03-01' }, parseInstant('2026-03-02T09:00')!);
    expect(result).toMatchObject({ ok: false, rejected: { code: 'BLOCKED', rules: ['C-4'] } });
  });

  it('I-1: without consent or a positive menprövning the notice is minimal; with consent it is full', () => {
    const minimal = sendAll(newCase('sth-gul'), [['2026-03-02T10:00:00+01:00', { type: 'SEND_ADMISSION_NOTICE' }]]);
    expect(view(minimal, '2026-03-02T10:00:00+01:00').admissionNotice?.content).toBe('minimal');
    const full = sendAll(newCase('sth-gul'), [
      ['2026-03-02T09:00:00+01:00', { type: 'RECORD_MENPROVNING', disclosureAllowed: true }],
      ['2026-03-02T10:00:00+01:00', { type: 'SEND_ADMISSION_NOTICE' }],
    ]);
    expect(view(full, '2026-03-02T10:00:00+01:00').admissionNotice?.content).toBe('full');
  });

  it('S-3: GRÖN/GUL/RÖD need insatser from both huvudmän; one-huvudman needs point to BLÅ (C-9)', () => {
    const state = sendAll(newCase('sth-gul'), [['2026-03-02T09:00:00+01:00', { type: 'ASSESS_NEEDS', kommun: false, oppenvard: true }]]);
    const result = applyEvent({ definition: () => PATHWAYS['sth-gul'] }, state, { type: 'SEND_ADMISSION_NOTICE' }, parseInstant('2026-03-02T10:00')!);
    expect(result).toMatchObject({ ok: false, rejected: { rules: ['C-9'] } });
  });

  it('C-1: needs identified after the first 24 hours start the notice limit from that assessment', () => {
    const state = sendAll(newCase('vrm-gron'), [['2026-03-04T10:00:00+01:00', { type: 'ASSESS_NEEDS', kommun: true, oppenvard: true }]]);
    // vrm-gron implies needs from the start, so the limit stays 24 h from admission.
    expect(view(state, '2026-03-04T10:00:00+01:00').deadlines[0]).toMatchObject({ rule: 'C-1', due: '2026-03-03T07:00:00.000Z', status: 'overdue' });
    const bla = sendAll(newCase('sth-bla'), [['2026-03-04T10:00:00+01:00', { type: 'ASSESS_NEEDS', kommun: true, oppenvard: false }]]);
    expect(view(bla, '2026-03-04T10:00:00+01:00').deadlines[0]).toMatchObject({ rule: 'C-1', due: '2026-03-05T09:00:00.000Z', status: 'pending' });
  });

  it('V-O4: rättspsykiatrin convenes samordnad planering (12 a §, 16 b § LRV) in the orange process only', () => {
    const orange = sendAll(newCase('vrm-orange'), [
      ['2026-03-02T09:00:00+01:00', { type: 'SEND_ADMISSION_NOTICE' }],
      ['2026-03-09T09:00:00+01:00', { type: 'CALL_COORDINATION_MEETING', meetingAt: '2026-03-16T13:00:00+01:00' }],
    ]);
    expect(view(orange, '2026-03-09T09:00:00+01:00').history.at(-1)).toMatchObject({ type: 'CALL_COORDINATION_MEETING', by: 'slutenvard' });
    expect(PATHWAYS['vrm-orange'].lanes.slutenvard?.meta.label).toBe('Rättspsykiatrin');
    const gul = sendAll(newCase('sth-gul'), [['2026-03-02T09:00:00+01:00', { type: 'SEND_ADMISSION_NOTICE' }]]);
    const refused = applyEvent({ definition: () => PATHWAYS['sth-gul'] }, gul, { type: 'CALL_COORDINATION_MEETING', meetingAt: '2026-03-16T13:00' }, parseInstant('2026-03-09T09:00')!);
    expect(refused).toMatchObject({ ok: false, rejected: { code: 'NOT_EXPECTED' } });
  });

  it('C-7: a death closes the case at once, and the reason says whether it was during the stay', () => {
    const during = sendAll(newCase('sth-gul'), [['2026-03-02T09:00:00+01:00', { type: 'DIE' }]]);
    expect(view(during, '2026-03-02T09:00:00+01:00')).toMatchObject({ status: 'closed', closedReason: 'Avliden under vårdtiden', allowedEvents: [] });
    const after = sendAll(readyToDeclare('sth-gul'), [
      ['2026-03-03T10:00:00+01:00', { type: 'DECLARE_READY' }],
      ['2026-03-04T10:00:00+01:00', { type: 'DISCHARGE' }],
      ['2026-03-04T20:00:00+01:00', { type: 'DIE' }],
    ]);
    expect(view(after, '2026-03-04T20:00:00+01:00')).toMatchObject({ status: 'closed', closedReason: 'Avliden efter utskrivning' });
  });

  it('I-4: after a withdrawal no menprövning can allow disclosure; only a new consent can', () => {
    const withdrawn = sendAll(newCase('sth-gul'), [
      ['2026-03-02T09:00:00+01:00', { type: 'RECORD_CONSENT', given: true }],
      ['2026-03-02T10:00:00+01:00', { type: 'WITHDRAW_CONSENT' }],
    ]);
    const positive = applyEvent({ definition: () => PATHWAYS['sth-gul'] }, withdrawn, { type: 'RECORD_MENPROVNING', disclosureAllowed: true }, parseInstant('2026-03-02T11:00')!);
    expect(positive).toMatchObject({ ok: false, rejected: { code: 'NOT_EXPECTED' } });
    const again = sendAll(withdrawn, [['2026-03-02T12:00:00+01:00', { type: 'RECORD_CONSENT', given: true }]]);
    expect(view(again, '2026-03-02T12:00:00+01:00').consent.status).toBe('given');
  });
});
