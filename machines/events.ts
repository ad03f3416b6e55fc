/**
 * The message catalogue: every event a case accepts, with its payload schema and Swedish label.
 * These schemas validate requests (HTTP, CLI, scenarios), generate the simulator's forms and the
 * OpenAPI document; nothing else describes an event's shape.
 */
import { z } from 'zod';
import { sv } from 'zod/v4/locales';
import { isLocalDate, parseInstant, type Instant, type LocalDate } from '../engine/calendar.ts';
import { PARTY_IDS, RECIPIENT_PARTIES } from './parties.ts';

// Validation messages reach staff: Swedish, like the rest of what they read (field names stay as they are).
z.config(sv());

export const PATHWAY_IDS = [
  'sth-gra', 'sth-bla', 'sth-gron', 'sth-gul', 'sth-rod',
  'vrm-gron', 'vrm-gul', 'vrm-rod', 'vrm-lila', 'vrm-orange',
] as const;
export type PathwayId = (typeof PATHWAY_IDS)[number];

export const instantSchema = z
  .string()
  .transform((text, ctx): Instant => {
    const instant = parseInstant(text);
    if (instant === null) {
      ctx.addIssue({ code: 'custom', message: 'Ogiltig tidpunkt: ange ISO 8601, t.ex. 2026-03-06T14:00:00+01:00' });
      return z.NEVER;
    }
    return instant;
  })
  .meta({ format: 'date-time' });

export const localDateSchema = z
  .string()
  .refine((text): text is LocalDate => isLocalDate(text), { message: 'Ogiltigt datum: ange ÅÅÅÅ-MM-DD' })
  .meta({ format: 'date' });

const text = (max: number) => z.string().trim().min(1, 'Får inte vara tomt').max(max, `Högst ${max} tecken`);

/** C-5 (a)–(d) criteria, plus the optional discharge checklist items of C-11, V-2, V-3 and V-O2. */
export const READY_CRITERIA = ['written_information', 'information_transferred', 'aids_available'] as const;
export const CHECKLIST_ITEMS = [
  'epikris', 'medication_list', 'medication_supply', 'nutrition_supply', 'transport_booked',
  'home_arrival_agreed', 'planning_documented', 'remiss_sent', 'staff_training', 'function_assessment_shared',
] as const;
export type ReadyCriterion = (typeof READY_CRITERIA)[number];
export type ChecklistItem = (typeof CHECKLIST_ITEMS)[number];

const payloads = {
  ASSESS_NEEDS: z.object({
    kommun: z.boolean(),
    oppenvard: z.boolean(),
    lifeThreatening: z.boolean().optional(),
    /** Refines `kommun`: which municipal units have needs (both when omitted). */
    socialtjanst: z.boolean().optional(),
    kommunalHsl: z.boolean().optional(),
    /** S-9: enrolled in basal hemsjukvård (decides the FVK's organisation in Norrtälje). */
    basalHemsjukvard: z.boolean().optional(),
  }),
  RECORD_CONSENT: z.object({ given: z.boolean() }),
  RECORD_MENPROVNING: z.object({ disclosureAllowed: z.boolean() }),
  WITHDRAW_CONSENT: z.object({}),
  SEND_ADMISSION_NOTICE: z.object({ expectedDischargeDate: localDateSchema.optional() }),
  ACKNOWLEDGE: z.object({
    party: z.enum(RECIPIENT_PARTIES),
    of: z.enum(['ADMISSION_NOTICE', 'READY', 'SIP_CALL']),
    /** V-2: the time the kommun can receive the individual at home (with `of: READY`). */
    homeArrivalAt: instantSchema.optional(),
  }),
  SEND_STATUS: z.object({
    party: z.enum(PARTY_IDS.filter((p) => p !== 'individ') as ['slutenvard', 'oppenvard', 'kommunal_hsl', 'socialtjanst']),
    phase: z.enum(['admission', 'discharge']),
  }),
  APPOINT_CARE_CONTACT: z.object({
    name: text(200),
    phone: text(40),
    profession: text(100),
    licensedPhysician: z.boolean(),
    unit: text(200).optional(),
  }),
  SET_EXPECTED_DISCHARGE: z.object({ date: localDateSchema }),
  CONFIRM: z.object({ item: z.enum([...READY_CRITERIA, ...CHECKLIST_ITEMS]) }),
  CALL_SIP: z.object({ meetingAt: instantSchema, place: text(200).optional() }),
  ESTABLISH_SIP: z.object({ followUpAt: instantSchema.optional() }),
  FOLLOW_UP_SIP: z.object({ close: z.boolean().optional() }),
  REVIEW_EXISTING_SIP: z.object({ exists: z.boolean(), needsUpdate: z.boolean() }),
  DECLARE_READY: z.object({}),
  REVOKE_READY: z.object({ newExpectedDischargeDate: localDateSchema.optional() }),
  DISCHARGE: z.object({}),
  FOLLOW_UP_CONTACT: z.object({}),
  REFUSE: z.object({ what: z.enum(['insatser', 'sip']) }),
  RECLASSIFY: z.object({ pathway: z.enum(PATHWAY_IDS) }),
  DIE: z.object({}),
  CLOSE: z.object({ reason: text(500) }),
  RECORD_PERMISSION: z.object({ from: instantSchema, to: instantSchema }),
  LPT_INTAKE_DECISION: z.object({ readmissionFromOpt: z.boolean().optional() }),
  LPT_EXTENDED: z.object({ until: localDateSchema }),
  LPT_ENDED: z.object({ newExpectedDischargeDate: localDateSchema.optional() }),
  CALL_COORDINATION_MEETING: z.object({ meetingAt: instantSchema }),
  OPT_DECIDED: z.object({}),
  JUDGMENT_FINAL: z.object({}),
  COURT_REVIEW_HELD: z.object({}),
  ORV_DECIDED: z.object({}),
  LRV_ENDED_BY_CHIEF_PHYSICIAN: z.object({}),
  FORENSIC_CARE_ENDED: z.object({}),
} as const;

export type EventType = keyof typeof payloads;
export const EVENT_TYPES = Object.keys(payloads) as EventType[];

export const EVENT_LABELS: Record<EventType, { sv: string; en: string }> = {
  ASSESS_NEEDS: { sv: 'Bedömning av behov efter utskrivning', en: 'Assess needs after discharge' },
  RECORD_CONSENT: { sv: 'Samtycke', en: 'Record consent' },
  RECORD_MENPROVNING: { sv: 'Menprövning', en: 'Record harm assessment' },
  WITHDRAW_CONSENT: { sv: 'Återkallat samtycke', en: 'Withdraw consent' },
  SEND_ADMISSION_NOTICE: { sv: 'Skicka inskrivningsmeddelande', en: 'Send admission notice' },
  ACKNOWLEDGE: { sv: 'Kvittera', en: 'Acknowledge' },
  SEND_STATUS: { sv: 'Statusmeddelande', en: 'Send status message' },
  APPOINT_CARE_CONTACT: { sv: 'Utse fast vårdkontakt', en: 'Appoint care contact' },
  SET_EXPECTED_DISCHARGE: { sv: 'Justera beräknat utskrivningsdatum', en: 'Set expected discharge date' },
  CONFIRM: { sv: 'Bekräfta kriterium', en: 'Confirm criterion' },
  CALL_SIP: { sv: 'Kalla till SIP', en: 'Call SIP meeting' },
  ESTABLISH_SIP: { sv: 'SIP upprättad', en: 'SIP established' },
  FOLLOW_UP_SIP: { sv: 'Följa upp SIP', en: 'Follow up SIP' },
  REVIEW_EXISTING_SIP: { sv: 'Granska befintlig SIP', en: 'Review existing SIP' },
  DECLARE_READY: { sv: 'Meddela utskrivningsklar', en: 'Declare ready for discharge' },
  REVOKE_READY: { sv: 'Återkalla utskrivningsklar', en: 'Revoke ready for discharge' },
  DISCHARGE: { sv: 'Utskrivning / hemgång', en: 'Discharge' },
  FOLLOW_UP_CONTACT: { sv: 'Uppföljningskontakt', en: 'Follow-up contact' },
  REFUSE: { sv: 'Den enskilde avböjer', en: 'Individual declines' },
  RECLASSIFY: { sv: 'Byt process', en: 'Change pathway' },
  DIE: { sv: 'Avliden', en: 'Died' },
  CLOSE: { sv: 'Avsluta ärendet', en: 'Close case' },
  RECORD_PERMISSION: { sv: 'Registrera permission', en: 'Record leave' },
  LPT_INTAKE_DECISION: { sv: 'Intagningsbeslut LPT', en: 'LPT intake decision' },
  LPT_EXTENDED: { sv: 'Förlängning LPT', en: 'LPT extended' },
  LPT_ENDED: { sv: 'LPT avskrivs', en: 'LPT ended' },
  CALL_COORDINATION_MEETING: { sv: 'Kalla till samverkansmöte', en: 'Call coordination meeting' },
  OPT_DECIDED: { sv: 'Förvaltningsrätten beslutar ÖPT', en: 'Court decides ÖPT' },
  JUDGMENT_FINAL: { sv: 'Domen vinner laga kraft', en: 'Judgment becomes final' },
  COURT_REVIEW_HELD: { sv: 'Vårdprövning', en: 'Court review held' },
  ORV_DECIDED: { sv: 'Beslut om ÖRV', en: 'ÖRV decided' },
  LRV_ENDED_BY_CHIEF_PHYSICIAN: { sv: 'Chefsöverläkaren beslutar att LRV upphör', en: 'Chief physician ends LRV' },
  FORENSIC_CARE_ENDED: { sv: 'Rättspsykiatrisk vård upphör', en: 'Forensic care ended' },
};

type Payload<T extends EventType> = z.output<(typeof payloads)[T]>;
/** A validated event as the machines receive it: `at` is always a UTC instant. */
export type CaseEvent = { [T in EventType]: { type: T; at: Instant } & Payload<T> }[EventType];
export type EventOf<T extends EventType> = Extract<CaseEvent, { type: T }>;

/** Events the engine itself sends; never accepted from a client. */
export type EngineEvent = { type: 'case.reclassified'; at: Instant; from: PathwayId };

const envelope = z.object({ type: z.string(), at: instantSchema.optional() });

export type EventCheck =
  | { ok: true; event: Omit<CaseEvent, 'at'> & { at?: Instant } }
  | { ok: false; field: string; message: string };

/** Validates an incoming event; `field` names the offending path (e.g. `payload.party`). */
export function parseEvent(input: unknown): EventCheck {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, field: 'event', message: 'Händelsen måste vara ett JSON-objekt' };
  }
  const head = envelope.safeParse(input);
  if (!head.success) {
    const issue = head.error.issues[0]!;
    return { ok: false, field: issue.path.join('.') || 'type', message: issue.message };
  }
  const type = head.data.type;
  if (!Object.hasOwn(payloads, type)) {
    return { ok: false, field: 'type', message: `Okänd händelsetyp: ${type}` };
  }
  const body = payloads[type as EventType].safeParse(input);
  if (!body.success) {
    const issue = body.error.issues[0]!;
    return { ok: false, field: issue.path.join('.') || 'event', message: issue.message };
  }
  const event = { ...body.data, type, ...(head.data.at ? { at: head.data.at } : {}) };
  return { ok: true, event: event as EventCheck extends { ok: true; event: infer E } ? E : never };
}

/** JSON Schema of an event's payload (for forms and OpenAPI). */
export function eventJsonSchema(type: EventType): unknown {
  return z.toJSONSchema(payloads[type], { io: 'input', unrepresentable: 'any' });
}

export function eventPayloadSchema(type: EventType): z.ZodType {
  return payloads[type];
}
