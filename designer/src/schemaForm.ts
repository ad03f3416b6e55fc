/**
 * Forms from the message catalogue: an event's JSON Schema (machines/events.ts `eventJsonSchema`,
 * also served by GET /api/event-types) becomes a list of fields, and the form's values become the
 * event's payload. Pure: the time-zone conversion is passed in.
 */
import type { Lang } from './graph.ts';
import { PARTY_TEXTS } from './i18n.ts';

export type FieldKind = 'boolean' | 'enum' | 'text' | 'date' | 'datetime' | 'number';

export interface Field {
  name: string;
  kind: FieldKind;
  required: boolean;
  options?: string[];
  minLength?: number;
  maxLength?: number;
}

interface JsonSchemaProperty {
  type?: string;
  enum?: unknown[];
  format?: string;
  minLength?: number;
  maxLength?: number;
}

interface JsonSchemaObject {
  properties?: Record<string, JsonSchemaProperty>;
  required?: string[];
}

export function fieldsOf(schema: unknown): Field[] {
  const s = (schema ?? {}) as JsonSchemaObject;
  const required = new Set(s.required ?? []);
  return Object.entries(s.properties ?? {}).map(([name, p]): Field => {
    const base = { name, required: required.has(name) };
    if (Array.isArray(p.enum)) return { ...base, kind: 'enum', options: p.enum.map(String) };
    if (p.type === 'boolean') return { ...base, kind: 'boolean' };
    if (p.type === 'number' || p.type === 'integer') return { ...base, kind: 'number' };
    if (p.format === 'date-time') return { ...base, kind: 'datetime' };
    if (p.format === 'date') return { ...base, kind: 'date' };
    return {
      ...base, kind: 'text',
      ...(p.minLength !== undefined ? { minLength: p.minLength } : {}),
      ...(p.maxLength !== undefined ? { maxLength: p.maxLength } : {}),
    };
  });
}

export type FormValues = Record<string, string>;

/** Starting values: the routing values of the chosen transition (`match`), then sensible defaults. */
export function initialValues(fields: Field[], match: Record<string, string | boolean> | undefined, defaults: FormValues = {}): FormValues {
  const values: FormValues = {};
  for (const f of fields) {
    const fromMatch = match?.[f.name];
    if (fromMatch !== undefined) values[f.name] = String(fromMatch);
    else if (defaults[f.name] !== undefined) values[f.name] = defaults[f.name]!;
    else if (f.required && f.kind === 'boolean') values[f.name] = 'true';
    else if (f.required && f.kind === 'enum') values[f.name] = f.options?.[0] ?? '';
    else values[f.name] = '';
  }
  return values;
}

export type PayloadResult = { ok: true; payload: Record<string, unknown> } | { ok: false; field: string; message: string };

/**
 * Values → payload. `localToInstant` turns a datetime-local value ('YYYY-MM-DDTHH:MM', Stockholm
 * time) into an ISO instant.
 */
export function toPayload(fields: Field[], values: FormValues, localToInstant: (value: string) => string, lang: Lang = 'sv'): PayloadResult {
  const payload: Record<string, unknown> = {};
  for (const f of fields) {
    const raw = (values[f.name] ?? '').trim();
    if (raw === '') {
      if (f.required) return { ok: false, field: f.name, message: lang === 'en' ? 'Required' : 'Måste anges' };
      continue;
    }
    switch (f.kind) {
      case 'boolean':
        payload[f.name] = raw === 'true';
        break;
      case 'number':
        payload[f.name] = Number(raw);
        break;
      case 'datetime':
        try {
          payload[f.name] = localToInstant(raw);
        } catch {
          return { ok: false, field: f.name, message: lang === 'en' ? 'Not a valid time' : 'Ogiltig tidpunkt' };
        }
        break;
      default:
        payload[f.name] = raw;
    }
  }
  return { ok: true, payload };
}

const FIELD_LABELS: Record<string, [string, string]> = {
  kommun: ['Kommunen har behov', 'Municipality has needs'],
  oppenvard: ['Öppenvården har behov', 'Outpatient care has needs'],
  lifeThreatening: ['Livshotande tillstånd', 'Life-threatening condition'],
  socialtjanst: ['Socialtjänsten har behov', 'Social services have needs'],
  kommunalHsl: ['Kommunal hälso- och sjukvård har behov', 'Municipal health care has needs'],
  basalHemsjukvard: ['Inskriven i basal hemsjukvård', 'Enrolled in basic home health care'],
  given: ['Samtycke givet', 'Consent given'],
  disclosureAllowed: ['Uppgifter får lämnas ut', 'Disclosure allowed'],
  expectedDischargeDate: ['Beräknat utskrivningsdatum', 'Expected discharge date'],
  party: ['Part', 'Party'],
  of: ['Avser', 'Of'],
  homeArrivalAt: ['Hemkomst', 'Home arrival'],
  phase: ['Fas', 'Phase'],
  name: ['Namn', 'Name'],
  phone: ['Telefon', 'Phone'],
  profession: ['Yrke', 'Profession'],
  licensedPhysician: ['Legitimerad läkare', 'Licensed physician'],
  unit: ['Enhet', 'Unit'],
  date: ['Datum', 'Date'],
  item: ['Kriterium', 'Item'],
  meetingAt: ['Mötestid', 'Meeting time'],
  place: ['Plats', 'Place'],
  followUpAt: ['Uppföljning', 'Follow-up'],
  close: ['Avsluta SIP', 'Close the SIP'],
  exists: ['SIP finns', 'A SIP exists'],
  needsUpdate: ['Behöver uppdateras', 'Needs an update'],
  newExpectedDischargeDate: ['Nytt beräknat utskrivningsdatum', 'New expected discharge date'],
  what: ['Vad avböjs', 'What is declined'],
  pathway: ['Process', 'Pathway'],
  reason: ['Orsak', 'Reason'],
  from: ['Från', 'From'],
  to: ['Till', 'To'],
  until: ['Till och med', 'Until'],
  readmissionFromOpt: ['Återintagning från ÖPT', 'Readmission from ÖPT'],
};

const OPTION_LABELS: Record<string, [string, string]> = {
  ADMISSION_NOTICE: ['Inskrivningsmeddelande', 'Admission notice'],
  READY: ['Utskrivningsklar', 'Ready for discharge'],
  SIP_CALL: ['Kallelse till SIP', 'SIP call'],
  admission: ['Inför inskrivning', 'Admission'],
  discharge: ['Inför utskrivning', 'Discharge'],
  written_information: ['(a) Skriftlig information given', '(a) Written information given'],
  information_transferred: ['(c) Information överförd', '(c) Information transferred'],
  aids_available: ['(d) Hjälpmedel finns', '(d) Aids available'],
  epikris: ['Epikris klar', 'Discharge summary ready'],
  medication_list: ['Läkemedelslista uppdaterad', 'Medication list updated'],
  medication_supply: ['Läkemedel till glappet', 'Medicine for the gap'],
  nutrition_supply: ['Sondmat/näringsdryck', 'Nutrition supply'],
  transport_booked: ['Sjukresa bokad', 'Transport booked'],
  home_arrival_agreed: ['Hemkomst överenskommen', 'Home arrival agreed'],
  planning_documented: ['Planering dokumenterad', 'Planning documented'],
  remiss_sent: ['Remiss skickad', 'Referral sent'],
  staff_training: ['Personal utbildad', 'Staff trained'],
  function_assessment_shared: ['Funktionsbedömning delad', 'Function assessment shared'],
  insatser: ['Insatser', 'Services'],
  sip: ['SIP', 'SIP'],
};

export function fieldLabel(name: string, lang: Lang): string {
  const l = FIELD_LABELS[name];
  return l ? l[lang === 'en' ? 1 : 0] : name;
}

export function optionLabel(value: string, lang: Lang): string {
  const party = PARTY_TEXTS[value];
  if (party) return lang === 'en' ? party.labelEn : party.label;
  const l = OPTION_LABELS[value];
  return l ? l[lang === 'en' ? 1 : 0] : value;
}
