/** Small helpers for unit tests: a synthetic case and a strict `send`. */
import { applyEvent, createCase, shippedPathways, type CaseState, type PathwayRegistry } from '../../engine/cases.ts';
import { caseView, type CaseView } from '../../engine/caseView.ts';
import { parseInstant } from '../../engine/calendar.ts';
import type { PathwayId } from '../../machines/events.ts';

export const PATIENT = { personnummer: '19400107-9120', name: 'Test Testsson', address: 'Testgatan 1, 171 69 Solna' };

export function newCase(pathway: PathwayId, admittedAt = '2026-03-02T08:00:00+01:00', extra: Record<string, unknown> = {}, registry: PathwayRegistry = shippedPathways): CaseState {
  const created = createCase(registry, 'test-case', { pathway, patient: PATIENT, kommun: 'Solna', admittedAt, ...extra });
  if (!created.ok) throw new Error(JSON.stringify(created));
  return created.state;
}

/** Applies events in order, each at the given local time; throws on any refusal. */
export function sendAll(state: CaseState, events: [string, Record<string, unknown>][], registry: PathwayRegistry = shippedPathways): CaseState {
  let current = state;
  for (const [at, event] of events) {
    const result = applyEvent(registry, current, { ...event, at }, parseInstant(at)!);
    if (!result.ok) throw new Error(`${String(event.type)} at ${at}: ${JSON.stringify(result)}`);
    current = result.state;
  }
  return current;
}

export function view(state: CaseState, at: string, registry: PathwayRegistry = shippedPathways): CaseView {
  return caseView(registry, state, parseInstant(at)!);
}

/** A case through notice, acknowledgements, care contact and the C-5 criteria, ready to be declared. */
export function readyToDeclare(pathway: PathwayId, day = '2026-03-03'): CaseState {
  return sendAll(newCase(pathway), [
    ['2026-03-02T09:00:00+01:00', { type: 'RECORD_CONSENT', given: true }],
    ['2026-03-02T10:00:00+01:00', { type: 'SEND_ADMISSION_NOTICE', expectedDischargeDate: '2026-03-06' }],
    [`${day}T09:00:00+01:00`, { type: 'APPOINT_CARE_CONTACT', name: 'Test Sjuksköterska', phone: '08-1', profession: 'sjuksköterska', licensedPhysician: false }],
    [`${day}T09:10:00+01:00`, { type: 'CONFIRM', item: 'written_information' }],
    [`${day}T09:10:00+01:00`, { type: 'CONFIRM', item: 'information_transferred' }],
    [`${day}T09:10:00+01:00`, { type: 'CONFIRM', item: 'aids_available' }],
  ]);
}
