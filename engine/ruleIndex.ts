/**
 * Where each rule of the catalogue is implemented: the states, transitions and guards of every
 * pathway that cite it, the deadline specs, and the engine modules for time and liability. The
 * designer and the inspector show this beside the rule's sentence.
 */
import { ACTIONS } from '../machines/actions.ts';
import { DEADLINE_SPECS } from '../machines/deadlines.ts';
import { walkLanes, type TransitionDef } from '../machines/definition.ts';
import { GUARDS } from '../machines/guards.ts';
import { PATHWAYS } from '../machines/pathways.ts';
import { RULES } from '../machines/rules.ts';
import { CALENDAR_RULES } from './calendar.ts';
import { LIABILITY_RULES } from './liability.ts';

export function ruleLocations(): Map<string, string[]> {
  const index = new Map<string, Set<string>>(RULES.map((r) => [r.id, new Set<string>()]));
  const cite = (rule: string, where: string) => {
    if (!index.has(rule)) throw new Error(`${where} cites unknown rule ${rule}`);
    index.get(rule)!.add(where);
  };
  const transitions = (list: TransitionDef[] | undefined, path: string) =>
    list?.forEach((t) => t.meta.rules.forEach((r) => cite(r, `machines: ${path} — ${t.event}`)));
  for (const definition of Object.values(PATHWAYS)) {
    walkLanes(definition.lanes, {
      state: (state, key, _region, path) => {
        const where = `${definition.id} ${path}.${key}`;
        state.meta.rules.forEach((r) => cite(r, `machines: ${where}`));
        transitions(state.on, where);
      },
      region: (region, path) => transitions(region.on, `${definition.id} ${path}`),
    });
    transitions(definition.on, `${definition.id} ärende`);
  }
  for (const [name, guard] of Object.entries(GUARDS)) cite(guard.rule, `guard ${name}`);
  for (const [name, action] of Object.entries(ACTIONS)) action.rules.forEach((r) => cite(r, `action ${name}`));
  for (const spec of DEADLINE_SPECS) cite(spec.rule, `deadline ${spec.rule} (${spec.parameter})`);
  for (const rule of CALENDAR_RULES) cite(rule, 'engine/calendar.ts');
  for (const rule of LIABILITY_RULES) cite(rule, 'engine/liability.ts');
  cite('K-7', 'machines/deadlines.ts deadlineStatus');
  return new Map([...index].map(([rule, places]) => [rule, [...places].sort()]));
}
