/**
 * Who may see and do what (issue 5), as pure functions shared by the HTTP layer, the event stream,
 * the worklist and the tests:
 *
 * - a case's *access keys* say which units are part of it: the admitting ward, and each recipient
 *   party of the admission notice (S-2, S-3) in the case's kommun or placeringskommun (B-4);
 * - a signed-in user reads a case through one *lens*: as a party of the case (staff), as the
 *   region's process owner (no patient identity), or as a developer (sandbox cases only);
 * - `gateView` applies I-1…I-4 to the case view: without consent or a positive menprövning, a
 *   party other than the admitting ward sees the minimal fields (name, personnummer, address,
 *   expected discharge date) and only its own and the ward's part of the process;
 * - `eventAuthority` says whose move an event is, from the pathway definition's own transitions.
 */
import { z } from 'zod';
import type { CaseContext } from '../machines/context.ts';
import { disclosureAllowed } from '../machines/context.ts';
import { walkLanes, type PathwayDefinition, type TransitionDef } from '../machines/definition.ts';
import { PARTY_LABELS, type PartyId } from '../machines/parties.ts';
import type { CaseInfo } from './cases.ts';
import type { CaseView } from './caseView.ts';

export const ROLES = ['staff', 'process_owner', 'developer'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, { sv: string; en: string }> = {
  staff: { sv: 'Personal', en: 'Staff' },
  process_owner: { sv: 'Processägare', en: 'Process owner' },
  developer: { sv: 'Utvecklare', en: 'Developer' },
};

/** The parties a unit can belong to (the individual is not a unit). */
export const UNIT_PARTIES = ['slutenvard', 'oppenvard', 'kommunal_hsl', 'socialtjanst'] as const;
export type UnitParty = (typeof UNIT_PARTIES)[number];

export const REGIONS = ['sth', 'vrm'] as const;
export type Region = (typeof REGIONS)[number];

const name = z.string().trim().min(1).max(200);

export const unitSchema = z.object({
  id: z.string().regex(/^[\w.:-]{1,100}$/, 'enhetens id: 1–100 tecken (bokstäver, siffror, . _ : -)'),
  name,
  /** The unit's party; null for a unit with no part in cases (e.g. the region's process management). */
  party: z.enum(UNIT_PARTIES).nullable(),
  region: z.enum(REGIONS),
  /** For öppenvård and the kommun's units: the kommuner the unit serves. */
  kommuner: z.array(z.string().trim().min(1).max(100)).max(300).default([]),
});
export type Unit = z.output<typeof unitSchema>;

/** The signed-in user, as the token's claims give it. */
export const principalSchema = z.object({
  id: z.string().min(1).max(200),
  name,
  unit: unitSchema,
  roles: z.array(z.enum(ROLES)).min(1).max(3),
}).refine((p) => !p.roles.includes('staff') || p.unit.party !== null, { message: 'personal måste tillhöra en enhet med part', path: ['unit', 'party'] });
export type Principal = z.output<typeof principalSchema>;

export const regionOf = (pathway: string): Region => (pathway.startsWith('vrm') ? 'vrm' : 'sth');

const norm = (kommun: string) => kommun.trim().toLocaleLowerCase('sv-SE');

/** The parties that have received the admission notice (recipients and those told "för kännedom"). */
export function noticeParties(context: Pick<CaseContext, 'admissionNotice'>): PartyId[] {
  const notice = context.admissionNotice;
  return notice ? [...new Set([...notice.recipients, ...notice.informed])] : [];
}

/** The units that are part of a case, as keys: `unit:<ward>` and `<party>@<kommun>`. */
export function caseAccessKeys(info: Pick<CaseInfo, 'ward' | 'kommun' | 'placeringskommun'>, context: Pick<CaseContext, 'admissionNotice'>): string[] {
  const keys = new Set<string>();
  if (info.ward) keys.add(`unit:${info.ward}`);
  const kommuner = [info.kommun, ...(info.placeringskommun ? [info.placeringskommun] : [])].map(norm);
  for (const party of noticeParties(context)) for (const kommun of kommuner) keys.add(`${party}@${kommun}`);
  return [...keys].sort();
}

/** The keys a user's unit holds as staff (none without the staff role). */
export function principalKeys(principal: Principal): string[] {
  const { unit } = principal;
  if (!principal.roles.includes('staff') || unit.party === null) return [];
  if (unit.party === 'slutenvard') return [`unit:${unit.id}`];
  return [...new Set(unit.kommuner.map((k) => `${unit.party}@${norm(k)}`))];
}

/** How a user sees one case. */
export type Lens =
  | { kind: 'party'; party: UnitParty }
  | { kind: 'owner'; region: Region }
  | { kind: 'developer' };

export interface CaseAccess {
  keys: string[];
  sandbox: boolean;
  pathway: string;
}

/**
 * The lens a user reads a case through, or null when the case is none of the user's business
 * (answered as 404, so its existence is not revealed). Staff of a party of the case see it as that
 * party; otherwise the region's process owner sees it without identity; developers see sandbox
 * cases only, and only developers see them.
 */
export function lensFor(principal: Principal, access: CaseAccess): Lens | null {
  if (access.sandbox) return principal.roles.includes('developer') ? { kind: 'developer' } : null;
  const mine = new Set(principalKeys(principal));
  if (mine.size > 0 && access.keys.some((k) => mine.has(k))) return { kind: 'party', party: principal.unit.party! };
  if (principal.roles.includes('process_owner') && principal.unit.region === regionOf(access.pathway)) return { kind: 'owner', region: principal.unit.region };
  return null;
}

// ---------------------------------------------------------------------------------------------
// Consent gating of the case view (I-1 … I-4)

/**
 * How each field of the case view is shown. Every field is classified (the type demands it):
 * - `case`: the case's course and its parties' duties in general terms, for every lens;
 * - `identity`: who the patient is (I-1), for the parties of the case, never for process owners;
 * - `parties`: a list (or the state value) whose items each belong to a party: without
 *   disclosure a party sees only its own items and the ward's, and socialtjänsten and kommunal
 *   hälso- och sjukvård nothing of each other's (I-3);
 * - `owned`: information about the individual held by one party, shared only with disclosure.
 *   `personal` fields name people and are never shown to process owners.
 */
export type FieldRule = { kind: 'case' } | { kind: 'identity' } | { kind: 'parties' } | { kind: 'owned'; owner: PartyId; personal?: boolean };

type ViewField = Exclude<keyof CaseView, 'access'>;

export const VIEW_FIELD_RULES: Record<ViewField, FieldRule> = {
  id: { kind: 'case' },
  pathway: { kind: 'case' },
  pathwayVersion: { kind: 'case' },
  version: { kind: 'case' },
  status: { kind: 'case' },
  closedReason: { kind: 'case' },
  phase: { kind: 'case' },
  kommun: { kind: 'case' },
  placeringskommun: { kind: 'case' },
  admittedAt: { kind: 'case' },
  expectedDischargeDate: { kind: 'case' },
  consent: { kind: 'case' },
  readyAt: { kind: 'case' },
  dischargedAt: { kind: 'case' },
  patient: { kind: 'identity' },
  state: { kind: 'parties' },
  lanes: { kind: 'parties' },
  deadlines: { kind: 'parties' },
  blockers: { kind: 'parties' },
  allowedEvents: { kind: 'parties' },
  allowedActions: { kind: 'parties' },
  history: { kind: 'parties' },
  admissionNotice: { kind: 'parties' },
  careContact: { kind: 'owned', owner: 'oppenvard', personal: true },
  careContactOrganisation: { kind: 'owned', owner: 'oppenvard' },
  sip: { kind: 'owned', owner: 'oppenvard' },
  refusals: { kind: 'owned', owner: 'slutenvard' },
  criteria: { kind: 'owned', owner: 'slutenvard' },
  checklist: { kind: 'owned', owner: 'slutenvard' },
  dischargeChecklist: { kind: 'owned', owner: 'slutenvard' },
  // B-3 reasons tell of needs and refusals; the kommun's money is followed up in the reports (aggregates).
  paymentLiability: { kind: 'owned', owner: 'slutenvard' },
};

export interface AccessNote {
  lens: Lens['kind'];
  party: UnitParty | null;
  /** Consent given or a positive menprövning (I-2) — as of the time of the view (I-4). */
  disclosure: boolean;
  /** Fields left out (null). */
  hidden: ViewField[];
  /** Lists cut down to the parties this reader may see. */
  filtered: ViewField[];
  /** The rule behind what is hidden, if anything is. */
  rule: 'I-3' | null;
  note: string;
  noteEn: string;
}

type Hideable = 'patient' | 'careContact' | 'careContactOrganisation' | 'sip' | 'refusals' | 'criteria' | 'checklist' | 'dischargeChecklist' | 'paymentLiability';

export type GatedCaseView = Omit<CaseView, Hideable> & { [K in Hideable]: CaseView[K] | null }
  & { access: AccessNote };

/** The parties whose items a reader sees, or null for all. */
function visibleParties(lens: Lens, disclosure: boolean): Set<PartyId> | null {
  if (lens.kind !== 'party' || disclosure || lens.party === 'slutenvard') return null;
  return new Set<PartyId>([lens.party, 'slutenvard', 'individ']);
}

function fieldVisible(rule: FieldRule, lens: Lens, disclosure: boolean): boolean {
  switch (rule.kind) {
    case 'case':
    case 'parties':
      return true;
    case 'identity':
      return lens.kind !== 'owner';
    case 'owned':
      if (lens.kind === 'developer') return true;
      if (lens.kind === 'owner') return !rule.personal && disclosure;
      return disclosure || lens.party === 'slutenvard' || lens.party === rule.owner;
  }
}

/** The state value with only the lanes whose party the reader may see. */
function filterState(state: unknown, laneParty: Map<string, PartyId>, parties: Set<PartyId>): unknown {
  if (typeof state !== 'object' || state === null || !('aktiv' in state)) return state;
  const aktiv = (state as { aktiv: Record<string, unknown> }).aktiv;
  return { aktiv: Object.fromEntries(Object.entries(aktiv).filter(([lane]) => parties.has(laneParty.get(lane) ?? 'slutenvard'))) };
}

function filterParties(view: CaseView, field: ViewField, parties: Set<PartyId>): unknown {
  const laneParty = new Map(view.lanes.map((l) => [l.lane.split('.')[0]!, l.party]));
  const keep = (party: PartyId) => parties.has(party);
  // A variant addressed to a party (an acknowledgement, a status message) belongs to that party too.
  const addresses = (match: Record<string, string | boolean> | undefined) => typeof match?.party !== 'string' || keep(match.party as PartyId);
  switch (field) {
    case 'state': return filterState(view.state, laneParty, parties);
    case 'lanes': return view.lanes.filter((l) => keep(l.party));
    case 'deadlines': return view.deadlines.filter((d) => keep(d.party));
    case 'blockers': return view.blockers.filter((b) => keep(b.party) && addresses(b.match));
    case 'allowedActions': return view.allowedActions.filter((a) => keep(a.party) && addresses(a.match));
    case 'allowedEvents': return [...new Set(view.allowedActions.filter((a) => keep(a.party) && addresses(a.match)).map((a) => a.event))];
    case 'history': return view.history.filter((h) => keep(h.by));
    case 'admissionNotice': {
      const notice = view.admissionNotice;
      return notice && { ...notice, recipients: notice.recipients.filter(keep), informed: notice.informed.filter(keep) };
    }
    default: return view[field];
  }
}

const NOTES = {
  full: { sv: 'Du ser hela ärendet.', en: 'You see the whole case.' },
  gated: {
    sv: 'Samtycke saknas och menprövningen medger inte utlämnande (I-3): du ser namn, personnummer, folkbokföringsadress, beräknat utskrivningsdatum och din egen del av processen.',
    en: 'No consent and the menprövning does not allow disclosure (I-3): you see name, personnummer, address, expected discharge date and your own part of the process.',
  },
  owner: { sv: 'Processägarvy: ärendets förlopp utan uppgifter som identifierar patienten.', en: 'Process owner view: the course of the case without data that identify the patient.' },
  ownerGated: {
    sv: 'Processägarvy utan patientens identitet; uppgifter om behov visas inte utan samtycke (I-3).',
    en: 'Process owner view without the patient\'s identity; information about needs is not shown without consent (I-3).',
  },
  developer: { sv: 'Sandlådeärende med syntetiska uppgifter.', en: 'Sandbox case with synthetic data.' },
} as const;

/** The case view as `lens` may see it now. */
export function gateView(view: CaseView, lens: Lens): GatedCaseView {
  const disclosure = disclosureAllowed(view);
  const parties = visibleParties(lens, disclosure);
  const out: Record<string, unknown> = {};
  const hidden: ViewField[] = [];
  const filtered: ViewField[] = [];
  for (const field of Object.keys(VIEW_FIELD_RULES) as ViewField[]) {
    const rule = VIEW_FIELD_RULES[field];
    if (!fieldVisible(rule, lens, disclosure)) {
      out[field] = null;
      hidden.push(field);
    } else if (rule.kind === 'parties' && parties) {
      out[field] = filterParties(view, field, parties);
      filtered.push(field);
    } else {
      out[field] = view[field];
    }
  }
  const gated = !disclosure && (hidden.length > 0 || filtered.length > 0) && lens.kind !== 'developer';
  const note = lens.kind === 'developer' ? NOTES.developer : lens.kind === 'owner' ? (disclosure ? NOTES.owner : NOTES.ownerGated) : gated ? NOTES.gated : NOTES.full;
  out.access = {
    lens: lens.kind, party: lens.kind === 'party' ? lens.party : null, disclosure, hidden, filtered,
    rule: gated ? 'I-3' : null, note: note.sv, noteEn: note.en,
  } satisfies AccessNote;
  return out as GatedCaseView;
}

// ---------------------------------------------------------------------------------------------
// Whose move an event is

export interface Authority {
  /** The parties the routine gives the event to (from the definition's transitions). */
  parties: PartyId[];
  /** The rules of those transitions. */
  rules: string[];
  /** The individual's own moves (e.g. declining a SIP) are recorded by any party of the case. */
  anyParty: boolean;
}

function transitionsFor(definition: PathwayDefinition, type: string): TransitionDef[] {
  const out: TransitionDef[] = [];
  const take = (t: TransitionDef) => t.event === type && out.push(t);
  walkLanes(definition.lanes, {
    state: (state) => state.on?.forEach(take),
    region: (region) => region.on?.forEach(take),
  });
  definition.on.forEach(take);
  return out;
}

/** Whose move `event` is in `definition`, or null if no transition of the pathway takes it. */
export function eventAuthority(definition: PathwayDefinition, event: { type: string } & Record<string, unknown>): Authority | null {
  const candidates = transitionsFor(definition, event.type);
  if (candidates.length === 0) return null;
  const matching = candidates.filter((t) => Object.entries(t.match ?? {}).every(([k, v]) => event[k] === v));
  // No variant addresses this payload: the machine refuses it (409) whoever sends it.
  if (matching.length === 0) return null;
  const parties = [...new Set(matching.map((t) => t.meta.party))];
  const rules = [...new Set(matching.flatMap((t) => t.meta.rules))];
  return { parties, rules, anyParty: parties.includes('individ') };
}

export type ActVerdict = { ok: true } | { ok: false; code: 'FORBIDDEN_PARTY' | 'FORBIDDEN_ROLE'; message: string; rules: string[]; parties: PartyId[] };

/** Whether a reader with `lens` may send `event` (the machine then decides whether it is allowed now). */
export function mayAct(lens: Lens, authority: Authority | null): ActVerdict {
  if (lens.kind === 'developer') return { ok: true };
  if (lens.kind === 'owner') {
    return { ok: false, code: 'FORBIDDEN_ROLE', message: 'Processägare läser ärenden men rapporterar inte händelser i dem', rules: [], parties: [] };
  }
  if (!authority || authority.anyParty || authority.parties.includes(lens.party)) return { ok: true };
  const owners = authority.parties.map((p) => PARTY_LABELS[p].sv.toLocaleLowerCase('sv-SE')).join(' eller ');
  return {
    ok: false, code: 'FORBIDDEN_PARTY', rules: authority.rules, parties: authority.parties,
    message: `Händelsen rapporteras av ${owners} enligt rutinen (${authority.rules.join(', ')}), inte av ${PARTY_LABELS[lens.party].sv.toLocaleLowerCase('sv-SE')}`,
  };
}

/** One entry of the access log: who read or did what, when, and through which route (the "why"). */
export interface AccessEntry {
  at: string;
  userId: string;
  userName: string;
  unitId: string;
  unitName: string;
  party: string | null;
  roles: string[];
  action: string;
  route: string;
  status: number;
  detail: string | null;
  caseIds: string[];
}
