/**
 * A pathway definition as data a process owner may edit (issue 6): its zod schema (ranges for
 * every parameter) and the checks that explain themselves — references to guards, actions,
 * events, rules and targets that do not exist, unreachable states, states with no way out, a
 * phase with no state. The designer runs these as the owner edits; publishing refuses a
 * definition with any error.
 */
import { z } from 'zod';
import { en, sv } from 'zod/v4/locales';
import { ACTIONS } from './actions.ts';
import { INTERNAL_EVENTS, type PathwayDefinition, type RegionDef, type TransitionDef } from './definition.ts';
import { EVENT_TYPES, PATHWAY_IDS } from './events.ts';
import { GUARDS } from './guards.ts';
import { PARTY_IDS, PHASE_IDS } from './parties.ts';
import { RULES } from './rules.ts';

const text = (max: number) => z.string().trim().min(1).max(max);
const key = z.string().regex(/^[A-Za-z][\w]{0,60}$/, 'ett namn av bokstäver, siffror och _ (börjar med en bokstav)');
const labelled = { label: text(200), labelEn: text(200) };
const scalar = z.union([z.string().max(200), z.number(), z.boolean()]);

const hours = z.number().int().min(1).max(24 * 60);
export const durationSchema = z.union([
  z.object({ hours, weekdaysOnly: z.boolean().optional() }).strict(),
  z.object({ weekdays: z.number().int().min(1).max(60) }).strict(),
  z.object({ days: z.number().int().min(0).max(730) }).strict(),
  z.object({ weeks: z.number().int().min(1).max(104) }).strict(),
  z.object({ months: z.number().int().min(1).max(60) }).strict(),
]);

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'en tid HH:MM');

export const parametersSchema = z.object({
  admissionNoticeWithin: durationSchema,
  acknowledgeWithin: durationSchema.nullable(),
  careContactWithin: durationSchema.nullable(),
  followUpContactWithin: durationSchema,
  sipCallWithinAfterReady: z.object({ days: z.number().int().min(1).max(60) }).strict().nullable(),
  statusMessageWindow: z.object({ earliestDaysBefore: z.number().int().min(0).max(60), latestDaysBefore: z.number().int().min(0).max(60) }).strict()
    .refine((w) => w.earliestDaysBefore >= w.latestDaysBefore, { message: 'fönstret börjar före sitt slut: earliestDaysBefore ≥ latestDaysBefore' }),
  dayZeroCutoff: time.nullable(),
  liabilityAfterDays: z.number().min(0).max(30).nullable(),
  medicationSupplyDays: z.number().int().min(0).max(60).nullable(),
  nutritionSupplyWeekdays: z.number().int().min(0).max(60),
  lptExpectedStay: z.object({ weeks: z.number().int().min(1).max(104) }).strict().nullable(),
  lptReadmissionHolds: z.object({ days: z.number().int().min(1).max(365) }).strict().nullable(),
  lrvInitialExpectedStay: z.object({ months: z.number().int().min(1).max(120) }).strict().nullable(),
  lrvAfterJudgment: z.object({ months: z.number().int().min(1).max(120) }).strict().nullable(),
  courtReviewInterval: z.object({ months: z.number().int().min(1).max(60) }).strict().nullable(),
  permission: z.object({ minHours: z.number().min(1).max(24), from: time, to: time }).strict().nullable(),
  careContactOrganisation: z.record(text(100), z.object({ basalHemsjukvard: text(200), otherwise: text(200) }).strict()),
}).strict();

const ref = z.object({ type: text(60), params: z.record(z.string().max(60), scalar.nullable()).optional() }).strict();

const transitionSchema = z.object({
  event: text(60),
  match: z.record(z.string().max(60), z.union([z.string().max(60), z.boolean()])).optional(),
  guards: z.array(ref).max(20).optional(),
  target: z.string().max(80).optional(),
  actions: z.array(ref).max(20).optional(),
  meta: z.object({ ...labelled, party: z.enum(PARTY_IDS), rules: z.array(text(12)).max(20) }).strict(),
}).strict();

const stateSchema = z.object({
  meta: z.object({
    ...labelled, party: z.enum(PARTY_IDS), phase: z.enum(PHASE_IDS), rules: z.array(text(12)).max(20), description: z.string().max(2000).optional(),
    terminal: z.boolean().optional(),
  }).strict(),
  on: z.array(transitionSchema).max(60).optional(),
}).strict();

const regionSchema: z.ZodType<RegionDef> = z.lazy(() => z.union([
  z.object({ meta: z.object({ ...labelled, party: z.enum(PARTY_IDS) }).strict(), on: z.array(transitionSchema).max(60).optional(), initial: key, states: z.record(key, stateSchema) }).strict(),
  z.object({ meta: z.object({ ...labelled, party: z.enum(PARTY_IDS) }).strict(), on: z.array(transitionSchema).max(60).optional(), regions: z.record(key, regionSchema) }).strict(),
])) as z.ZodType<RegionDef>;

const policySchema = z.object({
  region: z.enum(['sth', 'vrm']),
  coveredByLaw: z.boolean(),
  routing: z.enum(['none', 'oneHuvudman', 'bothHuvudman', 'byNeeds']),
  sip: z.enum(['none', 'offered', 'ifNeeded', 'required']),
  sipBeforeDischarge: z.boolean(),
  sipCallBeforeExpectedDischarge: z.boolean(),
  statusBeforeDischarge: z.object({ relativeTo: z.enum(['expectedDischarge', 'sipMeeting', 'coordinationMeeting']), required: z.boolean() }).strict().nullable(),
  readyGate: z.enum(['compulsoryCareResolved', 'forensicReleaseDecided']).nullable(),
  legalFrame: z.enum(['lpt', 'lrv']).nullable(),
  inpatientLabel: z.object(labelled).strict().optional(),
}).strict();

export const definitionSchema = z.object({
  id: z.enum(PATHWAY_IDS),
  version: z.number().int().min(1).max(100_000),
  label: text(200),
  labelEn: text(200),
  colour: z.object({ name: text(40), hex: z.string().regex(/^#[0-9a-fA-F]{6}$/) }).strict(),
  description: z.string().max(4000),
  policy: policySchema,
  parameters: parametersSchema,
  lanes: z.record(key, regionSchema),
  on: z.array(transitionSchema).max(60),
  rules: z.array(text(12)).max(200),
}).strict();

export interface ValidationIssue {
  /** Errors stop publishing; warnings are told (GRÅ, outside the law, has no ready phase on purpose). */
  severity: 'error' | 'warning';
  /** `schema`, `unknown-guard`, `unknown-action`, `unknown-event`, `unknown-rule`, `unknown-target`, `unreachable`, `dead-end`, `empty-phase`. */
  code: string;
  /** Where: `lanes.oppenvard.regions.sip.states.kallad` or a parameter path. */
  path: string;
  /** The state it concerns, when it concerns one (`oppenvard.sip.kallad`). */
  state?: string;
  message: string;
  messageEn: string;
}

export interface Validation {
  /** No errors (warnings allowed). */
  ok: boolean;
  issues: ValidationIssue[];
}

/** `lane.sub.state` of a schema path inside `lanes` (`lanes.oppenvard.regions.sip.states.kallad.meta.label`), if any. */
function stateOfPath(path: PropertyKey[]): string | undefined {
  if (path[0] !== 'lanes') return undefined;
  const parts: string[] = [String(path[1])];
  for (let i = 2; i < path.length - 1; i += 2) {
    if (path[i] === 'regions') parts.push(String(path[i + 1]));
    else if (path[i] === 'states') return [...parts, String(path[i + 1])].join('.');
    else return undefined;
  }
  return undefined;
}

const EVENTS = new Set<string>([...EVENT_TYPES, ...INTERNAL_EVENTS]);
const RULE_IDS = new Set(RULES.map((r) => r.id));

/** Checks a definition: its shape first, then its meaning. `ok` when there is no issue. */
export function validateDefinition(input: unknown): Validation {
  const parsed = definitionSchema.safeParse(input, { error: sv().localeError });
  if (!parsed.success) {
    const english = definitionSchema.safeParse(input, { error: en().localeError });
    const englishIssues = english.success ? [] : english.error.issues;
    return {
      ok: false,
      issues: parsed.error.issues.slice(0, 50).map((i, n) => {
        const path = i.path.map(String).join('.');
        const state = stateOfPath(i.path);
        return {
          severity: 'error' as const, code: 'schema', path, ...(state ? { state } : {}),
          message: `${path || 'definitionen'}: ${i.message}`, messageEn: `${path || 'definition'}: ${englishIssues[n]?.message ?? i.message}`,
        };
      }),
    };
  }
  const definition = parsed.data as PathwayDefinition;
  const issues: ValidationIssue[] = [];
  const add = (issue: Omit<ValidationIssue, 'severity'> & { severity?: ValidationIssue['severity'] }) => issues.push({ severity: 'error', ...issue });

  const checkTransition = (t: TransitionDef, path: string, statePath: string | undefined, siblings: Set<string> | null, children: Set<string> | null) => {
    const where = statePath ? `${statePath}: ` : '';
    if (!EVENTS.has(t.event)) add({ code: 'unknown-event', path, ...(statePath ? { state: statePath } : {}), message: `${where}Händelsen ${t.event} finns inte i händelsekatalogen`, messageEn: `The event ${t.event} is not in the event catalogue` });
    for (const g of t.guards ?? []) {
      if (!Object.hasOwn(GUARDS, g.type)) add({ code: 'unknown-guard', path, ...(statePath ? { state: statePath } : {}), message: `${where}Villkoret ${g.type} finns inte i villkorskatalogen`, messageEn: `The guard ${g.type} is not in the guard catalogue` });
    }
    for (const a of t.actions ?? []) {
      if (a.type === 'raise') {
        if (typeof a.params?.event !== 'string' || !(INTERNAL_EVENTS as readonly string[]).includes(a.params.event)) {
          add({ code: 'unknown-event', path, ...(statePath ? { state: statePath } : {}), message: `${where}raise: ${String(a.params?.event)} är ingen intern händelse`, messageEn: `raise: ${String(a.params?.event)} is not an internal event` });
        }
      } else if (!Object.hasOwn(ACTIONS, a.type)) {
        add({ code: 'unknown-action', path, ...(statePath ? { state: statePath } : {}), message: `${where}Åtgärden ${a.type} finns inte i åtgärdskatalogen`, messageEn: `The action ${a.type} is not in the action catalogue` });
      }
    }
    for (const rule of t.meta.rules) {
      if (!RULE_IDS.has(rule)) add({ code: 'unknown-rule', path, message: `${where}Regeln ${rule} finns inte i regelkatalogen`, messageEn: `The rule ${rule} is not in the rule catalogue` });
    }
    if (t.target !== undefined && t.target !== '#avslutad') {
      const ok = t.target.startsWith('.') ? children?.has(t.target.slice(1)) : siblings?.has(t.target);
      if (!ok) add({ code: 'unknown-target', path, ...(statePath ? { state: statePath } : {}), message: `Målet ${t.target} finns inte${statePath ? ` (från ${statePath})` : ''}`, messageEn: `The target ${t.target} does not exist` });
    }
  };

  const phases = new Set<string>();
  const visit = (region: RegionDef, lanePath: string, schemaPath: string) => {
    region.on?.forEach((t, i) => checkTransition(t, `${schemaPath}.on.${i}`, undefined, null, region.states ? new Set(Object.keys(region.states)) : null));
    if (region.regions) {
      for (const [k, sub] of Object.entries(region.regions)) visit(sub, `${lanePath}.${k}`, `${schemaPath}.regions.${k}`);
      return;
    }
    const keys = new Set(Object.keys(region.states));
    if (!keys.has(region.initial)) add({ code: 'unknown-target', path: `${schemaPath}.initial`, message: `Startläget ${region.initial} finns inte i ${lanePath}`, messageEn: `The initial state ${region.initial} does not exist in ${lanePath}` });
    // Reachable: from the initial state along the states' transitions, and targets of the region's own.
    const reached = new Set<string>([region.initial]);
    for (const t of region.on ?? []) if (t.target?.startsWith('.')) reached.add(t.target.slice(1));
    const queue = [...reached];
    while (queue.length > 0) {
      const state = region.states[queue.pop()!];
      for (const t of state?.on ?? []) {
        if (t.target && keys.has(t.target) && !reached.has(t.target)) {
          reached.add(t.target);
          queue.push(t.target);
        }
      }
    }
    for (const [k, state] of Object.entries(region.states)) {
      const statePath = `${lanePath}.${k}`;
      phases.add(state.meta.phase);
      state.on?.forEach((t, i) => checkTransition(t, `${schemaPath}.states.${k}.on.${i}`, statePath, keys, null));
      for (const rule of state.meta.rules) {
        if (!RULE_IDS.has(rule)) add({ code: 'unknown-rule', path: `${schemaPath}.states.${k}.meta.rules`, state: statePath, message: `${statePath}: Regeln ${rule} finns inte i regelkatalogen`, messageEn: `${statePath}: The rule ${rule} is not in the rule catalogue` });
      }
      if (!reached.has(k)) add({ code: 'unreachable', path: `${schemaPath}.states.${k}`, state: statePath, message: `Läget ${statePath} (${state.meta.label}) kan inte nås`, messageEn: `The state ${statePath} (${state.meta.labelEn}) cannot be reached` });
      const wayOut = (state.on ?? []).some((t) => t.target !== undefined) || (region.on ?? []).some((t) => t.target !== undefined);
      if (!wayOut && !state.meta.terminal && state.meta.phase !== 'hemgang') {
        add({
          code: 'dead-end', path: `${schemaPath}.states.${k}`, state: statePath,
          message: `Läget ${statePath} (${state.meta.label}) har ingen väg vidare och är inte markerat som slutläge`,
          messageEn: `The state ${statePath} (${state.meta.labelEn}) has no way out and is not marked terminal`,
        });
      }
    }
  };
  for (const [k, lane] of Object.entries(definition.lanes)) visit(lane, k, `lanes.${k}`);
  definition.on.forEach((t, i) => checkTransition(t, `on.${i}`, undefined, null, null));
  for (const phase of PHASE_IDS) {
    if (!phases.has(phase)) add({ severity: 'warning', code: 'empty-phase', path: 'lanes', message: `Fasen ${phase} har inget läge`, messageEn: `The phase ${phase} has no state` });
  }
  for (const rule of definition.rules) {
    if (!RULE_IDS.has(rule)) add({ code: 'unknown-rule', path: 'rules', message: `Regeln ${rule} finns inte i regelkatalogen`, messageEn: `The rule ${rule} is not in the rule catalogue` });
  }
  return { ok: !issues.some((i) => i.severity === 'error'), issues };
}
