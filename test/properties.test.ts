/**
 * Property tests with fast-check: random sequences of sample events (see support/sampleEvents.ts),
 * applied through the engine at increasing times, with the routines' invariants checked after
 * every step. A step picks either an event the case view allows now (so runs get deep into the
 * pathway) or any sample event of the case's current pathway (refusals, foreign event types,
 * payloads a payload guard refuses, RECLASSIFY within the region). On failure fast-check prints
 * the seed and the shrunk counterexample; rerun with `{ seed, path }` to replay it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEvent, contextOf, createCase, replay, shippedPathways, type CaseState } from '../engine/cases.ts';
import { caseView, type CaseView } from '../engine/caseView.ts';
import { activeTransitions, type AllowedAction } from '../engine/explain.ts';
import { TEST_PERSONNUMMER } from '../engine/personnummer.ts';
import { transitionGuards } from '../machines/compile.ts';
import type { CaseContext } from '../machines/context.ts';
import type { PathwayDefinition } from '../machines/definition.ts';
import { READY_CRITERIA, type CaseEvent, type PathwayId } from '../machines/events.ts';
import { getGuard } from '../machines/guards.ts';
import { PATHWAYS } from '../machines/pathways.ts';
import { matches, sampleEvents, type SampleEvent } from './support/sampleEvents.ts';

const ADMITTED = '2026-03-02T08:00:00+01:00';
const CREATE = {
  patient: { personnummer: TEST_PERSONNUMMER[0]!, name: 'Test Testsson', address: 'Testgatan 1, 123 45 Teststad' },
  kommun: 'Solna',
  admittedAt: ADMITTED,
};
/** Runs per pathway: ten pathways × this many runs of up to 40 steps stay well under a minute. */
const RUNS = 150;
const MINUTE = 60_000;

const SAMPLES = new Map<PathwayId, SampleEvent[]>(
  (Object.keys(PATHWAYS) as PathwayId[]).map((id) => [id, sampleEvents(PATHWAYS[id], {
    allNeeds: true, lifeThreatening: true, invalid: true, reclassify: true, foreign: true, checklist: true,
  })]),
);

/**
 * One random step: which event, when, and which other sample events to probe (tried against the
 * same state, not applied). `pool`: 'progress' picks an allowed event that moves the case along
 * (see `movesOn`), 'allowed' any allowed event, 'any' any sample event of the current pathway.
 */
interface Step {
  pool: 'progress' | 'allowed' | 'any';
  pick: number;
  gapMinutes: number;
  probes: number[];
}

const stepArb: fc.Arbitrary<Step> = fc.record({
  pool: fc.integer({ min: 0, max: 19 }).map((n): Step['pool'] => (n < 13 ? 'progress' : n < 17 ? 'allowed' : 'any')),
  pick: fc.noBias(fc.nat()),
  // Minutes to days between events: within the hour, within the day, up to five days.
  gapMinutes: fc.oneof(fc.integer({ min: 1, max: 59 }), fc.integer({ min: 60, max: 24 * 60 }), fc.integer({ min: 24 * 60, max: 5 * 24 * 60 })),
  probes: fc.array(fc.noBias(fc.nat()), { maxLength: 2 }),
});

/** ASSESS_NEEDS samples whose needs fit the pathway's routing (S-1, S-2, S-3). */
const FIT_NEEDS = new Map<PathwayId, Set<string>>(
  (Object.keys(PATHWAYS) as PathwayId[]).map((id) => [id, new Set(sampleEvents(PATHWAYS[id]).filter((s) => s.type === 'ASSESS_NEEDS').map((s) => s.key))]),
);

const plusMinutes = (instant: string, minutes: number) => new Date(Date.parse(instant) + minutes * MINUTE).toISOString();
const show = (event: CaseEvent) => JSON.stringify(event);

/** Whether a case-view action addresses the event (same type, same routing `match` values). */
function inAllowed(actions: AllowedAction[], event: CaseEvent): boolean {
  return actions.some((a) => a.event === event.type && matches(event as unknown as Record<string, unknown>, a.match));
}

/**
 * What the definition says about a concrete event in the current configuration: the transitions
 * of the active states addressing it whose state and routing guards hold (as the view's allowed
 * actions count them), and whether one of those also passes its payload guards.
 */
function verdict(definition: PathwayDefinition, state: CaseState, event: CaseEvent): { addressed: boolean; passes: boolean } {
  const { snapshot, context } = contextOf(shippedPathways, state);
  let addressed = false;
  let passes = false;
  for (const { transition } of activeTransitions(definition, snapshot.value)) {
    if (transition.event !== event.type) continue;
    const guards = transitionGuards(transition).map((ref) => ({ ref, spec: getGuard(ref.type) }));
    const holds = (kinds: string[]) => guards
      .filter(({ spec }) => kinds.includes(spec.kind))
      .every(({ ref, spec }) => spec.check(context, event, { definition }, ref.params));
    if (!holds(['state', 'routing'])) continue;
    addressed = true;
    if (holds(['payload'])) passes = true;
  }
  return { addressed, passes };
}

function disclosureAllowed(view: CaseView): boolean {
  return view.consent.status !== 'withdrawn'
    && (view.consent.status === 'given' || view.consent.menprovning?.disclosureAllowed === true);
}

const inpatientState = (view: CaseView) => view.lanes.find((l) => l.lane === 'slutenvard')?.state ?? null;

/** C-5 / C-3: no ready notice or discharge while a required FVK or a C-5 criterion is missing. */
function checkReadyCriteria(view: CaseView, trace: string): void {
  if (!PATHWAYS[view.pathway].policy.coveredByLaw) return; // S-1: GRÅ has no ready notice
  if (inpatientState(view) !== 'utskrivningsklar' && view.dischargedAt === null) return;
  const fvkMissing = (view.admissionNotice?.recipients.includes('oppenvard') ?? false) && view.careContact === null;
  expect(fvkMissing, `C-3: ${inpatientState(view)}/discharged without the required FVK\n${trace}`).toBe(false);
  for (const criterion of READY_CRITERIA) {
    expect(view.criteria[criterion], `C-5: ${inpatientState(view)}/discharged without ${criterion}\n${trace}`).not.toBeNull();
  }
}

/**
 * The step's event. 'progress' first picks an allowed action variant that moves the case along (so
 * a variant with many payloads is not favoured), then one of its sample events; 'allowed' picks
 * among all allowed sample events, 'any' among all sample events of the current pathway.
 */
function choose(step: Step, samples: SampleEvent[], state: CaseState, view: CaseView, at: string): CaseEvent {
  if (step.pool === 'progress') {
    const { definition, context } = contextOf(shippedPathways, state);
    const useful = samples.filter((s) => !s.invalid && inAllowed(view.allowedActions, s.make(at)) && movesOn(definition, context, view, s, at));
    const variants = [...new Set(useful.map((s) => s.type + JSON.stringify(view.allowedActions.find((a) => inAllowed([a], s.make(at)))?.match ?? {})))];
    if (variants.length > 0) {
      const variant = variants[step.pick % variants.length]!;
      const pool = useful.filter((s) => s.type + JSON.stringify(view.allowedActions.find((a) => inAllowed([a], s.make(at)))?.match ?? {}) === variant);
      return pool[Math.floor(step.pick / variants.length) % pool.length]!.make(at);
    }
  }
  const allowed = samples.filter((s) => inAllowed(view.allowedActions, s.make(at)));
  const pool = step.pool !== 'any' && allowed.length > 0 ? allowed : samples;
  return pool[step.pick % pool.length]!.make(at);
}

/**
 * Whether an allowed sample moves the case along: it moves a lane other than den enskildes to a new
 * state, or records a fact a guard still waits for (C-5 criteria, needs, FVK, consent, the legal
 * frame's decisions, the follow-up). Deaths, the V-O6 end of care and reclassifications are detours.
 */
function movesOn(definition: PathwayDefinition, context: CaseContext, view: CaseView, sample: SampleEvent, at: string): boolean {
  const event = sample.make(at);
  const fields = event as unknown as Record<string, unknown>;
  switch (event.type) {
    case 'DIE': case 'FORENSIC_CARE_ENDED': case 'RECLASSIFY': return false;
    case 'CONFIRM': return READY_CRITERIA.some((c) => c === fields.item && context.criteria[c] === null);
    case 'ASSESS_NEEDS': return context.needs.assessedAt === null && FIT_NEEDS.get(definition.id)!.has(sample.key);
    case 'APPOINT_CARE_CONTACT': return context.careContact === null && fields.licensedPhysician === true;
    case 'RECORD_CONSENT': return context.consent.status !== 'given' && fields.given === true;
    case 'LPT_INTAKE_DECISION': return context.lpt.intakeAt === null;
    case 'OPT_DECIDED': return context.lpt.optDecidedAt === null;
    case 'ORV_DECIDED': return context.lrv.orvDecidedAt === null;
    case 'JUDGMENT_FINAL': return context.lrv.judgmentFinalAt === null;
    case 'FOLLOW_UP_CONTACT': case 'CLOSE': case 'CALL_SIP': case 'ESTABLISH_SIP': return true;
    default:
      return activeTransitions(definition, view.state).some(({ source, transition }) =>
        !source.startsWith('individ') && transition.event === event.type && transition.target !== undefined && matches(fields, transition.match));
  }
}

/** Runs one random sequence on a new case of `pathway`, checking every invariant on the way. */
function run(pathway: PathwayId, steps: Step[]): void {
  const created = createCase(shippedPathways, `prop-${pathway}`, { pathway, ...CREATE });
  if (!created.ok) throw new Error(JSON.stringify(created));
  let state: CaseState = created.state;
  let at = state.info.admittedAt;
  const trace: string[] = [];
  const traceText = () => `events (${pathway}):\n  ${trace.join('\n  ')}`;

  /** Applies `event` to the current state; refused events must leave it exactly as it was. */
  const attempt = (event: CaseEvent) => {
    const before = JSON.stringify(state);
    const result = applyEvent(shippedPathways, state, event, event.at);
    if (!result.ok) {
      expect(result.kind, `${show(event)} invalid rather than refused: ${JSON.stringify(result)}\n${traceText()}`).toBe('rejected');
      expect(JSON.stringify(state), 'a refused event changed the case').toBe(before);
    }
    return result;
  };

  for (const step of steps) {
    at = plusMinutes(at, step.gapMinutes);
    const samples = SAMPLES.get(state.pathway)!;
    const definition = PATHWAYS[state.pathway];
    // The view at this instant (deadlines move with the clock; allowed actions do not).
    const before = caseView(shippedPathways, state, at);
    const closed = before.status === 'closed';
    const event = choose(step, samples, state, before, at);
    const probes = step.probes.map((n) => samples[n % samples.length]!.make(at));

    const results = [event, ...probes].map((candidate) => {
      const result = attempt(candidate);
      const { addressed, passes } = verdict(definition, state, candidate);
      const label = `${show(candidate)} in ${JSON.stringify(before.state)}\n${traceText()}`;
      if (closed) {
        // A closed case accepts nothing (C-7, S-7, V-O6).
        expect(result.ok, `closed case accepted ${label}`).toBe(false);
        if (!result.ok && result.kind === 'rejected') expect(result.rejected.code, label).toBe('CASE_CLOSED');
        return result;
      }
      // The view's allowed actions agree with the machine, both ways.
      if (result.ok) expect(inAllowed(before.allowedActions, candidate), `accepted but not in allowedActions: ${label}`).toBe(true);
      if (inAllowed(before.allowedActions, candidate)) {
        expect(addressed, `allowed variant addressed by no transition: ${label}`).toBe(true);
        if (passes) expect(result.ok, `allowed, payload guards hold, yet refused: ${label} → ${JSON.stringify(result)}`).toBe(true);
      }
      expect(result.ok, `machine and definition disagree on ${label}`).toBe(passes);
      return result;
    });

    const result = results[0]!;
    trace.push(`${result.ok ? '✓' : '✗'} ${show(event)}`);
    if (!result.ok) continue;
    const next = result.state;
    const after = caseView(shippedPathways, next, at);

    if (event.type === 'CALL_SIP' || event.type === 'ESTABLISH_SIP') {
      // I-3 / I-5: a SIP is called and established only with consent or a positive menprövning.
      expect(disclosureAllowed(before), `I-5: ${event.type} accepted without consent or menprövning\n${traceText()}`).toBe(true);
      // C-10: never after the individual declined the SIP.
      expect(before.refusals.sip, `C-10: ${event.type} accepted after REFUSE sip\n${traceText()}`).toBeNull();
    }
    if (event.type !== 'RECLASSIFY') {
      for (const field of ['calledAt', 'establishedAt'] as const) {
        if (after.sip[field] !== before.sip[field]) {
          expect(disclosureAllowed(before), `I-3: sip.${field} set by ${event.type} without consent\n${traceText()}`).toBe(true);
          expect(before.refusals.sip, `C-10: sip.${field} set by ${event.type} after REFUSE sip\n${traceText()}`).toBeNull();
        }
      }
    }
    if (after.refusals.sip !== null) {
      for (const field of ['calledAt', 'establishedAt'] as const) {
        const value = after.sip[field];
        expect(value === null || value <= after.refusals.sip, `C-10: sip.${field} ${value} after the refusal ${after.refusals.sip}\n${traceText()}`).toBe(true);
      }
    }
    checkReadyCriteria(after, traceText());
    state = next;
  }

  // The log replays to the same snapshot, from the pathway the case was created in (C-9).
  const replayed = replay(shippedPathways, state.info, pathway, state.log);
  expect(JSON.stringify(replayed.snapshot), `replay differs\n${traceText()}`).toBe(JSON.stringify(state.snapshot));
  expect(replayed.pathway).toBe(state.pathway);
}

describe.each(Object.keys(PATHWAYS) as PathwayId[])('%s', (id) => {
  it(`${id}: random event sequences keep C-3/C-5, I-3/I-5, C-10, closed-case and allowed-action invariants and replay (C-9)`, () => {
    fc.assert(fc.property(fc.array(stepArb, { minLength: 1, maxLength: 40, size: 'max' }), (steps) => { run(id, steps); }), { numRuns: RUNS });
  }, 60_000);
});
