/**
 * Why a case does (not) move: the transitions its current states offer, evaluated with the very
 * guards the machine runs. Blockers, allowed events and refusal reasons all come from here, so
 * they can never disagree with the machine.
 */
import type { CaseContext } from '../machines/context.ts';
import { INTERNAL_EVENTS, walkLanes, type PathwayDefinition, type TransitionDef } from '../machines/definition.ts';
import type { CaseEvent, EventType } from '../machines/events.ts';
import { getGuard } from '../machines/guards.ts';
import { getRule } from '../machines/rules.ts';
import { transitionGuards } from '../machines/compile.ts';
import type { PartyId } from '../machines/parties.ts';

export interface ActiveTransition {
  /** Path of the state (or region) offering it, e.g. `oppenvard.vardkontakt.attUtseFvk`. */
  source: string;
  transition: TransitionDef;
}

export interface Blocker {
  event: EventType;
  rule: string;
  party: PartyId;
  reason: string;
  reasonEn: string;
  /** The routine's sentence behind the rule. */
  sentence: string;
  guard: string;
  /** Whether the blocked transition moves a lane forward (rather than only recording a fact). */
  advances: boolean;
  /** Payload values that select the blocked transition (e.g. which party acknowledges). */
  match?: Record<string, string | boolean>;
}

export interface AllowedAction {
  event: EventType;
  label: string;
  labelEn: string;
  party: PartyId;
  rules: string[];
  match?: Record<string, string | boolean>;
  source: string;
}

const internal = new Set<string>(INTERNAL_EVENTS);

/** The transitions offered by the active states, innermost first within each lane. */
export function activeTransitions(definition: PathwayDefinition, value: unknown): ActiveTransition[] {
  if (typeof value !== 'object' || value === null || !('aktiv' in value)) return [];
  const out: ActiveTransition[] = [];
  walkLanes(definition.lanes, {
    state: (state, key, _region, path) => state.on?.forEach((transition) => out.push({ source: `${path}.${key}`, transition })),
    region: (region, path) => region.on?.forEach((transition) => out.push({ source: path, transition })),
  }, value);
  for (const transition of definition.on) out.push({ source: 'aktiv', transition });
  return out;
}

type Verdict = { ok: true } | { ok: false; failed: { name: string; kind: 'state' | 'payload' | 'routing' }[] };

function evaluate(definition: PathwayDefinition, context: CaseContext, t: TransitionDef, event: CaseEvent, kinds: Set<string>): Verdict {
  const failed = transitionGuards(t)
    .map((ref) => ({ ref, spec: getGuard(ref.type) }))
    .filter(({ spec }) => kinds.has(spec.kind))
    .filter(({ ref, spec }) => !spec.check(context, event, { definition }, ref.params))
    .map(({ ref, spec }) => ({ name: ref.type, kind: spec.kind }));
  return failed.length === 0 ? { ok: true } : { ok: false, failed };
}

function toBlocker(transition: TransitionDef, guardName: string): Blocker {
  const spec = getGuard(guardName);
  return {
    event: transition.event as EventType, rule: spec.rule, party: spec.party, reason: spec.reason, reasonEn: spec.reasonEn,
    sentence: getRule(spec.rule).sentence, guard: guardName, advances: transition.target !== undefined,
    ...(transition.match ? { match: transition.match } : {}),
  };
}

const variantKey = (t: TransitionDef) => `${t.event}${JSON.stringify(t.match ?? {})}`;

/**
 * What staff can do now, and what is blocked and why: an event variant (type + routing match) is
 * blocked when the current states handle it but every such transition fails a state guard.
 */
export function explain(definition: PathwayDefinition, context: CaseContext, value: unknown, at: string): { allowed: AllowedAction[]; blockers: Blocker[] } {
  const variants = new Map<string, ActiveTransition[]>();
  for (const active of activeTransitions(definition, value)) {
    if (internal.has(active.transition.event)) continue;
    const key = variantKey(active.transition);
    variants.set(key, [...(variants.get(key) ?? []), active]);
  }
  const allowed: AllowedAction[] = [];
  const blockers: Blocker[] = [];
  const stateKinds = new Set(['state', 'routing']);
  for (const candidates of variants.values()) {
    const { transition } = candidates[0]!;
    const event = { type: transition.event, at, ...(transition.match ?? {}) } as unknown as CaseEvent;
    const verdicts = candidates.map((c) => ({ c, verdict: evaluate(definition, context, c.transition, event, stateKinds) }));
    const passing = verdicts.find((v) => v.verdict.ok);
    if (passing) {
      const t = passing.c.transition;
      allowed.push({
        event: t.event as EventType, label: t.meta.label, labelEn: t.meta.labelEn, party: t.meta.party, rules: t.meta.rules,
        ...(t.match ? { match: t.match } : {}), source: passing.c.source,
      });
      continue;
    }
    const seen = new Set<string>();
    for (const { verdict } of verdicts) {
      if (verdict.ok) continue;
      // A transition whose routing fails is not addressed by this variant: nothing to explain.
      if (verdict.failed.some((f) => f.kind === 'routing')) continue;
      for (const f of verdict.failed) {
        if (seen.has(f.name)) continue;
        seen.add(f.name);
        blockers.push(toBlocker(transition, f.name));
      }
    }
  }
  // What holds the case back first; optional records after.
  blockers.sort((x, y) => Number(y.advances) - Number(x.advances));
  return { allowed, blockers };
}

export interface Refusal {
  code: 'NOT_EXPECTED' | 'BLOCKED' | 'CASE_CLOSED';
  message: string;
  rules: string[];
  reasons: Blocker[];
}

/**
 * Why the machine refused `event`: the failing guards of the transitions that address it, or, when
 * no current state handles it, where in the pathway it would be handled.
 */
export function explainRefusal(definition: PathwayDefinition, context: CaseContext, value: unknown, event: CaseEvent): Refusal {
  if (context.closed) {
    return { code: 'CASE_CLOSED', message: `Ärendet är avslutat (${context.closed.reason}) och tar inte emot händelser`, rules: [], reasons: [] };
  }
  const candidates = activeTransitions(definition, value).filter((a) => a.transition.event === event.type);
  const all = new Set(['state', 'payload', 'routing']);
  const reasons: Blocker[] = [];
  const seen = new Set<string>();
  for (const { transition } of candidates) {
    const verdict = evaluate(definition, context, transition, event, all);
    if (verdict.ok || verdict.failed.some((f) => f.kind === 'routing')) continue;
    for (const f of verdict.failed) {
      if (seen.has(f.name)) continue;
      seen.add(f.name);
      reasons.push(toBlocker(transition, f.name));
    }
  }
  if (reasons.length > 0) {
    return {
      code: 'BLOCKED',
      message: reasons.map((r) => `${r.reason} (${r.rule})`).join('; '),
      rules: [...new Set(reasons.map((r) => r.rule))],
      reasons,
    };
  }
  const elsewhere = handledWhere(definition, event);
  return {
    code: 'NOT_EXPECTED',
    message: elsewhere.length > 0
      ? `Händelsen väntas inte i ärendets nuvarande läge. Den tas emot i: ${elsewhere.map((e) => e.label).join(', ')}`
      : 'Händelsen används inte i den här processen',
    rules: [...new Set(elsewhere.flatMap((e) => e.rules))],
    reasons: [],
  };
}

/** States of the definition that handle an event (matching its routing fields). */
function handledWhere(definition: PathwayDefinition, event: CaseEvent): { label: string; rules: string[] }[] {
  const out: { label: string; rules: string[] }[] = [];
  const matches = (t: TransitionDef) => t.event === event.type
    && Object.entries(t.match ?? {}).every(([k, v]) => (event as unknown as Record<string, unknown>)[k] === v);
  walkLanes(definition.lanes, {
    state: (state, _key, region) => {
      const t = state.on?.find(matches);
      if (t) out.push({ label: `${region.meta.label}: ${state.meta.label}`, rules: t.meta.rules });
    },
    region: (region) => {
      const shared = region.on?.find(matches);
      if (shared) out.push({ label: `${region.meta.label}: ${shared.meta.label}`, rules: shared.meta.rules });
    },
  });
  return out;
}
