/**
 * A pathway definition is data: lanes (one parallel region per party), states, transitions and
 * their meta, plus the pathway's parameters. Guards and actions are referenced by name from the
 * catalogue (`guards.ts`, `actions.ts`); `compile.ts` turns a definition into an XState machine.
 * The designer, the API and the blocker explanation all read this same structure.
 */
import type { Duration } from '../engine/calendar.ts';
import type { EventType, PathwayId } from './events.ts';
import type { PartyId, PhaseId } from './parties.ts';

/** Internal events one lane raises for the others to react to; never sent by clients. */
export const INTERNAL_EVENTS = [
  'notice.sent', 'ready.declared', 'ready.revoked', 'discharged', 'sip.refused', 'case.reclassified',
] as const;
export type InternalEventType = (typeof INTERNAL_EVENTS)[number];

export interface Labelled {
  label: string;
  labelEn: string;
}

export interface GuardRef {
  type: string;
  params?: Record<string, string | number | boolean>;
}

export interface ActionRef {
  type: string;
  params?: Record<string, string | number | boolean | null>;
}

export interface TransitionDef {
  event: EventType | InternalEventType;
  /** Payload values that route the event to this transition (which party acknowledges, …). */
  match?: Record<string, string | boolean>;
  /** Preconditions, all of which must hold; each names its rule and owning party. */
  guards?: GuardRef[];
  /** A sibling state key, `.child` from a region-level transition, or `#avslutad`. Absent: stays. */
  target?: string;
  actions?: ActionRef[];
  meta: Labelled & { party: PartyId; rules: string[] };
}

export interface StateDef {
  /** `terminal`: a lane's intended end before discharge (no way out on purpose). */
  meta: Labelled & { party: PartyId; phase: PhaseId; rules: string[]; description?: string; terminal?: boolean };
  on?: TransitionDef[];
}

/**
 * A lane (or sub-lane): either a sequence of states with an initial one, or parallel sub-regions
 * (the öppenvård lane runs the care contact and the SIP side by side).
 */
export type RegionDef = {
  meta: Labelled & { party: PartyId };
  /** Transitions handled in every state of the region. */
  on?: TransitionDef[];
} & (
  | { initial: string; states: Record<string, StateDef>; regions?: never }
  | { regions: Record<string, RegionDef>; initial?: never; states?: never }
);

export type Routing = 'none' | 'oneHuvudman' | 'bothHuvudman' | 'byNeeds';
/**
 * How a pathway handles the SIP: none; offered (may be called, never required); ifNeeded
 * (required unless an existing SIP suffices, S-3 GRÖN); required (given consent, S-3/V-3).
 */
export type SipPolicy = 'none' | 'offered' | 'ifNeeded' | 'required';

export interface PathwayPolicy {
  region: 'sth' | 'vrm';
  /** S-1: GRÅ is outside the law: no notice, no care contact, no SIP. */
  coveredByLaw: boolean;
  routing: Routing;
  sip: SipPolicy;
  /** S-4: the (initial) SIP is held at the hospital before discharge, given consent. */
  sipBeforeDischarge: boolean;
  /** V-3: the SIP call is due before the expected discharge date. */
  sipCallBeforeExpectedDischarge: boolean;
  /** What the discharge status message (V-1) is timed against, and whether it is required. */
  statusBeforeDischarge: null | { relativeTo: 'expectedDischarge' | 'sipMeeting' | 'coordinationMeeting'; required: boolean };
  /** Extra precondition of the ready notice: V-L4 (LPT/ÖPT) or V-O5 (LRV/ÖRV). */
  readyGate: null | 'compulsoryCareResolved' | 'forensicReleaseDecided';
  /** Psychiatric legal frame that sets the expected discharge date. */
  legalFrame: null | 'lpt' | 'lrv';
  /** Label of the slutenvård lane (rättspsykiatrin in LRV). */
  inpatientLabel?: Labelled;
}

export interface PathwayParameters {
  /** C-1 / K-3 */
  admissionNoticeWithin: Duration;
  /** C-2 / K-2 */
  acknowledgeWithin: Duration | null;
  /** C-3: STH 24 h on weekdays; VRM "utan dröjsmål" (no fixed limit) */
  careContactWithin: Duration | null;
  /** C-8 / K-4 */
  followUpContactWithin: Duration;
  /** S-5 / B-2 */
  sipCallWithinAfterReady: { days: number } | null;
  /** V-1: the window before the reference date, in calendar days */
  statusMessageWindow: { earliestDaysBefore: number; latestDaysBefore: number };
  /** S-6 / B-1: ready notices before this local time make that day day zero */
  dayZeroCutoff: string | null;
  /** B-1: calendar days after the ready notice before liability can start */
  liabilityAfterDays: number | null;
  /** C-11: days of medicine to cover the pharmacy gap (STH) */
  medicationSupplyDays: number | null;
  /** C-11: weekdays of sondmat/näringsdryck */
  nutritionSupplyWeekdays: number;
  /** V-L1 */
  lptExpectedStay: { weeks: number } | null;
  /** V-L2 */
  lptReadmissionHolds: { days: number } | null;
  /** V-O1 */
  lrvInitialExpectedStay: { months: number } | null;
  /** V-O2: expected date and first funktionsbedömning after the judgment becomes final */
  lrvAfterJudgment: { months: number } | null;
  /** V-O3 */
  courtReviewInterval: { months: number } | null;
  /** S-8: a permission day is at least this many continuous hours away within the window */
  permission: { minHours: number; from: string; to: string } | null;
  /** S-9: per kommun, the organisation where the FVK is appointed */
  careContactOrganisation: Record<string, { basalHemsjukvard: string; otherwise: string }>;
}

export interface PathwayDefinition {
  id: PathwayId;
  version: number;
  label: string;
  labelEn: string;
  /** The routine's colour name (GRÅ, Grön, …) and a display colour. */
  colour: { name: string; hex: string };
  description: string;
  policy: PathwayPolicy;
  parameters: PathwayParameters;
  /** One parallel region per party with duties, in swimlane order. */
  lanes: Record<string, RegionDef>;
  /** Case-level transitions (death, closing, reclassification). */
  on: TransitionDef[];
  /** Rule ids the pathway implements. */
  rules: string[];
}

export interface LaneVisitor {
  /** A state, with the region it belongs to and that region's path (`oppenvard.sip`). */
  state?(state: StateDef, key: string, region: RegionDef, path: string): void;
  /** A region (lane or sub-lane), after its states and sub-regions. */
  region?(region: RegionDef, path: string): void;
}

/**
 * Walks the lanes depth first. Given a snapshot `value`, visits only the active state of each
 * region (nothing when the case is closed); without one, every state.
 */
export function walkLanes(lanes: Record<string, RegionDef>, visitor: LaneVisitor, value?: unknown): void {
  let active: Record<string, unknown> | undefined;
  if (value !== undefined) {
    if (typeof value !== 'object' || value === null || !('aktiv' in value)) return;
    active = (value as { aktiv: Record<string, unknown> }).aktiv;
  }
  const visit = (region: RegionDef, path: string, v: unknown) => {
    if (region.regions) {
      for (const [key, sub] of Object.entries(region.regions)) visit(sub, `${path}.${key}`, (v as Record<string, unknown> | undefined)?.[key]);
    } else {
      for (const [key, state] of Object.entries(region.states)) if (!active || v === key) visitor.state?.(state, key, region, path);
    }
    visitor.region?.(region, path);
  };
  for (const [key, region] of Object.entries(lanes)) visit(region, key, active?.[key]);
}
