/**
 * Issue 6: pathway versions. Export/import round trips of every shipped pathway behave the same
 * on every scenario; invalid definitions cannot be published (the error names the state);
 * publishing leaves running cases on their version while new ones get the new deadline; a
 * migration's dry run and real run agree; compare and impact tell what a change does; the BPMN
 * export parses with bpmn-moddle.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BpmnModdle } from 'bpmn-moddle';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shippedPathways } from '../engine/cases.ts';
import { memoryDriver, parseScenario, runScenario } from '../engine/scenario.ts';
import { pinned } from '../engine/versions.ts';
import type { PathwayDefinition } from '../machines/definition.ts';
import { PATHWAY_IDS } from '../machines/events.ts';
import { PATHWAYS } from '../machines/pathways.ts';
import { validateDefinition } from '../machines/validate.ts';
import type { RunningServer } from '../server/main.ts';
import { authHeader, processOwner, staff } from './support/authKit.ts';
import { caseBody, get, manualClock, post, serverOn, tempDir } from './support/httpKit.ts';

const dir = tempDir('versions');
let server: RunningServer;
let url = '';
const clock = manualClock('2026-03-06T13:00:00Z');
const owner = (id = 'sth') => authHeader(processOwner(id.startsWith('vrm') ? 'vrm' : 'sth'));

const put = async (path: string, body: unknown, headers: Record<string, string>) => {
  const res = await fetch(url + path, { method: 'PUT', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() as any };
};

beforeAll(async () => {
  server = await serverOn(join(dir, 'versions.db'), clock);
  url = server.url;
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const scenarioDir = join(import.meta.dirname, 'scenarios');
const scenarios = readdirSync(scenarioDir).filter((f) => f.endsWith('.json')).map((f) => {
  const parsed = parseScenario(JSON.parse(readFileSync(join(scenarioDir, f), 'utf8')));
  if (!parsed.ok) throw new Error(`${f}: ${JSON.stringify(parsed)}`);
  return { file: f, scenario: parsed.scenario };
});

describe('export and import', () => {
  it.each(PATHWAY_IDS)('%s: exported as JSON and re-imported it is identical, valid, and behaves identically on every scenario', async (id) => {
    const exported = await get(url, `/api/pathways/${id}/export?format=json`, await owner(id));
    expect(exported.status).toBe(200);
    expect(exported.body).toEqual(JSON.parse(JSON.stringify(PATHWAYS[id])));
    const imported = await post(url, `/api/pathways/${id}/import`, exported.body, await owner(id));
    expect(imported.status).toBe(200);
    expect(imported.body.validation.ok).toBe(true);
    // The import becomes the draft (numbered as the next version): the same but for the number.
    expect({ ...imported.body.definition, version: 1 }).toEqual(exported.body);
    const reimported = { ...imported.body.definition, version: 1 } as PathwayDefinition;
    const registry = pinned(shippedPathways, reimported);
    for (const { file, scenario } of scenarios.filter((s) => s.scenario.pathway === id || JSON.stringify(s.scenario).includes(id))) {
      const lines = (r: typeof shippedPathways) => {
        const out: unknown[] = [];
        const result = runScenario(memoryDriver(r), scenario, (line) => out.push(line));
        return { failures: result.failures, out };
      };
      expect(lines(registry), file).toEqual(lines(shippedPathways));
    }
    expect((await fetch(`${url}/api/pathways/${id}/draft`, { method: 'DELETE', headers: await owner(id) })).status).toBe(204);
  });

  it('BPMN 2.0 export parses with bpmn-moddle: a lane per party, a task per state, flows that resolve', async () => {
    for (const id of PATHWAY_IDS) {
      const res = await fetch(`${url}/api/pathways/${id}/export?format=bpmn`, { headers: await owner() });
      expect(res.headers.get('content-type')).toMatch(/xml/);
      const { rootElement, warnings } = await new BpmnModdle().fromXML(await res.text());
      expect(warnings, id).toEqual([]);
      const process = (rootElement as any).rootElements.find((e: any) => e.$type === 'bpmn:Process');
      const lanes = process.laneSets[0].lanes.map((l: any) => l.name);
      expect(lanes.some((l: string) => /Slutenvården|Rättspsykiatri/i.test(l)), id).toBe(true);
      const tasks = process.flowElements.filter((e: any) => e.$type === 'bpmn:UserTask');
      let states = 0;
      const count = (r: any): void => { if (r.regions) Object.values(r.regions).forEach(count); else states += Object.keys(r.states).length; };
      Object.values(PATHWAYS[id].lanes).forEach(count);
      expect(tasks.length, id).toBe(states);
      for (const flow of process.flowElements.filter((e: any) => e.$type === 'bpmn:SequenceFlow')) {
        expect(flow.sourceRef?.id, `${id} ${flow.id}`).toBeTruthy();
        expect(flow.targetRef?.id, `${id} ${flow.id}`).toBeTruthy();
      }
    }
  });

  it('SCXML export has a parallel state per lane and the final state', async () => {
    const res = await fetch(`${url}/api/pathways/sth-gul/export?format=scxml`, { headers: await owner() });
    const text = await res.text();
    expect(text).toMatch(/^<\?xml/);
    expect(text).toContain('<parallel id="aktiv">');
    expect(text).toContain('<final id="avslutad" />');
    for (const lane of Object.keys(PATHWAYS['sth-gul'].lanes)) expect(text).toContain(`id="${lane}"`);
  });
});

describe('validation', () => {
  const broken = (mutate: (d: any) => void, id: keyof typeof PATHWAYS = 'sth-gul') => {
    const d = JSON.parse(JSON.stringify(PATHWAYS[id]));
    mutate(d);
    return d;
  };

  it.each([
    ['an unreachable state', (d: any) => { d.lanes.socialtjanst.states.extra = { meta: { label: 'Extra', labelEn: 'Extra', party: 'socialtjanst', phase: 'vardtid', rules: [] }, on: [{ event: 'DISCHARGE', target: 'insatser', meta: { label: 'x', labelEn: 'x', party: 'socialtjanst', rules: [] } }] }; }, 'unreachable', 'socialtjanst.extra'],
    ['a dead end', (d: any) => { d.lanes.socialtjanst.states.planerar.on = []; d.lanes.socialtjanst.on = []; }, 'dead-end', 'socialtjanst.planerar'],
    ['a guard that does not exist', (d: any) => { d.lanes.slutenvard.states.vardtid.on[0].guards = [{ type: 'hittePa' }]; }, 'unknown-guard', 'slutenvard.vardtid'],
    ['an event that does not exist', (d: any) => { d.lanes.slutenvard.states.vardtid.on[0].event = 'FLY'; }, 'unknown-event', 'slutenvard.vardtid'],
  ])('%s cannot be published; the error names the state', async (_name, mutate, code, state) => {
    const definition = broken(mutate);
    const validation = validateDefinition(definition);
    expect(validation.ok).toBe(false);
    expect(validation.issues.find((i) => i.code === code)).toMatchObject({ severity: 'error', state });
    const res = await post(url, '/api/pathways/sth-gul/versions', { definition, comment: 'Försök' }, await owner());
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_DEFINITION');
    expect(res.body.error.message).toContain(state);
    expect((await get(url, '/api/pathways/sth-gul/versions', await owner())).body).toHaveLength(1);
  });

  it('a parameter out of range names the parameter', () => {
    const validation = validateDefinition(broken((d) => { d.parameters.acknowledgeWithin = { hours: -5, weekdaysOnly: true }; }));
    expect(validation.issues[0]).toMatchObject({ code: 'schema', path: 'parameters.acknowledgeWithin.hours' });
  });

  it('a state citing a rule that does not exist is named; schema messages are Swedish with English beside them', () => {
    const ruleIssue = validateDefinition(broken((d) => { d.lanes.socialtjanst.states.planerar.meta.rules = ['X-99']; })).issues[0];
    expect(ruleIssue).toMatchObject({ code: 'unknown-rule', state: 'socialtjanst.planerar', message: 'socialtjanst.planerar: Regeln X-99 finns inte i regelkatalogen' });
    const schemaIssue = validateDefinition(broken((d) => { d.lanes.oppenvard.regions.sip.states.kallad.meta.label = ''; })).issues[0];
    expect(schemaIssue).toMatchObject({ code: 'schema', state: 'oppenvard.sip.kallad' });
    expect(schemaIssue!.message).toMatch(/^lanes\.oppenvard\.regions\.sip\.states\.kallad\.meta\.label: För /);
    expect(schemaIssue!.messageEn).toMatch(/Too small/);
  });

  it('a draft with an error can still be compared (only its shape is needed), not published', async () => {
    const draft = broken((d) => { d.lanes.socialtjanst.states.planerar.on = []; d.lanes.socialtjanst.on = []; }, 'sth-rod');
    expect((await put('/api/pathways/sth-rod/draft', draft, await owner())).body.validation.ok).toBe(false);
    const compare = await get(url, '/api/pathways/sth-rod/compare?to=draft', await owner());
    expect(compare.status).toBe(200);
    expect(compare.body.states).toEqual({ added: [], removed: [], changed: ['socialtjanst.planerar'] });
    expect((await post(url, '/api/pathways/sth-rod/versions', { comment: 'Försök' }, await owner())).status).toBe(400);
    expect((await fetch(`${url}/api/pathways/sth-rod/draft`, { method: 'DELETE', headers: await owner() })).status).toBe(204);
  });

  it('GRÅ, outside the law, only warns that it has no ready phase', () => {
    const validation = validateDefinition(PATHWAYS['sth-gra']);
    expect(validation.ok).toBe(true);
    expect(validation.issues.map((i) => [i.severity, i.code])).toEqual([['warning', 'empty-phase'], ['warning', 'empty-phase']]);
  });
});

describe('publish, compare, impact and migrate', () => {
  let oldCase = '';
  let migrating = '';

  it('the acknowledgement limit changed from 24 to 48 hours on weekdays: compare says so in words', async () => {
    // Running cases first, on version 1.
    oldCase = (await post(url, '/api/cases', caseBody())).body.id;
    migrating = (await post(url, '/api/cases', caseBody())).body.id;
    for (const id of [oldCase, migrating]) {
      for (const event of [{ type: 'RECORD_CONSENT', given: true }, { type: 'ASSESS_NEEDS', kommun: true, oppenvard: true }, { type: 'SEND_ADMISSION_NOTICE' }]) {
        expect((await post(url, `/api/cases/${id}/events`, event)).status).toBe(200);
      }
    }
    const draft = (await get(url, '/api/pathways/sth-gul/draft', await owner())).body;
    expect(draft.saved).toBe(false);
    draft.definition.parameters.acknowledgeWithin = { hours: 48, weekdaysOnly: true };
    const saved = await put('/api/pathways/sth-gul/draft', draft.definition, await owner());
    expect(saved.status).toBe(200);
    expect(saved.body.validation.ok).toBe(true);
    const compare = await get(url, '/api/pathways/sth-gul/compare?from=1&to=draft', await owner());
    expect(compare.body.changes).toEqual([expect.objectContaining({ kind: 'parameter', path: 'parameters.acknowledgeWithin', message: 'Kvittens av inskrivningsmeddelande inom (C-2): 24 timmar på vardagar → 48 timmar på vardagar' })]);
  });

  it('the impact preview shows fewer overdue acknowledgements under the draft', async () => {
    // Monday 16:30: 24 weekday hours after Friday 14:00 have passed, 48 have not.
    clock.set('2026-03-09T15:30:00Z');
    const impact = await post(url, '/api/pathways/sth-gul/impact', {}, await owner());
    expect(impact.status).toBe(200);
    expect(impact.body.published.cases).toBe(2);
    expect(impact.body.published.overdue.socialtjanst).toBe(2);
    expect(impact.body.draft.overdue.socialtjanst ?? 0).toBe(0);
    expect(impact.body.changed.map((c: { caseId: string }) => c.caseId).sort()).toEqual([oldCase, migrating].sort());
  });

  it('publishing makes version 2; new cases get the new deadline, running ones keep theirs and complete under version 1', async () => {
    const published = await post(url, '/api/pathways/sth-gul/versions', { comment: 'Kvittens inom 48 timmar på vardagar' }, await owner());
    expect(published.status).toBe(201);
    expect(published.body.version).toBe(2);
    const list = (await get(url, '/api/pathways/sth-gul/versions', await owner())).body;
    expect(list.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(list[0]).toMatchObject({ comment: 'Kvittens inom 48 timmar på vardagar', author: 'Test Processägare' });
    // Only process owners of the region publish.
    expect((await post(url, '/api/pathways/sth-gul/versions', { comment: 'x'.repeat(5) }, await authHeader(staff('slutenvard')))).status).toBe(403);

    clock.set('2026-03-13T13:00:00Z'); // Friday 14:00 a week later
    const fresh = (await post(url, '/api/cases', caseBody({ admittedAt: '2026-03-13T13:00:00Z' }))).body.id as string;
    for (const event of [{ type: 'RECORD_CONSENT', given: true }, { type: 'ASSESS_NEEDS', kommun: true, oppenvard: true }, { type: 'SEND_ADMISSION_NOTICE' }]) {
      expect((await post(url, `/api/cases/${fresh}/events`, event)).status).toBe(200);
    }
    const newView = (await get(url, `/api/cases/${fresh}`)).body;
    expect(newView.pathwayVersion).toBe(2);
    // 48 weekday hours from Friday 14:00: Tuesday 14:00.
    expect(newView.deadlines.find((d: { id: string }) => d.id === 'C-2:socialtjanst').due).toBe('2026-03-17T13:00:00.000Z');
    const oldView = (await get(url, `/api/cases/${oldCase}`)).body;
    expect(oldView.pathwayVersion).toBe(1);
    expect(oldView.deadlines.find((d: { id: string }) => d.id === 'C-2:socialtjanst').due).toBe('2026-03-09T13:00:00.000Z');
    // The old case runs to its end on version 1.
    for (const event of [
      { type: 'ACKNOWLEDGE', party: 'socialtjanst', of: 'ADMISSION_NOTICE' }, { type: 'ACKNOWLEDGE', party: 'kommunal_hsl', of: 'ADMISSION_NOTICE' },
      { type: 'APPOINT_CARE_CONTACT', name: 'V', phone: '1', profession: 'ssk', licensedPhysician: false },
      { type: 'CONFIRM', item: 'written_information' }, { type: 'CONFIRM', item: 'information_transferred' }, { type: 'CONFIRM', item: 'aids_available' },
      { type: 'CALL_SIP', meetingAt: '2026-03-14T09:00:00Z' }, { type: 'DECLARE_READY' }, { type: 'ESTABLISH_SIP' }, { type: 'DISCHARGE' },
      { type: 'FOLLOW_UP_CONTACT' }, { type: 'CLOSE', reason: 'Klar' },
    ]) {
      const res = await post(url, `/api/cases/${oldCase}/events`, event);
      expect(res.status, `${event.type}: ${JSON.stringify(res.body)}`).toBe(200);
      expect(res.body.pathwayVersion).toBe(1);
    }
    expect((await get(url, `/api/cases/${oldCase}`)).body.status).toBe('closed');
    expect(server.engine.verify(oldCase)).toBe(true);
  });

  it('a migration dry run and the real run agree, and the migration with its mapping goes into the case history', async () => {
    const mapping = { 'socialtjanst.attKvittera': 'socialtjanst.attKvittera' };
    const dry = await post(url, '/api/pathways/sth-gul/migrations', { to: 2, from: 1, mapping, dryRun: true }, await owner());
    expect(dry.status).toBe(200);
    expect(dry.body.results).toEqual([expect.objectContaining({ caseId: migrating, ok: true, fromVersion: 1, toVersion: 2 })]);
    expect((await get(url, `/api/cases/${migrating}`)).body.pathwayVersion).toBe(1);
    const real = await post(url, '/api/pathways/sth-gul/migrations', { to: 2, from: 1, mapping, dryRun: false }, await owner());
    expect(real.body.results).toEqual(dry.body.results);
    const view = (await get(url, `/api/cases/${migrating}`)).body;
    expect(view.pathwayVersion).toBe(2);
    // 48 weekday hours from Friday 6 March 14:00: Tuesday 10 March 14:00 (it was Monday under version 1).
    expect(view.deadlines.find((d: { id: string }) => d.id === 'C-2:socialtjanst').due).toBe('2026-03-10T13:00:00.000Z');
    expect(view.history.at(-1)).toMatchObject({ type: 'MIGRATE', unit: 'Test Processägare', detail: 'version 1 → 2: socialtjanst.attKvittera → socialtjanst.attKvittera' });
    expect(server.engine.verify(migrating)).toBe(true);
    // A second run has nothing left to move.
    expect((await post(url, '/api/pathways/sth-gul/migrations', { to: 2, from: 1, dryRun: true }, await owner())).body.results).toEqual([]);
  });

  it('a mapping the case would not follow is refused, with the reason, and nothing moves', async () => {
    const id = (await post(url, '/api/cases', caseBody({ admittedAt: '2026-03-13T13:00:00Z' }))).body.id as string;
    // Started on version 2; pretend an owner maps it back to 1.
    const res = await post(url, '/api/pathways/sth-gul/migrations', { to: 1, caseIds: [id], mapping: { 'slutenvard.inskriven': 'slutenvard.vardtid' }, dryRun: false }, await owner());
    expect(res.body.results).toEqual([expect.objectContaining({ caseId: id, ok: false, reason: expect.stringContaining('slutenvard.inskriven skulle bli slutenvard.vardtid') })]);
    expect((await get(url, `/api/cases/${id}`)).body.pathwayVersion).toBe(2);
  });
});
