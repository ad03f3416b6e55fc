/**
 * The designer's pure modules: a pathway definition drawn as the routine's table (graph.ts), live
 * counts (positions.ts), the deadline timeline, forms from the message catalogue, and the
 * simulator's sandbox runs exported as scenario files.
 */
import { readFileSync } from 'node:fs';
import ElkBundled from 'elkjs/lib/elk.bundled.js';
import type { ELK as ElkInstance, ELKConstructorArguments } from 'elkjs/lib/elk-api.js';
import { describe, expect, it } from 'vitest';
import { shippedPathways } from '../engine/cases.ts';
import { memoryDriver, parseScenario, runScenario } from '../engine/scenario.ts';
import type { RegionDef } from '../machines/definition.ts';
import { eventJsonSchema, PATHWAY_IDS } from '../machines/events.ts';
import { PATHWAYS } from '../machines/pathways.ts';
import {
  buildModel, currentStateIds, elkGraph, FINAL_STATE, graphKey, layoutPathway, PHASES, resolveTarget, roundedPath, slimLayout, toFlow, wrap, type Diagram,
} from '../designer/src/graph.ts';
import { heatLevel, PositionsStore } from '../designer/src/positions.ts';
import { fieldsOf, initialValues, toPayload } from '../designer/src/schemaForm.ts';
import {
  formDefaults, fromScenario, localInputToInstant, moveClock, plusWeekday, sendEvent, startSession, toLocalIso, toScenario, undo,
} from '../designer/src/simulator.ts';
import { buildTimeline, formatMinutes } from '../designer/src/timeline.ts';

// elkjs is CommonJS: under Node its default export is the constructor itself.
const ELK = ElkBundled as unknown as new (args?: ELKConstructorArguments) => ElkInstance;
const elk = new ELK();

function leafStates(lanes: Record<string, RegionDef>): string[] {
  const out: string[] = [];
  const visit = (region: RegionDef, path: string) => {
    if (region.regions) for (const [k, sub] of Object.entries(region.regions)) visit(sub, `${path}.${k}`);
    else for (const k of Object.keys(region.states)) out.push(`${path}.${k}`);
  };
  for (const [k, lane] of Object.entries(lanes)) visit(lane, k);
  return out;
}

describe('graph: a definition becomes the routine table', () => {
  it.each(PATHWAY_IDS)('%s: every state is a node named by its leaf path, as /api/positions names it', (id) => {
    const definition = PATHWAYS[id];
    const model = buildModel(definition);
    const ids = model.states.filter((s) => s.kind === 'state').map((s) => s.id);
    expect(ids.sort()).toEqual(leafStates(definition.lanes).sort());
    // Every targeted transition is on some edge; parallel transitions share one.
    for (const edge of model.edges) {
      expect(model.states.some((s) => s.id === edge.source)).toBe(true);
      expect(model.states.some((s) => s.id === edge.target)).toBe(true);
      expect(edge.transitions.length).toBeGreaterThan(0);
    }
  });

  it('resolves sibling, child and final targets as XState does', () => {
    expect(resolveTarget('individ', '.samtycke')).toBe('individ.samtycke');
    expect(resolveTarget('oppenvard.sip', 'kallad')).toBe('oppenvard.sip.kallad');
    expect(resolveTarget('slutenvard', '#avslutad')).toBe(FINAL_STATE);
    expect(resolveTarget('slutenvard', undefined)).toBeUndefined();
  });

  it('öppenvården has its care contact and SIP as nested sub-lanes; the case row closes the case', () => {
    const model = buildModel(PATHWAYS['sth-gul']);
    expect(model.rows.filter((r) => r.parent === 'oppenvard').map((r) => r.id)).toEqual(['oppenvard.vardkontakt', 'oppenvard.sip']);
    expect(model.rows.map((r) => r.id).filter((r) => !r.includes('.'))).toEqual(['slutenvard', 'oppenvard', 'kommunal_hsl', 'socialtjanst', 'individ', 'arende']);
    const close = model.edges.find((e) => e.target === FINAL_STATE)!;
    expect(close.transitions.map((t) => t.event).sort()).toEqual(['CLOSE', 'DIE']);
  });

  it('internal events are reactions; a party\'s own events are actions; transitions that stay are records', () => {
    const model = buildModel(PATHWAYS['sth-gul']);
    const notice = model.edges.find((e) => e.id === 'kommunal_hsl.avvaktar->kommunal_hsl.attKvittera:reaction')!;
    expect(notice.transitions[0]!.event).toBe('notice.sent');
    const ready = model.edges.find((e) => e.source === 'slutenvard.vardtid' && e.target === 'slutenvard.utskrivningsklar')!;
    expect(ready.kind).toBe('action');
    expect(ready.transitions[0]!.rules).toContain('C-5');
    const vardtid = model.states.find((s) => s.id === 'slutenvard.vardtid')!;
    expect(vardtid.records.map((r) => r.event)).toContain('SET_EXPECTED_DISCHARGE');
    expect(model.rows.find((r) => r.id === 'kommunal_hsl')!.records.map((r) => r.event)).toContain('ACKNOWLEDGE');
  });

  it('wraps labels at word boundaries', () => {
    expect(wrap('Kvittera inskrivningsmeddelande', 10)).toEqual(['Kvittera', 'inskrivningsmeddelande']);
    expect(wrap('Skriv ut', 20)).toEqual(['Skriv ut']);
  });
});

describe('graph: ELK layout aligned to phase columns and party rows', () => {
  const diagrams = new Map<string, Diagram>();
  const diagramOf = async (id: (typeof PATHWAY_IDS)[number]) => {
    let d = diagrams.get(id);
    if (!d) {
      d = await layoutPathway(PATHWAYS[id], elk, 'sv');
      diagrams.set(id, d);
    }
    return d;
  };

  it.each(PATHWAY_IDS)('%s: each state sits inside its phase column and its lane\'s row', async (id) => {
    const diagram = await diagramOf(id);
    expect(diagram.columns.map((c) => c.phase)).toEqual([...PHASES]);
    for (const placed of diagram.states) {
      const column = diagram.columns.find((c) => c.phase === placed.state.phase)!;
      expect(placed.x, placed.state.id).toBeGreaterThanOrEqual(column.x);
      expect(placed.x + placed.width, placed.state.id).toBeLessThanOrEqual(column.x + column.width + 0.5);
      const row = diagram.rows.find((r) => r.row.id === placed.state.row)!;
      expect(placed.y).toBeGreaterThanOrEqual(row.y);
      expect(placed.y + placed.height).toBeLessThanOrEqual(row.y + row.height + 0.5);
    }
    // Rows stack top-down in the routine's party order without overlapping.
    const top = diagram.rows.filter((r) => r.row.parent === null);
    for (let i = 1; i < top.length; i += 1) expect(top[i]!.y).toBeGreaterThanOrEqual(top[i - 1]!.y + top[i - 1]!.height - 0.5);
  });

  it('edges keep ELK\'s orthogonal routes after the columns are aligned', async () => {
    const diagram = await diagramOf('sth-rod');
    for (const { points, edge } of diagram.edges) {
      expect(points.length, edge.id).toBeGreaterThanOrEqual(2);
      for (let i = 1; i < points.length; i += 1) {
        const a = points[i - 1]!;
        const b = points[i]!;
        expect(Math.abs(a.x - b.x) < 0.5 || Math.abs(a.y - b.y) < 0.5, `${edge.id} segment ${i}`).toBe(true);
      }
    }
    expect(roundedPath([{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 10, y: 10 }])).toMatch(/^M 0 0 L .* Q 10 0 .* L 10 10$/);
  });

  it('React Flow nodes: columns, then lanes (parents before children), then states relative to their lane', async () => {
    const diagram = await diagramOf('sth-gul');
    const { nodes, edges } = toFlow(diagram);
    const index = new Map(nodes.map((n, i) => [n.id, i]));
    for (const node of nodes) {
      if (node.parentId) expect(index.get(node.parentId)!).toBeLessThan(index.get(node.id)!);
    }
    const sip = nodes.find((n) => n.id === 'lane:oppenvard.sip')!;
    expect(sip.parentId).toBe('lane:oppenvard');
    const kallad = nodes.find((n) => n.id === 'oppenvard.sip.kallad')!;
    const placed = diagram.states.find((s) => s.state.id === 'oppenvard.sip.kallad')!;
    const row = diagram.rows.find((r) => r.row.id === 'oppenvard.sip')!;
    expect(kallad.parentId).toBe('lane:oppenvard.sip');
    expect(kallad.position).toEqual({ x: placed.x - row.x, y: placed.y - row.y });
    expect(edges.every((e) => nodes.some((n) => n.id === e.source) && nodes.some((n) => n.id === e.target))).toBe(true);
  });

  it('a layout known by ELK\'s input (the build\'s cache) draws the same diagram; a changed definition is laid out anew', async () => {
    const definition = PATHWAYS['sth-rod'];
    const input = elkGraph(buildModel(definition), 'sv');
    const known = { [graphKey(input)]: slimLayout(await elk.layout(input)) };
    const live = await layoutPathway(definition, elk, 'sv');
    const cached = await layoutPathway(definition, () => { throw new Error('ELK should not be asked'); }, 'sv', known);
    expect(JSON.stringify(cached.states.map((s) => [s.state.id, Math.round(s.x), Math.round(s.y)]))).toBe(JSON.stringify(live.states.map((s) => [s.state.id, Math.round(s.x), Math.round(s.y)])));
    const changed = { ...definition, lanes: { ...definition.lanes, slutenvard: { ...definition.lanes.slutenvard!, meta: { ...definition.lanes.slutenvard!.meta, label: 'Rättspsykiatrin' } } } };
    let asked = 0;
    await layoutPathway(changed, () => {
      asked += 1;
      return elk;
    }, 'sv', known);
    expect(asked).toBe(0); // a lane's name is not part of ELK's input: same layout
    const renamed = structuredClone(definition);
    (renamed.lanes.slutenvard as { states: Record<string, { meta: { label: string } }> }).states.vardtid!.meta.label = 'Planering inför utskrivning och annat som tar plats';
    await layoutPathway(renamed, () => {
      asked += 1;
      return elk;
    }, 'sv', known);
    expect(asked).toBe(1);
  });

  it('a case view\'s lanes name the diagram\'s states', async () => {
    const diagram = await diagramOf('sth-gul');
    const ids = currentStateIds([{ lane: 'oppenvard.sip', state: 'kallad' }, { lane: 'slutenvard', state: 'vardtid' }], 'active');
    for (const id of ids) expect(diagram.states.some((s) => s.state.id === id)).toBe(true);
    expect(currentStateIds([], 'closed').has(FINAL_STATE)).toBe(true);
  });
});

describe('positions: live counts moved by the event stream', () => {
  const change = (over: Partial<Parameters<PositionsStore['apply']>[0]>) => ({
    kind: 'case' as const, id: 'a', pathway: 'sth-gul', version: 1, status: 'active' as const, phase: 'vardtid',
    states: [], previousStates: [], previousPathway: 'sth-gul', ...over,
  });

  it('moves a case from the states it left to the states it entered', () => {
    const store = new PositionsStore('sth-gul');
    store.set([{ state: 'slutenvard.inskriven', active: 2, overdue: 1 }, { state: 'kommunal_hsl.avvaktar', active: 2, overdue: 0 }]);
    const before = store.get('kommunal_hsl.avvaktar');
    store.apply(change({ previousStates: ['slutenvard.inskriven'], states: ['slutenvard.vardtid'] }));
    expect(store.get('slutenvard.inskriven')).toEqual({ active: 1, overdue: 1 });
    expect(store.get('slutenvard.vardtid')).toEqual({ active: 1, overdue: 0 });
    // Unchanged counts keep their object, so their components do not re-render.
    expect(store.get('kommunal_hsl.avvaktar')).toBe(before);
    expect(store.total()).toBe(2);
  });

  it('a new case enters; a closed case leaves; a reclassified case moves between pathways', () => {
    const gul = new PositionsStore('sth-gul');
    const rod = new PositionsStore('sth-rod');
    gul.apply(change({ previousPathway: null, states: ['slutenvard.inskriven'] }));
    expect(gul.get('slutenvard.inskriven').active).toBe(1);
    const reclassify = change({ pathway: 'sth-rod', previousPathway: 'sth-gul', previousStates: ['slutenvard.inskriven'], states: ['slutenvard.vardtid'] });
    gul.apply(reclassify);
    rod.apply(reclassify);
    expect(gul.get('slutenvard.inskriven').active).toBe(0);
    expect(rod.get('slutenvard.vardtid').active).toBe(1);
    rod.apply(change({ pathway: 'sth-rod', previousPathway: 'sth-rod', status: 'closed', previousStates: ['slutenvard.vardtid'], states: ['slutenvard.utskriven'] }));
    expect(rod.get('slutenvard.vardtid').active).toBe(0);
    expect(rod.get('slutenvard.utskriven').active).toBe(0);
  });

  it('notifies once per frame for a burst of changes', () => {
    const frames: (() => void)[] = [];
    const store = new PositionsStore('sth-gul', (flush) => frames.push(flush));
    let notified = 0;
    store.subscribe(() => (notified += 1));
    for (let i = 0; i < 1000; i += 1) store.apply(change({ previousPathway: null, states: ['slutenvard.inskriven'] }));
    expect(frames).toHaveLength(1);
    frames[0]!();
    expect(notified).toBe(1);
    expect(store.get('slutenvard.inskriven').active).toBe(1000);
    expect(store.applied).toBe(1000);
  });

  it('heat grows with the count on a square-root scale, and is 0 without cases', () => {
    expect(heatLevel(0, 10)).toBe(0);
    expect(heatLevel(1, 100)).toBe(1);
    expect(heatLevel(25, 100)).toBe(3);
    expect(heatLevel(100, 100)).toBe(5);
  });
});

describe('timeline: K-7 deadlines on one scale', () => {
  it('orders by due time, marks when met and how far an overdue one has run', () => {
    const timeline = buildTimeline([
      { id: 'C-2:x', rule: 'C-2', party: 'kommunal_hsl', label: 'Kvittera', startedAt: '2026-03-06T15:00:00Z', due: '2026-03-09T15:00:00Z', status: 'overdue', overdueMinutes: 60 },
      { id: 'C-1', rule: 'C-1', party: 'slutenvard', label: 'Skicka', startedAt: '2026-03-06T13:00:00Z', due: '2026-03-07T13:00:00Z', status: 'met', metAt: '2026-03-06T15:00:00Z' },
    ], '2026-03-09T16:00:00Z');
    expect(timeline.bars.map((b) => b.deadline.rule)).toEqual(['C-1', 'C-2']);
    const [met, overdue] = timeline.bars;
    expect(met!.mark).not.toBeNull();
    expect(overdue!.overrun!).toBeGreaterThan(overdue!.end);
    expect(timeline.now).toBeCloseTo(overdue!.overrun!, 5);
    expect(timeline.ticks.length).toBeGreaterThan(0);
  });

  it('says durations the way staff read them', () => {
    expect(formatMinutes(45)).toBe('45 min');
    expect(formatMinutes(125)).toBe('2 h 5 min');
    expect(formatMinutes(60 * 24 * 3 + 60 * 17)).toBe('3 d 17 h');
  });
});

describe('forms from the message catalogue', () => {
  it('ACKNOWLEDGE: enums from the schema, routing values from the transition\'s match', () => {
    const fields = fieldsOf(eventJsonSchema('ACKNOWLEDGE'));
    expect(fields.map((f) => [f.name, f.kind, f.required])).toEqual([['party', 'enum', true], ['of', 'enum', true], ['homeArrivalAt', 'datetime', false]]);
    const values = initialValues(fields, { party: 'socialtjanst', of: 'ADMISSION_NOTICE' });
    expect(toPayload(fields, values, localInputToInstant)).toEqual({ ok: true, payload: { party: 'socialtjanst', of: 'ADMISSION_NOTICE' } });
  });

  it('booleans, local times (Europe/Stockholm) and missing required fields', () => {
    const fields = fieldsOf(eventJsonSchema('CALL_SIP'));
    expect(toPayload(fields, { meetingAt: '2026-03-17T10:00', place: '' }, localInputToInstant)).toEqual({ ok: true, payload: { meetingAt: '2026-03-17T09:00:00.000Z' } });
    expect(toPayload(fields, { meetingAt: '' }, localInputToInstant)).toMatchObject({ ok: false, field: 'meetingAt' });
    const consent = fieldsOf(eventJsonSchema('RECORD_CONSENT'));
    expect(toPayload(consent, { given: 'false' }, localInputToInstant)).toEqual({ ok: true, payload: { given: false } });
  });
});

describe('simulator: a sandbox run exported as a scenario file', () => {
  const setup = {
    pathway: 'sth-gul' as const,
    patient: { personnummer: '19400107-9120', name: 'Sandra Sandlåda', address: 'Testgatan 1, 123 45 Teststad' },
    kommun: 'Solna',
    admittedAt: '2026-03-06T14:00:00+01:00',
  };

  it('runs events on a virtual clock, undoes a step, and exports what `samverkan simulate` replays', () => {
    // given
    const started = startSession(setup);
    if (!started.ok) throw new Error(started.message);
    let session = started.session;
    // when
    session = sendEvent(session, { type: 'RECORD_CONSENT', given: true });
    session = moveClock(session, '2026-03-06T15:00:00+01:00');
    session = sendEvent(session, { type: 'SEND_ADMISSION_NOTICE', expectedDischargeDate: '2026-03-12' });
    session = sendEvent(session, { type: 'DECLARE_READY' });
    session = moveClock(session, plusWeekday(session.now));
    session = sendEvent(session, { type: 'ACKNOWLEDGE', party: 'socialtjanst', of: 'ADMISSION_NOTICE' });
    session = sendEvent(session, { type: 'ESTABLISH_SIP' });
    const undone = undo(session);
    // then
    expect(session.results.map((r) => r.outcome)).toEqual(['accepted', 'clock', 'accepted', 'rejected', 'clock', 'accepted', 'rejected']);
    expect(session.results[3]!.rejected!.rules).toContain('C-5');
    expect(undone.results).toHaveLength(6);
    expect(session.now).toBe('2026-03-09T14:00:00.000Z');
    expect(session.view.deadlines.some((d) => d.id === 'C-2:socialtjanst' && d.status === 'met')).toBe(true);
    const scenario = toScenario(undone, { expectFinal: true });
    const parsed = parseScenario(JSON.parse(JSON.stringify(scenario)));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const result = runScenario(memoryDriver(shippedPathways), parsed.scenario);
    expect(result.failures).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('XState\'s inspection API reports the event, its microsteps and the new snapshot', () => {
    const started = startSession(setup);
    if (!started.ok) throw new Error(started.message);
    const session = sendEvent(started.session, { type: 'SEND_ADMISSION_NOTICE' });
    const types = session.results[0]!.inspection.map((r) => r.type);
    expect(types).toContain('@xstate.event');
    expect(types).toContain('@xstate.microstep');
    expect(types).toContain('@xstate.snapshot');
    expect(session.results[0]!.inspection.find((r) => r.type === '@xstate.microstep')!.summary).toContain('slutenvard.inskriven → ');
  });

  it('imports a seed scenario and exports it again with the same steps', () => {
    const json = JSON.parse(readFileSync(new URL('./scenarios/anna-gul-hip-fracture.json', import.meta.url), 'utf8')) as { steps: unknown[] };
    const imported = fromScenario(json);
    if (!imported.ok) throw new Error(`${imported.field}: ${imported.message}`);
    expect(imported.session.view.status).toBe('closed');
    const again = parseScenario(toScenario(imported.session));
    expect(again.ok).toBe(true);
    if (!again.ok) return;
    expect(again.scenario.steps).toHaveLength(json.steps.length);
    expect(runScenario(memoryDriver(shippedPathways), again.scenario).ok).toBe(true);
  });

  it('writes times with Stockholm\'s offset, across daylight saving', () => {
    expect(toLocalIso('2026-03-06T15:00:00.000Z')).toBe('2026-03-06T16:00:00+01:00');
    expect(toLocalIso('2026-06-06T15:00:00.000Z')).toBe('2026-06-06T17:00:00+02:00');
    expect(formDefaults('CLOSE', '2026-03-06T15:00:00.000Z')).toEqual({ reason: 'Processen avslutad' });
  });
});
