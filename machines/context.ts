/**
 * The facts a case machine keeps: what happened and when, nothing derived. Deadlines, blockers and
 * liability are computed from these facts and the pathway's parameters (see `deadlines.ts`), so a
 * replayed or migrated case can never disagree with itself.
 */
import type { Instant, LocalDate } from '../engine/calendar.ts';
import type { ChecklistItem, PathwayId, ReadyCriterion } from './events.ts';
import type { PathwayDefinition } from './definition.ts';
import type { PartyId, RecipientParty } from './parties.ts';

export interface Needs {
  assessedAt: Instant | null;
  /** C-1: when needs after discharge were first identified, if later than admission. */
  firstIdentifiedAt: Instant | null;
  kommun: boolean;
  oppenvard: boolean;
  socialtjanst: boolean;
  kommunalHsl: boolean;
  lifeThreatening: boolean;
  basalHemsjukvard: boolean;
}

export type ConsentStatus = 'unknown' | 'given' | 'refused' | 'withdrawn';

export interface CaseContext {
  pathway: PathwayId;
  admittedAt: Instant;
  kommun: string;
  placeringskommun: string | null;
  needs: Needs;
  consent: { status: ConsentStatus; at: Instant | null; menprovning: null | { disclosureAllowed: boolean; at: Instant } };
  admissionNotice: null | {
    sentAt: Instant;
    recipients: RecipientParty[];
    /** S-2: öppenvård told "för kännedom" only. */
    informed: RecipientParty[];
    /** I-1: without consent or a positive menprövning the notice carries only the minimal fields. */
    content: 'full' | 'minimal';
  };
  expectedDischargeDate: LocalDate | null;
  expectedDischargeChanges: { date: LocalDate; at: Instant; reason: string }[];
  careContact: null | {
    name: string; phone: string; profession: string; licensedPhysician: boolean; unit: string | null; appointedAt: Instant;
  };
  criteria: Record<ReadyCriterion, Instant | null>;
  checklist: Partial<Record<ChecklistItem, Instant>>;
  readyNotices: { declaredAt: Instant; revokedAt: Instant | null }[];
  acknowledgements: { party: RecipientParty; of: 'ADMISSION_NOTICE' | 'READY' | 'SIP_CALL'; at: Instant; homeArrivalAt: Instant | null }[];
  statusMessages: { party: PartyId; phase: 'admission' | 'discharge'; at: Instant }[];
  sip: {
    existing: null | { exists: boolean; needsUpdate: boolean; at: Instant };
    calledAt: Instant | null;
    meetingAt: Instant | null;
    place: string | null;
    establishedAt: Instant | null;
    followUpAt: Instant | null;
    followUps: Instant[];
    closedAt: Instant | null;
  };
  refusals: { insatser: Instant | null; sip: Instant | null };
  dischargedAt: Instant | null;
  followUpContactAt: Instant | null;
  permissions: { from: Instant; to: Instant }[];
  lpt: { intakeAt: Instant | null; readmission: boolean; extendedUntil: LocalDate | null; endedAt: Instant | null; optDecidedAt: Instant | null };
  lrv: { judgmentFinalAt: Instant | null; courtReviews: Instant[]; orvDecidedAt: Instant | null; endedByChiefPhysicianAt: Instant | null };
  coordinationMeeting: null | { calledAt: Instant; meetingAt: Instant };
  reclassifications: { from: PathwayId; to: PathwayId; at: Instant }[];
  closed: null | { reason: string; at: Instant };
}

export interface CaseInput {
  admittedAt: Instant;
  kommun: string;
  placeringskommun?: string | null;
}

/** Needs implied by the pathway before any assessment (the colour is itself a classification). */
export function defaultNeeds(definition: PathwayDefinition): Needs {
  const { routing, coveredByLaw } = definition.policy;
  const both = coveredByLaw && (routing === 'bothHuvudman' || routing === 'byNeeds');
  return {
    assessedAt: null,
    firstIdentifiedAt: null,
    kommun: both,
    oppenvard: both,
    socialtjanst: both,
    kommunalHsl: both,
    lifeThreatening: false,
    basalHemsjukvard: false,
  };
}

export function initialContext(definition: PathwayDefinition, input: CaseInput): CaseContext {
  const { admittedAt } = input;
  return {
    pathway: definition.id,
    admittedAt,
    kommun: input.kommun,
    placeringskommun: input.placeringskommun ?? null,
    needs: defaultNeeds(definition),
    consent: { status: 'unknown', at: null, menprovning: null },
    admissionNotice: null,
    expectedDischargeDate: null,
    expectedDischargeChanges: [],
    careContact: null,
    criteria: { written_information: null, information_transferred: null, aids_available: null },
    checklist: {},
    readyNotices: [],
    acknowledgements: [],
    statusMessages: [],
    sip: { existing: null, calledAt: null, meetingAt: null, place: null, establishedAt: null, followUpAt: null, followUps: [], closedAt: null },
    refusals: { insatser: null, sip: null },
    dischargedAt: null,
    followUpContactAt: null,
    permissions: [],
    lpt: { intakeAt: null, readmission: false, extendedUntil: null, endedAt: null, optDecidedAt: null },
    lrv: { judgmentFinalAt: null, courtReviews: [], orvDecidedAt: null, endedByChiefPhysicianAt: null },
    coordinationMeeting: null,
    reclassifications: [],
    closed: null,
  };
}

/** The current (not revoked) ready notice, if any. */
export function currentReadyNotice(context: CaseContext): CaseContext['readyNotices'][number] | null {
  const last = context.readyNotices.at(-1);
  return last && last.revokedAt === null ? last : null;
}

/** Consent given, or a menprövning that allows disclosure (I-2). */
export function disclosureAllowed(context: Pick<CaseContext, 'consent'>): boolean {
  if (context.consent.status === 'given') return true;
  if (context.consent.status === 'withdrawn') return false;
  return context.consent.menprovning?.disclosureAllowed === true;
}

/** Which recipient parties the admission notice goes to, and which only for information (S-2, S-3). */
export function noticeRouting(definition: PathwayDefinition, needs: Needs): { recipients: RecipientParty[]; informed: RecipientParty[] } {
  const kommunParties: RecipientParty[] = [];
  if (needs.kommun && needs.kommunalHsl) kommunParties.push('kommunal_hsl');
  if (needs.kommun && needs.socialtjanst) kommunParties.push('socialtjanst');
  switch (definition.policy.routing) {
    case 'none':
      return { recipients: [], informed: [] };
    case 'oneHuvudman':
      // S-2: kommun needs → kommun, and öppenvård "för kännedom"; öppenvård only → öppenvård only.
      if (needs.kommun) return { recipients: kommunParties, informed: needs.oppenvard ? [] : ['oppenvard'] };
      return { recipients: needs.oppenvard ? ['oppenvard'] : [], informed: [] };
    case 'bothHuvudman':
      return { recipients: ['oppenvard', ...kommunParties], informed: [] };
    case 'byNeeds':
      return { recipients: [...(needs.oppenvard ? (['oppenvard'] as const) : []), ...kommunParties], informed: [] };
  }
}

/** S-2/S-3: a care contact is appointed where öppenvård has insatser (every covered pathway but BLÅ kommun-only). */
export function careContactRequired(context: CaseContext): boolean {
  return context.admissionNotice?.recipients.includes('oppenvard') ?? false;
}

/**
 * Whether a SIP must be called (S-3, S-4, V-3): the pathway requires one, a care contact exists to
 * call it, and the individual allows it (I-3, I-5) and has not declined it (C-10).
 */
export function sipRequired(definition: PathwayDefinition, context: CaseContext): boolean {
  const { sip } = definition.policy;
  if (sip === 'none' || sip === 'offered') return false;
  if (sip === 'ifNeeded' && context.sip.existing?.exists && !context.sip.existing.needsUpdate) return false;
  return careContactRequired(context) && disclosureAllowed(context) && context.refusals.sip === null;
}
