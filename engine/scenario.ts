/**
 * Scenario files (the contract's format): parse, run on a manual clock, match expectations.
 * `samverkan simulate`, the test suite and the designer's simulator export all use this module.
 */
import { z } from 'zod';
import { instantSchema, parseEvent, PATHWAY_IDS, type PathwayId } from '../machines/events.ts';
import { parseInstant, type Instant } from './calendar.ts';
import { applyEvent, createCase, parseCaseInput, type CaseState, type NewCase, type PathwayRegistry } from './cases.ts';
import { caseView, type CaseView } from './caseView.ts';

const stepSchema = z.object({
  at: instantSchema.optional(),
  send: z.record(z.string(), z.unknown()).optional(),
  expect: z.record(z.string(), z.unknown()).optional(),
  expectRejected: z.union([z.boolean(), z.record(z.string(), z.unknown())]).optional(),
  note: z.string().optional(),
});

const scenarioSchema = z.object({
  pathway: z.enum(PATHWAY_IDS),
  // Checked as a new case is (`parseCaseInput`), so a scenario accepts exactly what the API does.
  case: z.record(z.string(), z.unknown()),
  steps: z.array(stepSchema),
});

export type Scenario = Omit<z.output<typeof scenarioSchema>, 'case'> & { case: Omit<NewCase, 'pathway'> };
export type ScenarioStep = Scenario['steps'][number];

export type ParsedScenario = { ok: true; scenario: Scenario } | { ok: false; field: string; message: string };

const fieldPath = (path: PropertyKey[]) =>
  path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');

/** Validates a scenario; on failure names the offending field (e.g. `steps[2].send.party`). */
export function parseScenario(input: unknown): ParsedScenario {
  const parsed = scenarioSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, field: fieldPath(issue.path) || 'scenario', message: issue.message };
  }
  const checked = parseCaseInput({ ...parsed.data.case, pathway: parsed.data.pathway });
  if (!checked.ok) return { ok: false, field: checked.field === 'pathway' ? 'pathway' : `case.${checked.field}`, message: checked.message };
  const { pathway: _pathway, ...caseInput } = checked.input;
  const scenario: Scenario = { ...parsed.data, case: caseInput };
  let clock = scenario.case.admittedAt;
  for (const [index, step] of scenario.steps.entries()) {
    if (step.at !== undefined) {
      if (step.at < clock) return { ok: false, field: `steps[${index}].at`, message: 'Tidpunkten ligger före föregående steg' };
      clock = step.at;
    }
    if (step.send !== undefined) {
      const event = parseEvent(step.send);
      if (!event.ok) return { ok: false, field: `steps[${index}].send.${event.field}`, message: event.message };
    }
    if (step.send === undefined && step.expect === undefined && step.at === undefined) {
      return { ok: false, field: `steps[${index}]`, message: 'Ett steg behöver minst "at", "send" eller "expect"' };
    }
  }
  return { ok: true, scenario };
}

/**
 * Subset match: objects by their keys, arrays by containing a matching item for each expected
 * item, timestamps by instant. Returns a description of the first mismatch, or null.
 */
export function mismatch(actual: unknown, expected: unknown, path = ''): string | null {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path}: väntade en lista, fick ${JSON.stringify(actual)}`;
    for (const [i, item] of expected.entries()) {
      if (!actual.some((candidate) => mismatch(candidate, item) === null)) {
        return `${path}[${i}]: inget element matchar ${JSON.stringify(item)}`;
      }
    }
    return null;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') return `${path}: väntade ett objekt, fick ${JSON.stringify(actual)}`;
    for (const [key, value] of Object.entries(expected)) {
      const found = mismatch((actual as Record<string, unknown>)[key], value, path ? `${path}.${key}` : key);
      if (found) return found;
    }
    return null;
  }
  if (typeof expected === 'string' && typeof actual === 'string' && expected.includes('T')) {
    const a = parseInstant(actual);
    const e = parseInstant(expected);
    if (a !== null && e !== null) return a === e ? null : `${path}: väntade ${expected}, fick ${actual}`;
  }
  return Object.is(actual, expected) ? null : `${path}: väntade ${JSON.stringify(expected)}, fick ${JSON.stringify(actual)}`;
}

export interface StepLine {
  step: number;
  at: Instant;
  rejected?: { code: string; message: string; rules: string[]; field?: string };
  view: CaseView;
}

export interface ScenarioResult {
  ok: boolean;
  failures: string[];
  view: CaseView | null;
}

type Rejected = NonNullable<StepLine['rejected']>;

/** What a scenario runs against: the pure core in memory, or the durable engine on a throw-away database. */
export interface ScenarioDriver {
  create(body: unknown, now: Instant): { ok: true; view: CaseView } | { ok: false; message: string };
  send(body: unknown, now: Instant): { ok: true; view: CaseView } | { ok: false; rejected: Rejected };
  view(now: Instant): CaseView;
}

/** Runs scenarios on the pure case core, in memory (the browser's simulator and quick tests). */
export function memoryDriver(registry: PathwayRegistry): ScenarioDriver & { state(): CaseState } {
  let state: CaseState | null = null;
  const current = () => {
    if (!state) throw new Error('no case yet');
    return state;
  };
  return {
    state: current,
    create(body, now) {
      const created = createCase(registry, 'scenario', body);
      if (!created.ok) return { ok: false, message: created.kind === 'invalid' ? `${created.field}: ${created.message}` : created.rejected.message };
      state = created.state;
      return { ok: true, view: caseView(registry, state, now) };
    },
    send(body, now) {
      const result = applyEvent(registry, current(), body, now);
      if (!result.ok) {
        return {
          ok: false,
          rejected: result.kind === 'invalid'
            ? { code: 'INVALID', message: result.message, rules: [], field: result.field }
            : { code: result.rejected.code, message: result.rejected.message, rules: result.rejected.rules },
        };
      }
      state = result.state;
      return { ok: true, view: caseView(registry, state, now) };
    },
    view: (now) => caseView(registry, current(), now),
  };
}

/** Runs a parsed scenario on a manual clock, reporting each step through `onLine`. */
export function runScenario(driver: ScenarioDriver, scenario: Scenario, onLine: (line: StepLine) => void = () => {}): ScenarioResult {
  let clock: Instant = scenario.case.admittedAt;
  const created = driver.create({ pathway: scenario.pathway, ...scenario.case }, clock);
  if (!created.ok) throw new Error(created.message);
  const failures: string[] = [];
  let view: CaseView = created.view;
  scenario.steps.forEach((step, index) => {
    const n = index + 1;
    if (step.at) clock = step.at;
    let rejected: Rejected | undefined;
    if (step.send) {
      const result = driver.send(step.send, clock);
      if (result.ok) {
        const last = result.view.history.at(-1)?.at;
        if (last && last > clock) clock = last;
      } else {
        rejected = result.rejected;
      }
      const wanted = step.expectRejected;
      if (rejected && !wanted) failures.push(`steg ${n}: ${String(step.send.type)} avvisades: ${rejected.message}`);
      if (!rejected && wanted) failures.push(`steg ${n}: ${String(step.send.type)} skulle ha avvisats men togs emot`);
      if (rejected && wanted && typeof wanted === 'object') {
        const diff = mismatch(rejected, wanted, 'rejected');
        if (diff) failures.push(`steg ${n}: ${diff}`);
      }
    }
    view = driver.view(clock);
    if (step.expect) {
      const diff = mismatch(view, step.expect);
      if (diff) failures.push(`steg ${n}: ${diff}`);
    }
    onLine({ step: n, at: clock, ...(rejected ? { rejected } : {}), view });
  });
  return { ok: failures.length === 0, failures, view };
}

export type { PathwayId };
