/**
 * Concrete sample events for a pathway, derived from its definition: every event type and every
 * `match` variant its transitions use, with valid payloads (and, on request, a few payloads that a
 * payload guard refuses). Payload instants are derived from the event's `at`, so a sample can be
 * sent at any time. Shared by the graph and the property tests.
 */
import type { Instant } from '../../engine/calendar.ts';
import { INTERNAL_EVENTS, type PathwayDefinition, type RegionDef, type TransitionDef } from '../../machines/definition.ts';
import { CHECKLIST_ITEMS, EVENT_TYPES, PATHWAY_IDS, READY_CRITERIA, type CaseEvent, type EventType } from '../../machines/events.ts';

export interface SampleEvent {
  /** Stable name: type plus the payload that distinguishes it, e.g. `ACKNOWLEDGE{"party":"oppenvard","of":"READY"}`. */
  key: string;
  type: EventType;
  /** The concrete event sent at `at` (payload instants follow `at`). */
  make(at: Instant): CaseEvent;
  /** A payload a payload guard is meant to refuse (only with `invalid: true`). */
  invalid: boolean;
}

export interface SampleOptions {
  /** ASSESS_NEEDS variants that do not fit the pathway's routing, too. */
  allNeeds?: boolean;
  /** APPOINT_CARE_CONTACT by a non-physician and ASSESS_NEEDS with a life-threatening condition. */
  lifeThreatening?: boolean;
  /** Payloads that a payload guard refuses (meeting before the call, date before admission, …). */
  invalid?: boolean;
  /** RECLASSIFY to the other pathways of the same routine. */
  reclassify?: boolean;
  /** Event types the pathway never handles (always refused). */
  foreign?: boolean;
  /** Checklist CONFIRMs (C-11 items that no guard reads). */
  checklist?: boolean;
}

const internal = new Set<string>(INTERNAL_EVENTS);

/** Payloads of the types whose fields are all routing `match` values, for pathways that never handle them. */
const MATCH_ONLY_DEFAULTS: Partial<Record<EventType, Record<string, unknown>>> = {
  ACKNOWLEDGE: { party: 'oppenvard', of: 'READY' },
  SEND_STATUS: { party: 'slutenvard', phase: 'discharge' },
  REFUSE: { what: 'sip' },
};

/** Every transition of a definition: lanes (recursively, with region-level `on`) and case-level. */
export function allTransitions(definition: PathwayDefinition): TransitionDef[] {
  const out: TransitionDef[] = [];
  const visit = (region: RegionDef) => {
    out.push(...(region.on ?? []));
    if (region.regions) Object.values(region.regions).forEach(visit);
    else for (const s of Object.values(region.states)) out.push(...(s.on ?? []));
  };
  Object.values(definition.lanes).forEach(visit);
  out.push(...definition.on);
  return out;
}

/** Every leaf state of a definition as `lane.state` / `lane.sub.state`, plus the final `avslutad`. */
export function allLeafStates(definition: PathwayDefinition): string[] {
  const out: string[] = [];
  const visit = (region: RegionDef, path: string) => {
    if (region.regions) for (const [k, sub] of Object.entries(region.regions)) visit(sub, `${path}.${k}`);
    else for (const s of Object.keys(region.states)) out.push(`${path}.${s}`);
  };
  for (const [k, region] of Object.entries(definition.lanes)) visit(region, k);
  out.push('avslutad');
  return out;
}

/** The leaf states of a machine snapshot value, serialised like `allLeafStates`. */
export function leafStates(value: unknown): string[] {
  if (value === 'avslutad') return ['avslutad'];
  const out: string[] = [];
  const visit = (v: unknown, path: string) => {
    if (typeof v === 'string') out.push(path ? `${path}.${v}` : v);
    else if (v && typeof v === 'object') for (const [k, sub] of Object.entries(v)) visit(sub, path ? `${path}.${k}` : k);
  };
  const lanes = (value as { aktiv?: unknown }).aktiv;
  visit(lanes, '');
  return out;
}

/** The (event, match) variants the definition's client-facing transitions use. */
export function matchVariants(definition: PathwayDefinition): { event: EventType; match: Record<string, string | boolean> | undefined }[] {
  const seen = new Map<string, { event: EventType; match: Record<string, string | boolean> | undefined }>();
  for (const t of allTransitions(definition)) {
    if (internal.has(t.event)) continue;
    const key = `${t.event}${JSON.stringify(t.match ?? {})}`;
    if (!seen.has(key)) seen.set(key, { event: t.event as EventType, match: t.match });
  }
  return [...seen.values()];
}

const plus = (at: Instant, ms: number): Instant => new Date(Date.parse(at) + ms).toISOString();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Payload variants (without `type`/`at`) of one event type; `bad` ones are refused by a payload guard. */
function payloads(
  type: EventType, definition: PathwayDefinition, options: SampleOptions,
): { payload: (at: Instant) => Record<string, unknown>; bad?: boolean; name?: string }[] {
  const fixed = (p: Record<string, unknown>, bad = false) => ({ payload: () => p, bad, name: JSON.stringify(p) });
  switch (type) {
    case 'ASSESS_NEEDS': {
      const { routing } = definition.policy;
      const all = [
        { kommun: false, oppenvard: false },
        { kommun: true, oppenvard: false },
        { kommun: false, oppenvard: true },
        { kommun: true, oppenvard: true },
        { kommun: true, oppenvard: true, kommunalHsl: false },
        { kommun: true, oppenvard: true, socialtjanst: false },
        { kommun: true, oppenvard: false, kommunalHsl: false },
        { kommun: true, oppenvard: false, socialtjanst: false },
      ];
      const fits = (n: { kommun: boolean; oppenvard: boolean }) =>
        routing === 'none' ? !n.kommun && !n.oppenvard
          : routing === 'oneHuvudman' ? n.kommun !== n.oppenvard
            : routing === 'bothHuvudman' ? n.kommun && n.oppenvard
              : n.kommun || n.oppenvard;
      const chosen = options.allNeeds ? all : all.filter(fits);
      const out = chosen.map((n) => fixed(n));
      if (options.lifeThreatening && definition.policy.coveredByLaw) {
        const n = chosen.find((x) => x.oppenvard) ?? chosen[0]!;
        out.push(fixed({ ...n, lifeThreatening: true }));
        out.push(fixed({ ...n, lifeThreatening: false }));
      }
      return out;
    }
    case 'RECORD_CONSENT': return [fixed({ given: true }), fixed({ given: false })];
    case 'RECORD_MENPROVNING': return [fixed({ disclosureAllowed: true }), fixed({ disclosureAllowed: false })];
    case 'SEND_ADMISSION_NOTICE': return [
      fixed({}),
      fixed({ expectedDischargeDate: '2026-03-16' }),
      ...(options.invalid ? [fixed({ expectedDischargeDate: '2026-02-20' }, true)] : []),
    ];
    case 'ACKNOWLEDGE': return []; // only match variants (party × of), see sampleEvents
    case 'SEND_STATUS': return [];
    case 'APPOINT_CARE_CONTACT': {
      const base = { name: 'Test Testsson', phone: '08-123 456 78', profession: 'sjuksköterska' };
      return [
        fixed({ ...base, licensedPhysician: true }),
        ...(options.lifeThreatening ? [fixed({ ...base, profession: 'distriktssköterska', licensedPhysician: false, unit: 'Vårdcentralen Solna' })] : []),
      ];
    }
    case 'SET_EXPECTED_DISCHARGE': return [
      fixed({ date: '2026-03-20' }),
      ...(options.invalid ? [fixed({ date: '2026-02-27' }, true)] : []),
    ];
    case 'CONFIRM': return [
      ...READY_CRITERIA.map((item) => fixed({ item })),
      ...(options.checklist ? CHECKLIST_ITEMS.map((item) => fixed({ item })) : []),
    ];
    case 'CALL_SIP': return [
      { payload: (at) => ({ meetingAt: plus(at, 2 * DAY), place: 'Vårdcentralen' }), name: '{"meetingAt":"+2d"}' },
      ...(options.invalid ? [{ payload: (at: Instant) => ({ meetingAt: plus(at, -HOUR) }), bad: true, name: '{"meetingAt":"-1h"}' }] : []),
    ];
    case 'ESTABLISH_SIP': return [{ payload: (at) => ({ followUpAt: plus(at, 30 * DAY) }), name: '{"followUpAt":"+30d"}' }];
    case 'FOLLOW_UP_SIP': return [fixed({}), fixed({ close: false })];
    case 'REVIEW_EXISTING_SIP': return [
      fixed({ exists: true, needsUpdate: false }), fixed({ exists: true, needsUpdate: true }), fixed({ exists: false, needsUpdate: false }),
    ];
    case 'REVOKE_READY': return [
      fixed({}),
      fixed({ newExpectedDischargeDate: '2026-03-25' }),
      ...(options.invalid ? [fixed({ newExpectedDischargeDate: '2026-02-25' }, true)] : []),
    ];
    case 'REFUSE': return [];
    case 'RECLASSIFY': {
      const prefix = definition.id.slice(0, 4);
      return PATHWAY_IDS.filter((p) => p.startsWith(prefix) && p !== definition.id).map((pathway) => fixed({ pathway }))
        .concat(options.invalid ? [fixed({ pathway: definition.id }, true)] : []);
    }
    case 'CLOSE': return [fixed({ reason: 'Uppföljning klar' })];
    case 'RECORD_PERMISSION': return [
      { payload: (at) => ({ from: plus(at, HOUR), to: plus(at, 20 * HOUR) }), name: '{"from":"+1h","to":"+20h"}' },
      ...(options.invalid ? [{ payload: (at: Instant) => ({ from: plus(at, 20 * HOUR), to: plus(at, HOUR) }), bad: true, name: '{"from":"+20h","to":"+1h"}' }] : []),
    ];
    case 'LPT_INTAKE_DECISION': return [fixed({}), fixed({ readmissionFromOpt: true })];
    case 'LPT_EXTENDED': return [
      fixed({ until: '2026-04-27' }),
      ...(options.invalid ? [fixed({ until: '2026-02-01' }, true)] : []),
    ];
    case 'LPT_ENDED': return [fixed({}), fixed({ newExpectedDischargeDate: '2026-03-23' })];
    case 'CALL_COORDINATION_MEETING': return [
      { payload: (at) => ({ meetingAt: plus(at, 3 * DAY) }), name: '{"meetingAt":"+3d"}' },
      ...(options.invalid ? [{ payload: (at: Instant) => ({ meetingAt: plus(at, -DAY) }), bad: true, name: '{"meetingAt":"-1d"}' }] : []),
    ];
    default: return [fixed({})];
  }
}

/**
 * Sample events of a pathway: each event type its transitions handle (internal events excluded,
 * RECLASSIFY only on request), with every `match` variant, with valid payloads.
 */
export function sampleEvents(definition: PathwayDefinition, options: SampleOptions = {}): SampleEvent[] {
  const out = new Map<string, SampleEvent>();
  const add = (type: EventType, payload: (at: Instant) => Record<string, unknown>, name: string, invalid: boolean) => {
    const key = `${type}${name}`;
    if (!out.has(key)) out.set(key, { key, type, invalid, make: (at) => ({ ...payload(at), type, at }) as unknown as CaseEvent });
  };
  const variants = matchVariants(definition);
  const types = new Set<EventType>(variants.map((v) => v.event));
  if (options.foreign) EVENT_TYPES.forEach((t) => types.add(t));
  if (!options.reclassify) types.delete('RECLASSIFY');
  for (const type of types) {
    const list = payloads(type, definition, options);
    const routed = variants.filter((v) => v.event === type && v.match).map((v) => v.match!);
    if (routed.length > 0) {
      // Each match variant, merged with the first (valid) payload of the type.
      const base = list[0]?.payload ?? (() => ({}));
      for (const m of routed) {
        const extra = type === 'ACKNOWLEDGE' && m.of === 'READY' ? (at: Instant) => ({ homeArrivalAt: plus(at, 6 * HOUR) }) : () => ({});
        add(type, (at) => ({ ...base(at), ...extra(at), ...m }), JSON.stringify(m), false);
      }
    }
    for (const p of list) add(type, p.payload, p.name ?? '{}', p.bad ?? false);
    if (list.length === 0 && routed.length === 0) {
      // A type the pathway never handles (foreign): some schema-valid payload.
      const payload = MATCH_ONLY_DEFAULTS[type] ?? {};
      add(type, () => payload, JSON.stringify(payload), false);
    }
  }
  return [...out.values()];
}

/** Whether a concrete event falls under a transition's `match` (the routing fields). */
export function matches(event: Record<string, unknown>, match: Record<string, string | boolean> | undefined): boolean {
  return Object.entries(match ?? {}).every(([k, v]) => event[k] === v);
}
