/**
 * Editing a pathway draft (issue 6), pure: no React, no DOM, no requests. Every edit returns a new
 * definition (the draft the server keeps is replaced as a whole by PUT /api/pathways/:id/draft), so
 * the editor can compare, undo and save without tracking patches. Also: the parameters' editing
 * kinds and their words, the diff of states between two definitions for the canvas, and where a
 * validation issue points (a state or a parameter).
 */
import type { PathwayDefinition, PathwayParameters, RegionDef, StateDef, TransitionDef } from '../../machines/definition.ts';
import type { PartyId, PhaseId } from '../../machines/parties.ts';
import type { Lang } from './graph.ts';
import type { ValidationIssue } from '../../machines/validate.ts';

export type Definition = PathwayDefinition;
export type ParameterName = keyof PathwayParameters;

// ---------------------------------------------------------------------------------------------
// Parameters

export type DurationUnit = 'hours' | 'weekdays' | 'days' | 'weeks' | 'months';
export const DURATION_UNITS: readonly DurationUnit[] = ['hours', 'weekdays', 'days', 'weeks', 'months'];

export interface DurationValue {
  unit: DurationUnit;
  amount: number;
  /** Hours counted on weekdays only (K-2). */
  weekdaysOnly: boolean;
}

/**
 * How each parameter is edited: a duration with a free unit, a fixed unit, a day window, a time of
 * day, a number, the permission rule or the per-kommun organisations. `nullable`: the routine may
 * leave it out (no time limit); `fallback`: the value a parameter takes when it is switched on.
 */
export type ParameterKind =
  | { kind: 'duration' }
  | { kind: 'fixed'; unit: 'days' | 'weeks' | 'months' }
  | { kind: 'window' }
  | { kind: 'time' }
  | { kind: 'number'; step: number; min: number; max: number; unit: 'days' | 'weekdays' }
  | { kind: 'permission' }
  | { kind: 'organisations' };

export interface ParameterSpec {
  edit: ParameterKind;
  nullable: boolean;
  fallback: unknown;
}

export const PARAMETER_SPECS: Record<ParameterName, ParameterSpec> = {
  admissionNoticeWithin: { edit: { kind: 'duration' }, nullable: false, fallback: { hours: 24 } },
  acknowledgeWithin: { edit: { kind: 'duration' }, nullable: true, fallback: { hours: 24, weekdaysOnly: true } },
  careContactWithin: { edit: { kind: 'duration' }, nullable: true, fallback: { hours: 24, weekdaysOnly: true } },
  followUpContactWithin: { edit: { kind: 'duration' }, nullable: false, fallback: { weekdays: 2 } },
  sipCallWithinAfterReady: { edit: { kind: 'fixed', unit: 'days' }, nullable: true, fallback: { days: 3 } },
  statusMessageWindow: { edit: { kind: 'window' }, nullable: false, fallback: { earliestDaysBefore: 3, latestDaysBefore: 1 } },
  dayZeroCutoff: { edit: { kind: 'time' }, nullable: true, fallback: '12:00' },
  liabilityAfterDays: { edit: { kind: 'number', step: 0.1, min: 0, max: 30, unit: 'days' }, nullable: true, fallback: 1.3 },
  medicationSupplyDays: { edit: { kind: 'number', step: 1, min: 0, max: 60, unit: 'days' }, nullable: true, fallback: 3 },
  nutritionSupplyWeekdays: { edit: { kind: 'number', step: 1, min: 0, max: 60, unit: 'weekdays' }, nullable: false, fallback: 5 },
  lptExpectedStay: { edit: { kind: 'fixed', unit: 'weeks' }, nullable: true, fallback: { weeks: 4 } },
  lptReadmissionHolds: { edit: { kind: 'fixed', unit: 'days' }, nullable: true, fallback: { days: 30 } },
  lrvInitialExpectedStay: { edit: { kind: 'fixed', unit: 'months' }, nullable: true, fallback: { months: 4 } },
  lrvAfterJudgment: { edit: { kind: 'fixed', unit: 'months' }, nullable: true, fallback: { months: 4 } },
  courtReviewInterval: { edit: { kind: 'fixed', unit: 'months' }, nullable: true, fallback: { months: 6 } },
  permission: { edit: { kind: 'permission' }, nullable: true, fallback: { minHours: 12, from: '06:00', to: '24:00' } },
  careContactOrganisation: { edit: { kind: 'organisations' }, nullable: false, fallback: {} },
};

export const PARAMETER_NAMES = Object.keys(PARAMETER_SPECS) as ParameterName[];

export function isParameterName(name: string): name is ParameterName {
  return Object.hasOwn(PARAMETER_SPECS, name);
}

export function isDuration(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && DURATION_UNITS.some((u) => u in value);
}

/** `{ hours: 24, weekdaysOnly: true }` → `{ unit: 'hours', amount: 24, weekdaysOnly: true }`. */
export function readDuration(value: unknown): DurationValue | null {
  if (!isDuration(value)) return null;
  const unit = DURATION_UNITS.find((u) => u in value)!;
  return { unit, amount: Number(value[unit]), weekdaysOnly: unit === 'hours' && value.weekdaysOnly === true };
}

/** The schema's shape: `weekdaysOnly` only with hours, and only when true. */
export function writeDuration(d: DurationValue): Record<string, number | boolean> {
  return d.unit === 'hours' && d.weekdaysOnly ? { hours: d.amount, weekdaysOnly: true } : { [d.unit]: d.amount };
}

const UNIT_WORDS: Record<Lang, Record<DurationUnit, [string, string]>> = {
  sv: { hours: ['timme', 'timmar'], weekdays: ['vardag', 'vardagar'], days: ['dag', 'dagar'], weeks: ['vecka', 'veckor'], months: ['månad', 'månader'] },
  en: { hours: ['hour', 'hours'], weekdays: ['weekday', 'weekdays'], days: ['day', 'days'], weeks: ['week', 'weeks'], months: ['month', 'months'] },
};

export function unitWord(unit: DurationUnit, amount: number, lang: Lang): string {
  const [one, many] = UNIT_WORDS[lang][unit];
  return amount === 1 ? one : many;
}

const number = (n: number, lang: Lang) => (lang === 'sv' ? String(n).replace('.', ',') : String(n));

/** "24 timmar på vardagar", "2 vardagar" — the words the server's comparison uses. */
export function durationText(value: unknown, lang: Lang): string {
  const d = readDuration(value);
  if (!d) return String(value);
  const text = `${number(d.amount, lang)} ${unitWord(d.unit, d.amount, lang)}`;
  return d.weekdaysOnly ? `${text} ${lang === 'sv' ? 'på vardagar' : 'on weekdays'}` : text;
}

/** A parameter's value in words, for the panel's "published:" hint and the impact summary. */
export function parameterText(name: ParameterName, value: unknown, lang: Lang): string {
  const sv = lang === 'sv';
  if (value === null || value === undefined) return sv ? 'ingen' : 'none';
  if (isDuration(value)) return durationText(value, lang);
  const spec = PARAMETER_SPECS[name].edit;
  if (spec.kind === 'window') {
    const w = value as { earliestDaysBefore: number; latestDaysBefore: number };
    return sv ? `${w.earliestDaysBefore}–${w.latestDaysBefore} dagar före` : `${w.earliestDaysBefore}–${w.latestDaysBefore} days before`;
  }
  if (spec.kind === 'number') return `${number(value as number, lang)} ${unitWord(spec.unit, value as number, lang)}`;
  if (spec.kind === 'permission') {
    const p = value as { minHours: number; from: string; to: string };
    return sv ? `minst ${number(p.minHours, lang)} timmar mellan ${p.from} och ${p.to}` : `at least ${number(p.minHours, lang)} hours between ${p.from} and ${p.to}`;
  }
  if (spec.kind === 'organisations') {
    const entries = Object.entries(value as Record<string, { basalHemsjukvard: string; otherwise: string }>);
    if (entries.length === 0) return sv ? 'inga kommuner' : 'no kommuner';
    return entries.map(([kommun, o]) => `${kommun}: ${o.basalHemsjukvard} / ${o.otherwise}`).join('; ');
  }
  return String(value);
}

export function setParameter(definition: Definition, name: ParameterName, value: unknown): Definition {
  return { ...definition, parameters: { ...definition.parameters, [name]: value } };
}

// ---------------------------------------------------------------------------------------------
// Regions and states. A state id is its leaf path as on the map: `lane.state` or `lane.sub.state`.

export interface StateRef {
  id: string;
  regionPath: string;
  key: string;
  region: RegionDef & { states: Record<string, StateDef> };
  state: StateDef;
}

export interface LeafRegion {
  path: string;
  region: RegionDef & { states: Record<string, StateDef>; initial: string };
}

/** The regions that hold states (lanes without sub-lanes and sub-lanes), in map order. */
export function leafRegions(definition: Definition): LeafRegion[] {
  const out: LeafRegion[] = [];
  const visit = (region: RegionDef, path: string) => {
    if (region.regions) for (const [k, sub] of Object.entries(region.regions)) visit(sub, `${path}.${k}`);
    else out.push({ path, region: region as LeafRegion['region'] });
  };
  for (const [k, lane] of Object.entries(definition.lanes)) visit(lane, k);
  return out;
}

export function regionAt(definition: Definition, path: string): RegionDef | undefined {
  const [lane, ...rest] = path.split('.');
  let region: RegionDef | undefined = lane === undefined ? undefined : definition.lanes[lane];
  for (const k of rest) region = region?.regions?.[k];
  return region;
}

export function splitStateId(id: string): { regionPath: string; key: string } {
  const i = id.lastIndexOf('.');
  return { regionPath: id.slice(0, Math.max(0, i)), key: id.slice(i + 1) };
}

export function stateAt(definition: Definition, id: string): StateRef | null {
  const { regionPath, key } = splitStateId(id);
  const region = regionAt(definition, regionPath);
  if (!region?.states || !Object.hasOwn(region.states, key)) return null;
  return { id, regionPath, key, region: region as StateRef['region'], state: region.states[key]! };
}

/** Every state id of a definition, in map order. */
export function stateIds(definition: Definition): string[] {
  return leafRegions(definition).flatMap((r) => Object.keys(r.region.states).map((k) => `${r.path}.${k}`));
}

/** A copy of the definition with the region at `path` replaced by `update(region)`. */
function withRegion(definition: Definition, path: string, update: (region: RegionDef) => RegionDef): Definition {
  const [lane, ...rest] = path.split('.');
  const replace = (region: RegionDef, keys: string[]): RegionDef => {
    if (keys.length === 0) return update(region);
    const [k, ...more] = keys;
    const sub = region.regions?.[k!];
    if (!region.regions || !sub) throw new Error(`No region ${path}`);
    return { ...region, regions: { ...region.regions, [k!]: replace(sub, more) } } as RegionDef;
  };
  const top = lane === undefined ? undefined : definition.lanes[lane];
  if (!top || lane === undefined) throw new Error(`No region ${path}`);
  return { ...definition, lanes: { ...definition.lanes, [lane]: replace(top, rest) } };
}

function withState(definition: Definition, id: string, update: (state: StateDef) => StateDef): Definition {
  const { regionPath, key } = splitStateId(id);
  return withRegion(definition, regionPath, (region) => {
    const state = region.states?.[key];
    if (!state) throw new Error(`No state ${id}`);
    return { ...region, states: { ...region.states, [key]: update(state) } } as RegionDef;
  });
}

export type StateMeta = StateDef['meta'];

/** Changes a state's meta (label, English label, phase, party, rules, terminal, description). */
export function updateStateMeta(definition: Definition, id: string, patch: Partial<StateMeta>): Definition {
  return withState(definition, id, (state) => {
    const meta: StateMeta = { ...state.meta, ...patch };
    if (!meta.terminal) delete meta.terminal;
    if (!meta.description) delete meta.description;
    return { ...state, meta };
  });
}

export function setInitial(definition: Definition, id: string): Definition {
  const { regionPath, key } = splitStateId(id);
  return withRegion(definition, regionPath, (region) => ({ ...region, initial: key }) as RegionDef);
}

const KEY_PATTERN = /^[A-Za-z][\w]{0,60}$/;

export function isValidKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

/** A state key from a label: "Väntar på hemtjänst" → `vantarPaHemtjanst`, unique within `taken`. */
export function keyFromLabel(label: string, taken: Iterable<string>): string {
  const words = label.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9]+/g, ' ').trim().split(' ').filter(Boolean);
  let key = words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0]!.toUpperCase() + w.slice(1).toLowerCase())).join('').slice(0, 40);
  if (!/^[A-Za-z]/.test(key)) key = `lage${key}`;
  const used = new Set(taken);
  let candidate = key;
  for (let n = 2; used.has(candidate); n += 1) candidate = `${key}${n}`;
  return candidate;
}

export function addState(definition: Definition, regionPath: string, key: string, meta: StateMeta): Definition {
  return withRegion(definition, regionPath, (region) => {
    if (!region.states) throw new Error(`${regionPath} has sub-lanes, not states`);
    if (Object.hasOwn(region.states, key)) throw new Error(`${regionPath}.${key} exists`);
    return { ...region, states: { ...region.states, [key]: { meta: { ...meta }, on: [] } } } as RegionDef;
  });
}

/**
 * Removes a state and the transitions of its region that lead to it (they would point nowhere).
 * A removed initial state hands the start to the region's first remaining state.
 */
export function removeState(definition: Definition, id: string): Definition {
  const { regionPath, key } = splitStateId(id);
  return withRegion(definition, regionPath, (region) => {
    if (!region.states) return region;
    const states: Record<string, StateDef> = {};
    for (const [k, s] of Object.entries(region.states)) {
      if (k === key) continue;
      states[k] = s.on ? { ...s, on: s.on.filter((t) => t.target !== key) } : s;
    }
    const on = region.on?.filter((t) => t.target !== `.${key}`);
    const initial = region.initial === key ? Object.keys(states)[0] ?? key : region.initial;
    return { ...region, ...(on ? { on } : {}), initial, states } as RegionDef;
  });
}

/** Transitions may only lead to a state of the same region; other lanes are reached by internal events. */
export function canConnect(source: string, target: string): boolean {
  return source !== target && splitStateId(source).regionPath === splitStateId(target).regionPath;
}

export function addTransition(definition: Definition, id: string, transition: TransitionDef): Definition {
  return withState(definition, id, (state) => ({ ...state, on: [...(state.on ?? []), transition] }));
}

export function updateTransition(definition: Definition, id: string, index: number, transition: TransitionDef): Definition {
  return withState(definition, id, (state) => ({ ...state, on: (state.on ?? []).map((t, i) => (i === index ? transition : t)) }));
}

export function removeTransition(definition: Definition, id: string, index: number): Definition {
  return withState(definition, id, (state) => ({ ...state, on: (state.on ?? []).filter((_, i) => i !== index) }));
}

/** A transition as the form starts it: the source state's party, no guards, no actions. */
export function newTransition(event: string, party: PartyId, target: string | undefined, label: string, labelEn: string): TransitionDef {
  return {
    event: event as TransitionDef['event'],
    ...(target ? { target } : {}),
    meta: { label, labelEn, party, rules: [] },
  };
}

/** `party=socialtjanst, of=READY` ⇄ `{ party: 'socialtjanst', of: 'READY' }` (true/false as booleans). */
export function parsePairs(text: string): Record<string, string | boolean> | null {
  const out: Record<string, string | boolean> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([A-Za-z_]\w*)\s*=\s*(.+)$/.exec(part);
    if (!m) return null;
    const v = m[2]!.trim();
    out[m[1]!] = v === 'true' ? true : v === 'false' ? false : v;
  }
  return out;
}

export function formatPairs(value: Record<string, unknown> | undefined): string {
  return Object.entries(value ?? {}).map(([k, v]) => `${k}=${String(v)}`).join(', ');
}

/** "C-1, S-2" → ['C-1', 'S-2'] */
export function parseList(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean))];
}

// ---------------------------------------------------------------------------------------------
// Differences between two definitions, per state (for the canvas; the words come from the server).

export interface StateDiff {
  added: Set<string>;
  removed: { id: string; label: string; labelEn: string }[];
  changed: Set<string>;
}

export function stateDiff(base: Definition, draft: Definition): StateDiff {
  const before = new Map(leafRegions(base).flatMap((r) => Object.entries(r.region.states).map(([k, s]) => [`${r.path}.${k}`, s] as const)));
  const after = new Map(leafRegions(draft).flatMap((r) => Object.entries(r.region.states).map(([k, s]) => [`${r.path}.${k}`, s] as const)));
  const added = new Set<string>();
  const changed = new Set<string>();
  for (const [id, state] of after) {
    const was = before.get(id);
    if (!was) added.add(id);
    else if (JSON.stringify(was) !== JSON.stringify(state)) changed.add(id);
  }
  const removed = [...before].filter(([id]) => !after.has(id)).map(([id, s]) => ({ id, label: s.meta.label, labelEn: s.meta.labelEn }));
  return { added, removed, changed };
}

export function sameDefinition(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

// ---------------------------------------------------------------------------------------------
// Validation issues: where each points.

/** A validation issue as the server words it. */
export type Issue = ValidationIssue;

export type IssueTarget = { kind: 'state'; id: string } | { kind: 'parameter'; name: ParameterName } | null;

/**
 * The state or parameter an issue concerns: its `state`, or read from its path
 * (`lanes.oppenvard.regions.sip.states.kallad.on.0` → `oppenvard.sip.kallad`,
 * `parameters.acknowledgeWithin.hours` → `acknowledgeWithin`).
 */
export function issueTarget(issue: Pick<Issue, 'path' | 'state'>): IssueTarget {
  if (issue.state) return { kind: 'state', id: issue.state };
  const parts = issue.path.split('.');
  if (parts[0] === 'parameters' && parts[1] && isParameterName(parts[1])) return { kind: 'parameter', name: parts[1] };
  if (parts[0] === 'lanes' && parts[1]) {
    const ids = [parts[1]];
    for (let i = 2; i < parts.length - 1; i += 2) {
      if (parts[i] === 'regions') ids.push(parts[i + 1]!);
      else if (parts[i] === 'states') return { kind: 'state', id: [...ids, parts[i + 1]!].join('.') };
      else break;
    }
  }
  return null;
}

const FIELD_WORDS: Record<string, [string, string]> = {
  hours: ['timmar', 'hours'], weekdays: ['vardagar', 'weekdays'], days: ['dagar', 'days'], weeks: ['veckor', 'weeks'], months: ['månader', 'months'],
  weekdaysOnly: ['på vardagar', 'on weekdays'], earliestDaysBefore: ['tidigast', 'earliest'], latestDaysBefore: ['senast', 'latest'],
  minHours: ['minst timmar', 'at least hours'], from: ['från', 'from'], to: ['till', 'to'], basalHemsjukvard: ['vid basal hemsjukvård', 'with basic home care'],
  otherwise: ['annars', 'otherwise'], label: ['namn', 'name'], labelEn: ['engelskt namn', 'English name'], phase: ['fas', 'phase'], party: ['part', 'party'],
  rules: ['regler', 'rules'], description: ['beskrivning', 'description'], event: ['händelse', 'event'], target: ['mål', 'target'], guards: ['villkor', 'guards'],
  actions: ['åtgärder', 'actions'], match: ['styrande värden', 'routing values'], initial: ['startläge', 'initial state'],
};

/** zod's English schema messages in the page's language ("Too small: expected number to be >=1" → "måste vara minst 1"). */
function schemaWords(raw: string, lang: Lang): string {
  const sv = lang === 'sv';
  let m: RegExpExecArray | null;
  if ((m = /Too small: expected number to be >=(\S+)/.exec(raw))) return sv ? `måste vara minst ${m[1]}` : `must be at least ${m[1]}`;
  if ((m = /Too small: expected number to be >(\S+)/.exec(raw))) return sv ? `måste vara större än ${m[1]}` : `must be more than ${m[1]}`;
  if ((m = /Too big: expected number to be <=(\S+)/.exec(raw))) return sv ? `får vara högst ${m[1]}` : `must be at most ${m[1]}`;
  if ((m = /Too big: expected number to be <(\S+)/.exec(raw))) return sv ? `måste vara mindre än ${m[1]}` : `must be less than ${m[1]}`;
  if (/Too small: expected string to have >=1 characters/.test(raw)) return sv ? 'får inte vara tomt' : 'must not be empty';
  if ((m = /Too big: expected string to have <=(\d+) characters/.exec(raw))) return sv ? `får vara högst ${m[1]} tecken` : `must be at most ${m[1]} characters`;
  if ((m = /Too big: expected array to have <=(\d+) items/.exec(raw))) return sv ? `får ha högst ${m[1]}` : `must have at most ${m[1]}`;
  if (/expected int, received number/.test(raw)) return sv ? 'måste vara ett heltal' : 'must be a whole number';
  if ((m = /Invalid input: expected (\w+), received (\w+)/.exec(raw))) return sv ? `har fel typ (${m[2]} i stället för ${m[1]})` : `has the wrong type (${m[2]} instead of ${m[1]})`;
  if ((m = /Invalid option: expected one of (.+)$/.exec(raw))) return sv ? `måste vara ett av ${m[1]}` : `must be one of ${m[1]}`;
  if ((m = /Unrecognized keys?: (.+)$/.exec(raw))) return sv ? `okänt fält ${m[1]}` : `unknown field ${m[1]}`;
  if (/^Invalid input$/.test(raw)) return sv ? 'har ett ogiltigt värde' : 'has an invalid value';
  return raw;
}

/**
 * An issue in words for a process owner: the server's message, except for schema issues, which
 * name the parameter or state by its label and the field in words instead of a path.
 */
export function issueText(issue: Issue, lang: Lang, names: { parameter(name: ParameterName): string; state(id: string): string }): string {
  const message = lang === 'en' ? issue.messageEn : issue.message;
  if (issue.code !== 'schema') return message;
  // Schema issues are worded from zod's English message (the server also sends zod's Swedish one,
  // which is terser than the words below).
  const raw = issue.messageEn.startsWith(`${issue.path}: `) ? issue.messageEn.slice(issue.path.length + 2) : issue.messageEn;
  const words = schemaWords(raw, lang);
  const target = issueTarget(issue);
  const parts = issue.path.split('.');
  const field = (rest: string[]) => rest.filter((p) => !/^\d+$/.test(p) && p !== 'meta').map((p) => FIELD_WORDS[p]?.[lang === 'en' ? 1 : 0] ?? p).join(' › ');
  if (target?.kind === 'parameter') {
    const f = field(parts.slice(2));
    return `${names.parameter(target.name)}${f ? ` (${f})` : ''}: ${words}`;
  }
  if (target?.kind === 'state') {
    const at = parts.indexOf('states');
    const f = field(parts.slice(at + 2));
    return `${names.state(target.id)}${f ? `, ${f}` : ''}: ${words}`;
  }
  return `${issue.path || (lang === 'en' ? 'definition' : 'definitionen')}: ${words}`;
}

/** Per state: the worst issue's severity (for the canvas marks). */
export function issuesByState(issues: Issue[]): Map<string, 'error' | 'warning'> {
  const out = new Map<string, 'error' | 'warning'>();
  for (const issue of issues) {
    const target = issueTarget(issue);
    if (target?.kind !== 'state') continue;
    if (out.get(target.id) !== 'error') out.set(target.id, issue.severity);
  }
  return out;
}

export type { PartyId, PhaseId, StateDef, TransitionDef };
