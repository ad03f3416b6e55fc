/**
 * The case view of the contract, derived from a case's snapshot, its log and the clock. Nothing in
 * it is stored: phase, deadlines, blockers, allowed events and liability are computed every time.
 */
import { dischargeChecklist } from '../machines/checklist.ts';
import { currentReadyNotice, type CaseContext } from '../machines/context.ts';
import { deadlineStatus, deriveDeadlines, type Deadline } from '../machines/deadlines.ts';
import { walkLanes, type PathwayDefinition } from '../machines/definition.ts';
import type { EventType, PathwayId } from '../machines/events.ts';
import type { PartyId, PhaseId } from '../machines/parties.ts';
import type { Instant, LocalDate } from './calendar.ts';
import { contextOf, type CaseState, type Patient, type PathwayRegistry } from './cases.ts';
import { explain, type AllowedAction, type Blocker } from './explain.ts';
import { paymentLiability, type PaymentLiability } from './liability.ts';

/** A deadline as the view shows it: its facts, its status at the view's time (K-7), and by how much. */
export interface DeadlineView extends Omit<Deadline, 'metAt' | 'cancelledAt'> {
  status: ReturnType<typeof deadlineStatus>;
  metAt?: Instant;
  /** When the duty lapsed unmet (a revoked ready notice, a closed case). */
  cancelledAt?: Instant;
  /** K-7: minutes past due (overdue), or how late it was met. */
  overdueMinutes?: number;
  lateMinutes?: number;
}

/** A case as `GET /api/cases` lists it. */
export interface CaseSummary {
  id: string;
  pathway: string;
  pathwayVersion: number;
  status: string;
  phase: string;
  kommun: string;
  admittedAt: string;
  updatedAt: string;
  version: number;
  /** Null where the reader may not see who the patient is. */
  patientName: string | null;
}

export interface LaneView {
  lane: string;
  party: PartyId;
  state: string;
  label: string;
  phase: PhaseId;
}

export interface CaseView {
  id: string;
  pathway: PathwayId;
  pathwayVersion: number;
  /** The case's version: the number of accepted events (for If-Match / expectedVersion). */
  version: number;
  status: 'active' | 'closed';
  closedReason: string | null;
  phase: PhaseId;
  state: unknown;
  lanes: LaneView[];
  expectedDischargeDate: LocalDate | null;
  deadlines: DeadlineView[];
  blockers: Blocker[];
  allowedEvents: EventType[];
  allowedActions: AllowedAction[];
  paymentLiability: PaymentLiability;
  /** Each accepted event: its party, and the unit that reported it (null before identity). */
  history: { seq: number; at: Instant; type: string; by: PartyId; unit: string | null; pathway: PathwayId; detail?: string }[];
  patient: Patient;
  kommun: string;
  placeringskommun: string | null;
  admittedAt: Instant;
  careContact: CaseContext['careContact'];
  /** S-9: the organisation where the care contact is to be appointed, where the region says so. */
  careContactOrganisation: string | null;
  consent: CaseContext['consent'];
  admissionNotice: CaseContext['admissionNotice'];
  readyAt: Instant | null;
  dischargedAt: Instant | null;
  sip: CaseContext['sip'];
  refusals: CaseContext['refusals'];
  criteria: CaseContext['criteria'];
  checklist: CaseContext['checklist'];
  /** C-11 / V-2 / V-3: the ward's duties at discharge, with when each was confirmed. */
  dischargeChecklist: { item: string; label: string; rule: string; doneAt: Instant | null }[];
}

const minutes = (from: Instant, to: Instant) => Math.round((Date.parse(to) - Date.parse(from)) / 60_000);

/** Each lane's (and sub-lane's) current state with its Swedish label and phase. */
export function laneStates(definition: PathwayDefinition, value: unknown): LaneView[] {
  const out: LaneView[] = [];
  walkLanes(definition.lanes, {
    state: (state, key, region, path) => out.push({ lane: path, party: region.meta.party, state: key, label: state.meta.label, phase: state.meta.phase }),
  }, value);
  return out;
}

/** The case's phase: the inpatient lane's, which alone moves a case through the routine's columns. */
function phaseOf(lanes: LaneView[], context: CaseContext): PhaseId {
  const inpatient = lanes.find((l) => l.lane === 'slutenvard');
  if (inpatient) return inpatient.phase;
  if (context.dischargedAt) return 'hemgang';
  if (currentReadyNotice(context)) return 'utskrivningsklar';
  return context.admissionNotice ? 'vardtid' : 'inskrivning';
}

export function caseView(registry: PathwayRegistry, state: CaseState, now: Instant): CaseView {
  const { definition, snapshot, context } = contextOf(registry, state);
  const closed = snapshot.status !== 'active';
  const lanes = laneStates(definition, snapshot.value);
  const deadlines = deriveDeadlines(definition, context);
  const { allowed, blockers } = closed ? { allowed: [], blockers: [] } : explain(definition, context, snapshot.value, now);
  const organisation = definition.parameters.careContactOrganisation[state.info.kommun];
  return {
    id: state.info.id,
    pathway: state.pathway,
    pathwayVersion: state.pathwayVersion,
    version: state.log.length,
    status: closed ? 'closed' : 'active',
    closedReason: context.closed?.reason ?? null,
    phase: phaseOf(lanes, context),
    state: snapshot.value,
    lanes,
    expectedDischargeDate: context.expectedDischargeDate,
    deadlines: deadlines.map((d) => {
      const status = deadlineStatus(d, now);
      const view: DeadlineView = {
        id: d.id, rule: d.rule, party: d.party, label: d.label, limit: d.limit, startedAt: d.startedAt, due: d.due, status,
      };
      if (d.metAt) {
        view.metAt = d.metAt;
        if (d.metAt > d.due) view.lateMinutes = minutes(d.due, d.metAt);
      } else if (status === 'overdue') {
        view.overdueMinutes = minutes(d.due, d.cancelledAt ?? now);
      }
      if (d.cancelledAt) view.cancelledAt = d.cancelledAt;
      return view;
    }),
    blockers,
    allowedEvents: [...new Set(allowed.map((a) => a.event))],
    allowedActions: allowed,
    paymentLiability: paymentLiability(definition, context, deadlines, now),
    history: [
      ...state.log.map(({ seq, at, type, by, pathway, actor }) => ({ seq, at, type, by, unit: actor?.unitName ?? null, pathway })),
      // Migrations to a newer pathway version (issue 6), with the mapping in `detail`.
      ...(state.info.migrations ?? []).map((m) => ({
        seq: 0, at: m.at, type: 'MIGRATE', by: 'slutenvard' as PartyId, unit: m.by, pathway: state.pathway,
        detail: `version ${m.from} → ${m.to}${Object.keys(m.mapping).length ? `: ${Object.entries(m.mapping).map(([a, b]) => `${a} → ${b}`).join(', ')}` : ''}`,
      })),
    ].sort((a, b) => a.at.localeCompare(b.at) || a.seq - b.seq),
    patient: state.info.patient,
    kommun: state.info.kommun,
    placeringskommun: state.info.placeringskommun,
    admittedAt: state.info.admittedAt,
    careContact: context.careContact,
    careContactOrganisation: organisation ? (context.needs.basalHemsjukvard ? organisation.basalHemsjukvard : organisation.otherwise) : null,
    consent: context.consent,
    admissionNotice: context.admissionNotice,
    readyAt: currentReadyNotice(context)?.declaredAt ?? null,
    dischargedAt: context.dischargedAt,
    sip: context.sip,
    refusals: context.refusals,
    criteria: context.criteria,
    checklist: context.checklist,
    dischargeChecklist: dischargeChecklist(definition).map((entry) => ({ ...entry, doneAt: context.checklist[entry.item] ?? null })),
  };
}
