/**
 * Path checks with xstate/graph: for every pathway, every state of the definition is reachable with
 * concrete sample events, every reached configuration can still be closed without a death (C-7),
 * and the shortest path to each state is accepted event by event by the engine.
 *
 * The parallel lanes make the state space large, so the traversal is bounded:
 *  - Configurations are told apart by a digest: the state values of slutenvården plus one other
 *    lane (a "focus") and the context facts guards read (needs, notice recipients, C-5 criteria,
 *    consent, FVK, SIP, LPT/LRV decisions). Each pathway is traversed once per focus: öppenvården
 *    (FVK and SIP), den enskilde, kommunal HSL, socialtjänsten. No guard reads a lane's state, only
 *    facts, so the lanes need not be combined with each other. A path's end state is trusted only
 *    for the lanes of its focus (xstate/graph keeps one snapshot per digest).
 *  - Events that commute with the rest are offered in one canonical order: the C-5 criteria in one
 *    burst during the stay; needs before the notice, and after it only a reassessment that brings
 *    new recipients (supplementary notice); an existing SIP reviewed once; the legal frame's
 *    decisions during the stay. Checklist items (no guard reads them) and DIE are not traversed;
 *    that every sample event is accepted somewhere, and DIE everywhere, is checked separately.
 *  - Events that only concern lanes outside the focus are left out of its traversal: other parties'
 *    acknowledgements and status messages, SIP follow-ups; outside den enskildes focus consent is
 *    only given (menprövning and withdrawal are explored with den enskilde in focus), outside the
 *    öppenvård focus only the legal decisions that open the ready gate are made.
 * All events are sent at the same instant: the machines read time only from `event.at`.
 */
import { type AnyMachineSnapshot, type AnyStateMachine } from 'xstate';
import { getShortestPaths, type StatePath } from 'xstate/graph';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyEvent, createCase, machineFor, shippedPathways, type CaseState } from '../engine/cases.ts';
import { caseView } from '../engine/caseView.ts';
import { activeTransitions } from '../engine/explain.ts';
import { TEST_PERSONNUMMER } from '../engine/personnummer.ts';
import { ACTIONS } from '../machines/actions.ts';
import { GUARDS } from '../machines/guards.ts';
import { disclosureAllowed, noticeRouting, type CaseContext, type CaseInput } from '../machines/context.ts';
import type { PathwayDefinition } from '../machines/definition.ts';
import { READY_CRITERIA, type CaseEvent, type PathwayId } from '../machines/events.ts';
import { PATHWAYS } from '../machines/pathways.ts';
import { allLeafStates, leafStates, matchVariants, matches, sampleEvents } from './support/sampleEvents.ts';

const AT = '2026-03-02T09:00:00.000Z';
const INPUT: CaseInput = { admittedAt: '2026-03-02T08:00:00.000Z', kommun: 'Solna', placeringskommun: null };
const CREATE = {
  patient: { personnummer: TEST_PERSONNUMMER[0]!, name: 'Test Testsson', address: 'Testgatan 1, 123 45 Teststad' },
  kommun: 'Solna',
  admittedAt: '2026-03-02T08:00:00+01:00',
};
/** No focus traversal may grow past this many configurations (a guard against a state explosion). */
const NODE_CAP = 20_000;
/** …nor explore more than this many edges (xstate/graph throws 'Traversal limit exceeded'). */
const EDGE_CAP = 1_000_000;

type Focus = readonly string[];
const FOCI: readonly Focus[] = [
  ['slutenvard', 'oppenvard'],
  ['slutenvard', 'individ'],
  ['slutenvard', 'kommunal_hsl'],
  ['slutenvard', 'socialtjanst'],
];

const LEGAL_FRAME_EVENTS = new Set([
  'LPT_INTAKE_DECISION', 'LPT_EXTENDED', 'LPT_ENDED', 'OPT_DECIDED', 'CALL_COORDINATION_MEETING',
  'JUDGMENT_FINAL', 'COURT_REVIEW_HELD', 'ORV_DECIDED', 'LRV_ENDED_BY_CHIEF_PHYSICIAN',
]);
const READY_GATE_EVENTS = new Set(['LPT_INTAKE_DECISION', 'OPT_DECIDED', 'ORV_DECIDED']);
const CRITERIA = new Set<string>(READY_CRITERIA);

function lanesOf(value: unknown): Record<string, unknown> {
  return (value as { aktiv?: Record<string, unknown> }).aktiv ?? {};
}

/**
 * Consent and menprövning up to what guards and later consent events can tell apart (I-2 … I-5):
 * a menprövning makes an unknown consent status behave as a refusal, and once consent is decided a
 * negative menprövning behaves as none.
 */
function consentClass(c: CaseContext): [string, boolean | null] {
  const menprovning = c.consent.menprovning?.disclosureAllowed ?? null;
  const status = c.consent.status === 'unknown' && menprovning !== null ? 'refused' : c.consent.status;
  return [status, status !== 'unknown' && menprovning === false ? null : menprovning];
}

/**
 * Needs as guards see them (C-1, S-2, S-3, C-9): before the notice, the assessment itself (it sets
 * the routing); after it, only whether the needs fit the pathway and which recipients are missing.
 */
function needsClass(definition: PathwayDefinition, c: CaseContext): unknown {
  const n = c.needs;
  if (!c.admissionNotice) return [n.assessedAt !== null, n.kommun, n.oppenvard, n.socialtjanst, n.kommunalHsl, n.lifeThreatening].map(Number).join('');
  const sent = c.admissionNotice.recipients;
  const fits = GUARDS.needsFitPathway.check(c, { type: 'ASSESS_NEEDS', at: AT } as CaseEvent, { definition });
  return [fits, n.lifeThreatening, noticeRouting(definition, n).recipients.filter((p) => !sent.includes(p)).sort()];
}

/** The guard-relevant facts of a context; consent in full only where den enskilde is in focus. */
function facts(definition: PathwayDefinition, context: CaseContext, fullConsent: boolean): unknown[] {
  const c = context;
  return [
    needsClass(definition, c),
    c.admissionNotice ? [[...c.admissionNotice.recipients].sort(), [...c.admissionNotice.informed].sort()] : null,
    READY_CRITERIA.filter((k) => c.criteria[k] !== null).length,
    fullConsent ? consentClass(c) : [disclosureAllowed(c), c.consent.status !== 'unknown' || c.consent.menprovning !== null],
    c.careContact ? (c.careContact.licensedPhysician ? 'L' : 'N') : null,
    [c.sip.calledAt, c.sip.establishedAt, c.refusals.sip, c.dischargedAt, c.followUpContactAt].map((x) => Number(x !== null)).join(''),
    // S-3 GRÖN: an existing SIP either suffices or not (no review, none, or one needing an update).
    c.sip.existing?.exists === true && !c.sip.existing.needsUpdate,
    [c.lpt.intakeAt, c.lpt.endedAt ?? c.lpt.optDecidedAt, c.lrv.judgmentFinalAt, c.lrv.orvDecidedAt ?? c.lrv.endedByChiefPhysicianAt]
      .map((x) => Number(x !== null)).join(''),
  ];
}

const digests = new WeakMap<AnyMachineSnapshot, Map<Focus, string>>();
function digest(definition: PathwayDefinition, snapshot: AnyMachineSnapshot, focus: Focus): string {
  let byFocus = digests.get(snapshot);
  if (!byFocus) digests.set(snapshot, (byFocus = new Map()));
  let key = byFocus.get(focus);
  if (key === undefined) {
    const lanes = lanesOf(snapshot.value);
    key = snapshot.status !== 'active'
      ? 'avslutad'
      : JSON.stringify([focus.map((lane) => lanes[lane]), facts(definition, snapshot.context as CaseContext, focus.includes('individ'))]);
    byFocus.set(focus, key);
  }
  return key;
}

function accepts(machine: AnyStateMachine, snapshot: AnyMachineSnapshot, event: CaseEvent): boolean {
  return snapshot.status === 'active' && machine.getTransitionData(snapshot, event as never).length > 0;
}

/** Whether the traversal of `focus` offers `event` in `snapshot` (the canonical order above). */
function scheduled(definition: PathwayDefinition, focus: Focus, snapshot: AnyMachineSnapshot, event: CaseEvent): boolean {
  const context = snapshot.context as CaseContext;
  const inpatient = lanesOf(snapshot.value).slutenvard;
  const fields = event as unknown as Record<string, unknown>;
  // C-5 criteria are confirmed in one burst: once begun, nothing else happens until all three are.
  const nextCriterion = READY_CRITERIA.find((k) => context.criteria[k] === null);
  const confirmed = READY_CRITERIA.filter((k) => context.criteria[k] !== null).length;
  if (confirmed > 0 && nextCriterion !== undefined && inpatient === 'vardtid') return event.type === 'CONFIRM' && fields.item === nextCriterion;
  switch (event.type) {
    case 'DIE':
      return false; // C-7: checked on its own below; the traversal closes cases the regular way
    case 'CONFIRM':
      if (!CRITERIA.has(String(fields.item))) return false; // C-11 checklist: no guard reads it
      return inpatient === 'vardtid' && fields.item === nextCriterion;
    case 'ASSESS_NEEDS':
      // Which municipal units have needs only matters to their own lanes (S-2, S-3 routing).
      if (fields.kommunalHsl === false && !focus.includes('kommunal_hsl')) return false;
      if (fields.socialtjanst === false && !focus.includes('socialtjanst')) return false;
      if (context.admissionNotice === null) return true;
      {
        // After the notice, only a reassessment that brings new recipients (supplementary notice, C-1).
        const sent = context.admissionNotice.recipients;
        const next = ACTIONS.recordNeeds.run(context, event);
        return noticeRouting(definition, next.needs).recipients.some((p) => !sent.includes(p));
      }
    case 'REVIEW_EXISTING_SIP':
      return context.sip.existing === null;
    case 'ACKNOWLEDGE':
    case 'SEND_STATUS':
      return fields.party === 'slutenvard' || focus.includes(String(fields.party));
    case 'FOLLOW_UP_SIP':
      return focus.includes('oppenvard');
    case 'RECORD_CONSENT':
      // Outside den enskildes focus, consent is simply given (or the SIP declined, below).
      return focus.includes('individ') || fields.given === true;
    case 'RECORD_MENPROVNING':
    case 'WITHDRAW_CONSENT':
      return focus.includes('individ');
    default:
      if (!LEGAL_FRAME_EVENTS.has(event.type)) return true;
      // The legal frame's decisions during the stay; outside the öppenvård focus only those that
      // open the ready gate (V-L4, V-O5).
      return inpatient === 'vardtid' && (focus.includes('oppenvard') || READY_GATE_EVENTS.has(event.type));
  }
}

interface Traversal {
  focus: Focus;
  paths: StatePath<AnyMachineSnapshot, CaseEvent>[];
  /** Digest → digests reachable in one step (DIE is never traversed). */
  edges: Map<string, Set<string>>;
}

interface Analysis {
  definition: PathwayDefinition;
  machine: AnyStateMachine;
  samples: CaseEvent[];
  traversals: Traversal[];
}

function traverse(definition: PathwayDefinition, focus: Focus, samples: CaseEvent[]): Traversal {
  const machine = machineFor(definition);
  const edges = new Map<string, Set<string>>();
  const handled = new Map<string, CaseEvent[]>();
  const offered = (value: unknown) => {
    const key = JSON.stringify(value);
    let events = handled.get(key);
    if (!events) {
      const types = new Set<string>(activeTransitions(definition, value).map((a) => a.transition.event));
      events = samples.filter((e) => types.has(e.type));
      handled.set(key, events);
    }
    return events;
  };
  const paths = getShortestPaths(machine, {
    input: INPUT,
    limit: EDGE_CAP,
    events: (snapshot) => offered(snapshot.value),
    filterEvents: (snapshot, event) => scheduled(definition, focus, snapshot, event as CaseEvent) && accepts(machine, snapshot, event as CaseEvent),
    // xstate/graph serialises every (previous state, event, next state) it explores: the edges.
    serializeState: (snapshot, event, previous) => {
      const key = digest(definition, snapshot, focus);
      if (previous && event) {
        const from = digest(definition, previous, focus);
        let next = edges.get(from);
        if (!next) edges.set(from, (next = new Set()));
        next.add(key);
      }
      return key;
    },
  }) as unknown as StatePath<AnyMachineSnapshot, CaseEvent>[];
  if (paths.length > NODE_CAP) throw new Error(`${definition.id} ${focus.join('+')}: ${paths.length} configurations`);
  return { focus, paths, edges };
}

const analyses = new Map<PathwayId, Analysis>();
function analysis(id: PathwayId): Analysis {
  let found = analyses.get(id);
  if (!found) {
    const definition = PATHWAYS[id];
    const samples = sampleEvents(definition, { checklist: true }).map((s) => s.make(AT));
    found = { definition, machine: machineFor(definition), samples, traversals: FOCI.map((focus) => traverse(definition, focus, samples)) };
    analyses.set(id, found);
  }
  return found;
}

/**
 * The leaves of a path's end state that the traversal's digest pins down: those of the lanes in its
 * focus (xstate/graph keeps one snapshot per digest, so other lanes may differ from the steps').
 */
function focusLeaves(t: Traversal, path: StatePath<AnyMachineSnapshot, CaseEvent>): string[] {
  return leafStates(path.state.value).filter((leaf) => leaf === 'avslutad' || t.focus.includes(leaf.split('.')[0]!));
}

function reachedLeaves(a: Analysis): Set<string> {
  const leaves = new Set<string>();
  for (const t of a.traversals) for (const p of t.paths) focusLeaves(t, p).forEach((l) => leaves.add(l));
  return leaves;
}

/** The shortest path (over all foci) whose end configuration contains `leaf`. */
function shortestTo(a: Analysis, leaf: string): StatePath<AnyMachineSnapshot, CaseEvent> | undefined {
  let best: StatePath<AnyMachineSnapshot, CaseEvent> | undefined;
  for (const t of a.traversals) {
    for (const p of t.paths) {
      if ((!best || p.steps.length < best.steps.length) && focusLeaves(t, p).includes(leaf)) best = p;
    }
  }
  return best;
}

const describeLabel = (d: PathwayDefinition) => `${d.id} (${d.colour.name}${d.policy.coveredByLaw ? '' : ', S-1 outside the law'})`;

describe.each(Object.keys(PATHWAYS) as PathwayId[])('%s', (id) => {
  const definition = PATHWAYS[id];
  beforeAll(() => { analysis(id); }, 120_000);

  it(`${id}: the sample events cover every event type and match variant of the definition`, () => {
    const { samples } = analysis(id);
    const missing = matchVariants(definition)
      .filter((v) => v.event !== 'RECLASSIFY') // C-9: handled by the engine, not traversed
      .filter((v) => !samples.some((e) => e.type === v.event && matches(e as unknown as Record<string, unknown>, v.match)))
      .map((v) => `${v.event}${JSON.stringify(v.match ?? {})}`);
    expect(missing, describeLabel(definition)).toEqual([]);
  });

  it(`${id}: every state is reachable (S-1, S-2, S-3, C-5, C-10, I-2)`, () => {
    const reached = reachedLeaves(analysis(id));
    const unreachable = allLeafStates(definition).filter((l) => !reached.has(l));
    expect(unreachable, `unreachable states of ${describeLabel(definition)}`).toEqual([]);
  });

  it(`${id}: every sample event is accepted in some reached configuration (no dead transition variant)`, () => {
    const a = analysis(id);
    const configurations = a.traversals.flatMap((t) => t.paths.map((p) => p.state));
    const never = a.samples
      .filter((e) => !configurations.some((s) => accepts(a.machine, s, e)))
      .map((e) => { const { at: _at, ...rest } = e as unknown as Record<string, unknown>; return JSON.stringify(rest); });
    expect(never, `sample events never accepted in ${describeLabel(definition)}`).toEqual([]);
  });

  it(`${id}: DIE is accepted in every reached active configuration (C-7)`, () => {
    const a = analysis(id);
    const die = { type: 'DIE', at: AT } as CaseEvent;
    const refused = a.traversals.flatMap((t) => t.paths.map((p) => p.state))
      .filter((s) => s.status === 'active' && !accepts(a.machine, s, die))
      .map((s) => JSON.stringify(s.value));
    expect(refused.slice(0, 5), `${refused.length} configurations refuse DIE`).toEqual([]);
  });

  it(`${id}: every reached configuration can reach avslutad without DIE (C-7 excluded; S-7/C-8 close, V-O6)`, () => {
    const stuck: string[] = [];
    for (const t of analysis(id).traversals) {
      // Backwards from the final state over the traversed edges (none of which is DIE).
      const reverse = new Map<string, string[]>();
      for (const [from, tos] of t.edges) for (const to of tos) reverse.set(to, [...(reverse.get(to) ?? []), from]);
      const canClose = new Set<string>(['avslutad']);
      const queue = ['avslutad'];
      while (queue.length > 0) {
        for (const from of reverse.get(queue.shift()!) ?? []) {
          if (!canClose.has(from)) { canClose.add(from); queue.push(from); }
        }
      }
      for (const p of t.paths) {
        const key = digest(definition, p.state, t.focus);
        if (!canClose.has(key)) stuck.push(`${t.focus.join('+')}: ${leafStates(p.state.value).join(' ')} after ${p.steps.map((s) => s.event.type).join(', ')}`);
      }
    }
    expect(stuck.slice(0, 10), `${stuck.length} configurations of ${describeLabel(definition)} cannot close without DIE`).toEqual([]);
  });

  it(`${id}: the shortest path to each state is accepted event by event by the engine (C-9 routing, C-5, C-3)`, () => {
    const a = analysis(id);
    for (const leaf of allLeafStates(definition)) {
      const path = shortestTo(a, leaf);
      expect(path, `no path to ${leaf}`).toBeDefined();
      const created = createCase(shippedPathways, `graph-${id}`, { pathway: id, ...CREATE });
      if (!created.ok) throw new Error(JSON.stringify(created));
      let state: CaseState = created.state;
      for (const [i, { event }] of path!.steps.filter((s) => !s.event.type.startsWith('xstate.')).entries()) {
        const result = applyEvent(shippedPathways, state, event, AT);
        if (!result.ok) {
          throw new Error(`${id} → ${leaf}: step ${i + 1} ${JSON.stringify(event)} refused: ${JSON.stringify(result)}`);
        }
        state = result.state;
      }
      const view = caseView(shippedPathways, state, AT);
      if (leaf === 'avslutad') {
        expect(view.status, `${id} → ${leaf}`).toBe('closed');
        expect(view.state).toBe('avslutad');
      } else {
        expect(view.lanes.map((l) => `${l.lane}.${l.state}`), `${id} → ${leaf}`).toContain(leaf);
      }
    }
  });
});
