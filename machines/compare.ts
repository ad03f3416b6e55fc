/**
 * What differs between two versions of a pathway (issue 6), in words and as sets of state ids for
 * the canvas: parameters (with the rule each sets), policy, states added, removed or changed, and
 * transitions added, removed or changed.
 */
import { durationLabel, type Duration } from '../engine/calendar.ts';
import { walkLanes, type PathwayDefinition, type StateDef, type TransitionDef } from './definition.ts';

/** Every parameter a process owner can set, with its Swedish name and the rule it implements. */
export const PARAMETER_LABELS: Record<keyof PathwayDefinition['parameters'], { sv: string; en: string; rule: string }> = {
  admissionNoticeWithin: { sv: 'Inskrivningsmeddelande inom', en: 'Admission notice within', rule: 'C-1' },
  acknowledgeWithin: { sv: 'Kvittens av inskrivningsmeddelande inom', en: 'Acknowledgement within', rule: 'C-2' },
  careContactWithin: { sv: 'Fast vårdkontakt utsedd inom', en: 'Care contact appointed within', rule: 'C-3' },
  followUpContactWithin: { sv: 'Uppföljningskontakt efter utskrivning inom', en: 'Follow-up contact within', rule: 'C-8' },
  sipCallWithinAfterReady: { sv: 'Kallelse till SIP efter utskrivningsklar inom', en: 'SIP call after ready within', rule: 'S-5' },
  statusMessageWindow: { sv: 'Statusmeddelande före utskrivning (dagar före)', en: 'Status message window (days before)', rule: 'V-1' },
  dayZeroCutoff: { sv: 'Dag noll om utskrivningsklar före', en: 'Day zero if ready before', rule: 'S-6' },
  liabilityAfterDays: { sv: 'Betalningsansvar efter (kalenderdagar i snitt)', en: 'Liability after (calendar days, average)', rule: 'B-1' },
  medicationSupplyDays: { sv: 'Läkemedel för dagar', en: 'Medication for days', rule: 'C-11' },
  nutritionSupplyWeekdays: { sv: 'Sondmat/näringsdryck för vardagar', en: 'Nutrition for weekdays', rule: 'C-11' },
  lptExpectedStay: { sv: 'Beräknad vårdtid LPT', en: 'Expected LPT stay', rule: 'V-L1' },
  lptReadmissionHolds: { sv: 'Återintagning från ÖPT inom', en: 'Readmission from ÖPT within', rule: 'V-L2' },
  lrvInitialExpectedStay: { sv: 'Beräknad vårdtid LRV', en: 'Expected LRV stay', rule: 'V-O1' },
  lrvAfterJudgment: { sv: 'Första funktionsbedömning efter lagakraftvunnen dom', en: 'First assessment after final judgment', rule: 'V-O2' },
  courtReviewInterval: { sv: 'Vårdprövning var', en: 'Court review every', rule: 'V-O3' },
  permission: { sv: 'Permissionsdag', en: 'Leave day', rule: 'S-8' },
  careContactOrganisation: { sv: 'Var fast vårdkontakt utses, per kommun', en: 'Where the care contact is appointed, per kommun', rule: 'S-9' },
};

export interface Change {
  kind: 'parameter' | 'policy' | 'state-added' | 'state-removed' | 'state-changed' | 'transition-added' | 'transition-removed' | 'transition-changed' | 'meta';
  /** The state (`lane.state`) or parameter it concerns. */
  path: string;
  message: string;
  messageEn: string;
}

export interface Comparison {
  changes: Change[];
  states: { added: string[]; removed: string[]; changed: string[] };
}

function isDuration(value: unknown): value is Duration {
  return typeof value === 'object' && value !== null && ['hours', 'weekdays', 'days', 'weeks', 'months'].some((k) => k in value);
}

/** A parameter value in words ("24 timmar på vardagar", "12:00", "ingen"). */
export function formatParameter(value: unknown): string {
  if (value === null || value === undefined) return 'ingen';
  if (isDuration(value)) return durationLabel(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function statesOf(definition: PathwayDefinition): Map<string, { state: StateDef; transitions: Map<string, TransitionDef> }> {
  const out = new Map<string, { state: StateDef; transitions: Map<string, TransitionDef> }>();
  walkLanes(definition.lanes, {
    state: (state, key, _region, path) => {
      const transitions = new Map<string, TransitionDef>();
      for (const t of state.on ?? []) transitions.set(`${t.event}${t.match ? JSON.stringify(t.match) : ''}${t.target ? ` → ${t.target}` : ''}`, t);
      out.set(`${path}.${key}`, { state, transitions });
    },
  });
  return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function compareDefinitions(from: PathwayDefinition, to: PathwayDefinition): Comparison {
  const changes: Change[] = [];
  const params = new Set([...Object.keys(from.parameters), ...Object.keys(to.parameters)]) as Set<keyof PathwayDefinition['parameters']>;
  for (const key of params) {
    const a = from.parameters[key];
    const b = to.parameters[key];
    if (same(a, b)) continue;
    const label = PARAMETER_LABELS[key] ?? { sv: key, en: key, rule: '' };
    changes.push({
      kind: 'parameter', path: `parameters.${key}`,
      message: `${label.sv} (${label.rule}): ${formatParameter(a)} → ${formatParameter(b)}`,
      messageEn: `${label.en} (${label.rule}): ${formatParameter(a)} → ${formatParameter(b)}`,
    });
  }
  for (const key of new Set([...Object.keys(from.policy), ...Object.keys(to.policy)]) as Set<keyof PathwayDefinition['policy']>) {
    if (!same(from.policy[key], to.policy[key])) {
      changes.push({ kind: 'policy', path: `policy.${key}`, message: `Policy ${key}: ${JSON.stringify(from.policy[key])} → ${JSON.stringify(to.policy[key])}`, messageEn: `Policy ${key}: ${JSON.stringify(from.policy[key])} → ${JSON.stringify(to.policy[key])}` });
    }
  }
  for (const key of ['label', 'labelEn', 'description'] as const) {
    if (from[key] !== to[key]) changes.push({ kind: 'meta', path: key, message: `${key}: ”${from[key]}” → ”${to[key]}”`, messageEn: `${key}: "${from[key]}" → "${to[key]}"` });
  }
  const before = statesOf(from);
  const after = statesOf(to);
  const states = { added: [] as string[], removed: [] as string[], changed: [] as string[] };
  for (const [path, { state }] of after) {
    if (!before.has(path)) {
      states.added.push(path);
      changes.push({ kind: 'state-added', path, message: `Nytt läge ${path}: ”${state.meta.label}”`, messageEn: `New state ${path}: "${state.meta.labelEn}"` });
    }
  }
  for (const [path, { state }] of before) {
    if (!after.has(path)) {
      states.removed.push(path);
      changes.push({ kind: 'state-removed', path, message: `Läget ${path} (”${state.meta.label}”) är borttaget`, messageEn: `State ${path} ("${state.meta.labelEn}") removed` });
    }
  }
  for (const [path, now] of after) {
    const was = before.get(path);
    if (!was) continue;
    let changed = false;
    for (const field of ['label', 'labelEn', 'phase', 'party', 'rules', 'terminal', 'description'] as const) {
      if (!same(was.state.meta[field], now.state.meta[field])) {
        changed = true;
        changes.push({ kind: 'state-changed', path, message: `${path}: ${field} ${JSON.stringify(was.state.meta[field] ?? null)} → ${JSON.stringify(now.state.meta[field] ?? null)}`, messageEn: `${path}: ${field} ${JSON.stringify(was.state.meta[field] ?? null)} → ${JSON.stringify(now.state.meta[field] ?? null)}` });
      }
    }
    for (const [key, t] of now.transitions) {
      const old = was.transitions.get(key);
      if (!old) {
        changed = true;
        changes.push({ kind: 'transition-added', path, message: `${path}: ny övergång ${key} (”${t.meta.label}”)`, messageEn: `${path}: new transition ${key} ("${t.meta.labelEn}")` });
      } else if (!same(old, t)) {
        changed = true;
        const what = (['guards', 'actions', 'meta'] as const).filter((f) => !same(old[f], t[f]));
        changes.push({ kind: 'transition-changed', path, message: `${path}: övergången ${key} ändrad (${what.join(', ')})`, messageEn: `${path}: transition ${key} changed (${what.join(', ')})` });
      }
    }
    for (const [key, t] of was.transitions) {
      if (!now.transitions.has(key)) {
        changed = true;
        changes.push({ kind: 'transition-removed', path, message: `${path}: övergången ${key} (”${t.meta.label}”) är borttagen`, messageEn: `${path}: transition ${key} ("${t.meta.labelEn}") removed` });
      }
    }
    if (changed) states.changed.push(path);
  }
  return { changes, states };
}
