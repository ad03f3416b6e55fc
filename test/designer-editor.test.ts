/**
 * The designer's draft editing (designer/src/editor.ts, issue 6): edits give definitions the
 * validation judges as a process owner would expect, parameters read and write the schema's
 * shapes and are told in the server's words, issues point at their state or parameter.
 */
import { describe, expect, it } from 'vitest';
import {
  addState, addTransition, canConnect, durationText, issueTarget, issueText, issuesByState, keyFromLabel, newTransition, PARAMETER_NAMES, PARAMETER_SPECS,
  parameterText, parsePairs, readDuration, removeState, removeTransition, setParameter, stateAt, stateDiff, stateIds, updateStateMeta, writeDuration,
  type Definition,
} from '../designer/src/editor.ts';
import { formatParameter, PARAMETER_LABELS } from '../machines/compare.ts';
import { PATHWAY_IDS } from '../machines/events.ts';
import { PATHWAYS } from '../machines/pathways.ts';
import { parametersSchema, validateDefinition } from '../machines/validate.ts';

const gul = () => structuredClone(PATHWAYS['sth-gul']) as Definition;
const names = { parameter: (n: string) => PARAMETER_LABELS[n as keyof typeof PARAMETER_LABELS].sv, state: (id: string) => id };

describe('parameters', () => {
  it('every parameter of the schema has an editing kind, and the catalogue names each', () => {
    expect(new Set(PARAMETER_NAMES)).toEqual(new Set(Object.keys(parametersSchema.shape)));
    expect(new Set(PARAMETER_NAMES)).toEqual(new Set(Object.keys(PARAMETER_LABELS)));
  });

  it.each(PATHWAY_IDS)('%s: durations are told in the words of the server\'s comparison, and read/written back unchanged', (id) => {
    for (const name of PARAMETER_NAMES) {
      const value = PATHWAYS[id].parameters[name];
      const d = readDuration(value);
      if (!d) continue;
      expect(durationText(value, 'sv'), `${id} ${name}`).toBe(formatParameter(value));
      expect(writeDuration(d), `${id} ${name}`).toEqual(value);
    }
  });

  it('the fallback of a parameter switched back on is valid for the schema', () => {
    const d = gul();
    for (const name of PARAMETER_NAMES) d.parameters = { ...d.parameters, [name]: PARAMETER_SPECS[name].fallback };
    expect(parametersSchema.safeParse(d.parameters).success).toBe(true);
  });

  it('48 hours on weekdays: the schema\'s shape, and "on weekdays" only with hours', () => {
    expect(writeDuration({ unit: 'hours', amount: 48, weekdaysOnly: true })).toEqual({ hours: 48, weekdaysOnly: true });
    expect(writeDuration({ unit: 'weekdays', amount: 2, weekdaysOnly: true })).toEqual({ weekdays: 2 });
    const d = setParameter(gul(), 'acknowledgeWithin', { hours: 48, weekdaysOnly: true });
    expect(validateDefinition(d).ok).toBe(true);
    expect(parameterText('acknowledgeWithin', d.parameters.acknowledgeWithin, 'sv')).toBe('48 timmar på vardagar');
    expect(parameterText('acknowledgeWithin', null, 'sv')).toBe('ingen');
    expect(parameterText('statusMessageWindow', { earliestDaysBefore: 3, latestDaysBefore: 1 }, 'en')).toBe('3–1 days before');
  });

  it('a parameter out of range is an issue of that parameter, told by its name', () => {
    const d = setParameter(gul(), 'acknowledgeWithin', { hours: 0, weekdaysOnly: true });
    const [issue] = validateDefinition(d).issues;
    expect(issueTarget(issue!)).toEqual({ kind: 'parameter', name: 'acknowledgeWithin' });
    expect(issueText(issue!, 'sv', names)).toBe('Kvittens av inskrivningsmeddelande inom (timmar): måste vara minst 1');
    expect(issueText(issue!, 'en', { ...names, parameter: (n) => PARAMETER_LABELS[n].en })).toBe('Acknowledgement within (hours): must be at least 1');
  });
});

describe('states and transitions', () => {
  it('a new state is unreachable until a transition leads to it, then a dead end until it is terminal or has a way out', () => {
    let d = gul();
    const key = keyFromLabel('Väntar på hjälpmedel', Object.keys(d.lanes.slutenvard!.states!));
    expect(key).toBe('vantarPaHjalpmedel');
    d = addState(d, 'slutenvard', key, { label: 'Väntar på hjälpmedel', labelEn: 'Waiting for aids', party: 'slutenvard', phase: 'vardtid', rules: [] });
    const id = `slutenvard.${key}`;
    expect(stateIds(d)).toContain(id);
    const codes = () => validateDefinition(d).issues.filter((i) => i.state === id).map((i) => i.code).sort();
    expect(codes()).toEqual(['dead-end', 'unreachable']);
    expect(issuesByState(validateDefinition(d).issues).get(id)).toBe('error');
    d = addTransition(d, 'slutenvard.vardtid', newTransition('CONFIRM', 'slutenvard', key, 'Bekräfta', 'Confirm'));
    expect(codes()).toEqual(['dead-end']);
    d = updateStateMeta(d, id, { terminal: true });
    expect(validateDefinition(d).ok).toBe(true);
    expect(stateDiff(PATHWAYS['sth-gul'], d)).toMatchObject({ added: new Set([id]), changed: new Set(['slutenvard.vardtid']), removed: [] });
  });

  it('removing a state removes the transitions to it; what only it led to becomes unreachable, named by its state', () => {
    const d = removeState(gul(), 'slutenvard.utskrivningsklar');
    expect(stateAt(d, 'slutenvard.utskrivningsklar')).toBeNull();
    expect(stateAt(d, 'slutenvard.vardtid')!.state.on!.some((t) => t.target === 'utskrivningsklar')).toBe(false);
    const issue = validateDefinition(d).issues.find((i) => i.code === 'unreachable')!;
    expect(issueTarget(issue)).toEqual({ kind: 'state', id: 'slutenvard.utskriven' });
    expect(stateDiff(PATHWAYS['sth-gul'], d).removed.map((s) => s.id)).toEqual(['slutenvard.utskrivningsklar']);
  });

  it('removing an initial state hands the start to the next; removing a transition leaves the rest', () => {
    const d = removeState(gul(), 'oppenvard.sip.ejKallad');
    expect((d.lanes.oppenvard!.regions!.sip as { initial: string }).initial).toBe('kallad');
    const before = stateAt(gul(), 'slutenvard.vardtid')!.state.on!.length;
    expect(stateAt(removeTransition(gul(), 'slutenvard.vardtid', 0), 'slutenvard.vardtid')!.state.on!).toHaveLength(before - 1);
  });

  it('a state label left empty is an issue of that state, told by its name and field', () => {
    const d = updateStateMeta(gul(), 'oppenvard.sip.kallad', { label: '' });
    const issue = validateDefinition(d).issues[0]!;
    expect(issueTarget(issue)).toEqual({ kind: 'state', id: 'oppenvard.sip.kallad' });
    expect(issueText(issue, 'sv', names)).toBe('oppenvard.sip.kallad, namn: får inte vara tomt');
  });

  it('connections stay within a lane (or sub-lane)', () => {
    expect(canConnect('slutenvard.vardtid', 'slutenvard.utskriven')).toBe(true);
    expect(canConnect('oppenvard.sip.kallad', 'oppenvard.sip.upprattad')).toBe(true);
    expect(canConnect('oppenvard.sip.kallad', 'oppenvard.vardkontakt.fvkUtsedd')).toBe(false);
    expect(canConnect('slutenvard.vardtid', 'socialtjanst.planerar')).toBe(false);
    expect(canConnect('slutenvard.vardtid', 'slutenvard.vardtid')).toBe(false);
  });

  it('routing values are written as key=value pairs', () => {
    expect(parsePairs('party=socialtjanst, of=READY')).toEqual({ party: 'socialtjanst', of: 'READY' });
    expect(parsePairs('close=true')).toEqual({ close: true });
    expect(parsePairs('')).toEqual({});
    expect(parsePairs('party')).toBeNull();
  });
});
