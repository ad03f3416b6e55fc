/**
 * Issue 9: "Att göra". Engine level: for each party, cases in different positions yield exactly
 * the expected rows, in order, with the Swedish text and the rule; a row leaves when its event is
 * sent and turns overdue (and moves first) when its deadline passes on the manual clock. HTTP:
 * the route, its filters, its access rules and the process owners' escalation view.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UnitParty } from '../engine/access.ts';
import { shippedPathways } from '../engine/cases.ts';
import { CaseEngine, ManualClock } from '../engine/engine.ts';
import { Store } from '../engine/store.ts';
import type { WorklistItem } from '../engine/worklist.ts';
import type { RunningServer } from '../server/main.ts';
import { authHeader, processOwner, staff, WARD_ID } from './support/authKit.ts';
import { caseBody, get, manualClock, post, serverOn, tempDir } from './support/httpKit.ts';

const solna = (party: UnitParty) => staff(party, 'sth', ['Solna']);
const row = (i: WorklistItem) => ({ label: i.label, rule: i.rule, status: i.status, event: i.action?.event ?? null, caseId: i.caseId });

describe('worklist items from the engine', () => {
  // Friday 6 March 2026, 14:00 (Stockholm): admitted; the notice goes out at 16:00.
  const clock = new ManualClock('2026-03-06T13:00:00Z');
  const engine = new CaseEngine(new Store(':memory:'), shippedPathways, clock);
  const ids: Record<string, string> = {};

  const create = (kommun: string) => {
    const created = engine.create(caseBody({ kommun }), { ward: WARD_ID });
    if (!created.ok) throw new Error(JSON.stringify(created));
    return created.view.id;
  };
  const send = (id: string, event: Record<string, unknown>) => {
    const result = engine.send(id, event);
    if (!result.ok) throw new Error(JSON.stringify(result));
  };
  const notify = (id: string) => {
    send(id, { type: 'RECORD_CONSENT', given: true });
    send(id, { type: 'ASSESS_NEEDS', kommun: true, oppenvard: true });
    send(id, { type: 'SEND_ADMISSION_NOTICE', expectedDischargeDate: '2026-03-13' });
  };

  beforeAll(() => {
    ids.notified = create('Solna');
    ids.fresh = create('Solna');
    ids.nacka = create('Nacka');
    clock.set('2026-03-06T15:00:00Z');
    notify(ids.notified!);
    notify(ids.nacka!);
  });

  it('the ward owes the admission notice of the case it has not notified (C-1), then what holds back its ready notices (C-5)', () => {
    const items = engine.worklist(solna('slutenvard'));
    const blockedRow = (caseId: string) => ({
      label: 'Den enskilde har inte fått skriftlig information (3 kap. patientlagen)', rule: 'C-5', status: 'blocked', event: 'CONFIRM', caseId,
    });
    // The Nacka case is the ward's too: it admitted it.
    expect(items.map(row)).toEqual([
      { label: 'Skicka inskrivningsmeddelande', rule: 'C-1', status: 'pending', event: 'SEND_ADMISSION_NOTICE', caseId: ids.fresh },
      ...[ids.notified!, ids.nacka!].sort().map(blockedRow),
    ]);
    // C-1 (K-3): 24 hours from admission at 14:00 on Friday.
    expect(items[0]!.due).toBe('2026-03-07T13:00:00.000Z');
    expect(items[0]!.minutes).toBe(22 * 60);
    expect(items[0]!.patientName).toBe('Test Testsson');
    // One row per case, however many criteria are missing (C-5).
    expect(items[1]!.reasons).toEqual([
      'Den enskilde har inte fått skriftlig information (3 kap. patientlagen)',
      'Väsentlig information har inte överförts till enheterna som fått inskrivningsmeddelandet',
      'Hjälpmedel och medicintekniska produkter som regionen ansvarar för är inte tillgängliga',
    ]);
    expect(items[1]!.holds).toEqual(['Meddela utskrivningsklar']);
  });

  it('each kommun party owes its acknowledgement of the Solna notice (C-2), due Monday 16:00; Nacka\'s case is not theirs', () => {
    for (const party of ['kommunal_hsl', 'socialtjanst'] as const) {
      const items = engine.worklist(solna(party));
      expect(items.map(row), party).toEqual([
        { label: 'Kvittera inskrivningsmeddelande', rule: 'C-2', status: 'pending', event: 'ACKNOWLEDGE', caseId: ids.notified },
      ]);
      expect(items[0]!.action?.match).toEqual({ party, of: 'ADMISSION_NOTICE' });
      // K-2: 24 hours on weekdays from Friday 16:00 is Monday 16:00.
      expect(items[0]!.due).toBe('2026-03-09T15:00:00.000Z');
    }
  });

  it('öppenvården owes the acknowledgement and the care contact (C-2, C-3), and is told the FVK holds back the ready notice and the SIP', () => {
    const items = engine.worklist(solna('oppenvard'));
    expect(items.map((i) => [i.label, i.rule, i.status, i.action?.event ?? null])).toEqual(expect.arrayContaining([
      ['Kvittera inskrivningsmeddelande', 'C-2', 'pending', 'ACKNOWLEDGE'],
      ['Utse fast vårdkontakt', 'C-3', 'pending', 'APPOINT_CARE_CONTACT'],
    ]));
    expect(items).toHaveLength(2);
    expect(items[0]!.due! <= items[1]!.due!).toBe(true);
    const fvk = items.find((i) => i.rule === 'C-3')!;
    const first = items[0]!;
    expect(first.holds).toEqual(expect.arrayContaining(['Meddela utskrivningsklar']));
    expect(fvk.sentence).toMatch(/fast vårdkontakt/i);
  });

  it('a unit serving another kommun sees only its own case', () => {
    const items = engine.worklist(staff('socialtjanst', 'sth', ['Nacka']));
    expect(items.map((i) => i.caseId)).toEqual([ids.nacka]);
  });

  it('a row leaves the list when its event is sent', () => {
    clock.set('2026-03-06T16:00:00Z');
    send(ids.notified!, { type: 'ACKNOWLEDGE', party: 'socialtjanst', of: 'ADMISSION_NOTICE' });
    expect(engine.worklist(solna('socialtjanst'))).toEqual([]);
    // … and nobody else's list changed.
    expect(engine.worklist(solna('kommunal_hsl')).map(row)).toEqual([
      { label: 'Kvittera inskrivningsmeddelande', rule: 'C-2', status: 'pending', event: 'ACKNOWLEDGE', caseId: ids.notified },
    ]);
  });

  it('a row turns overdue when its deadline passes on the clock, and overdue rows come first', () => {
    // Saturday 14:01: the ward's C-1 for the fresh case has passed; Monday's acknowledgements have not.
    clock.set('2026-03-07T13:01:00Z');
    expect(engine.worklist(solna('slutenvard')).map((i) => [i.rule, i.status, i.minutes])).toEqual([['C-1', 'overdue', 1], ['C-5', 'blocked', null], ['C-5', 'blocked', null]]);
    // Monday 16:01: kommunal HSL's acknowledgement is overdue too.
    clock.set('2026-03-09T15:01:00Z');
    const khsl = engine.worklist(solna('kommunal_hsl'));
    expect(khsl.map((i) => [i.rule, i.status, i.minutes])).toEqual([['C-2', 'overdue', 1]]);
    const ov = engine.worklist(solna('oppenvard'));
    const statuses = ov.map((i) => i.status);
    expect(statuses.indexOf('overdue')).toBe(0);
    expect([...statuses].sort((a, b) => (a === 'overdue' ? -1 : b === 'overdue' ? 1 : 0))).toEqual(statuses);
  });

  it('where the party has no deadline (VRM: the FVK "utan dröjsmål", C-3), one blocker row offers the move that clears it', () => {
    const created = engine.create(caseBody({ pathway: 'vrm-gul', kommun: 'Karlstad' }), { ward: WARD_ID });
    if (!created.ok) throw new Error(JSON.stringify(created));
    const id = created.view.id;
    notify(id);
    send(id, { type: 'ACKNOWLEDGE', party: 'oppenvard', of: 'ADMISSION_NOTICE' });
    const items = engine.worklist(staff('oppenvard', 'vrm', ['Karlstad'])).filter((i) => i.caseId === id);
    expect(items.map((i) => [i.kind, i.status, i.action?.event])).toEqual([['blocker', 'blocked', 'APPOINT_CARE_CONTACT']]);
    expect(items[0]!.holds).toEqual(expect.arrayContaining(['Meddela utskrivningsklar']));
    expect(items[0]!.reasons).toContain('Fast vårdkontakt är inte utsedd');
  });

  it('process owners and developers have no worklist', () => {
    expect(engine.worklist(processOwner())).toEqual([]);
  });
});

describe('GET /api/worklist and the escalation view', () => {
  const dir = tempDir('worklist');
  let server: RunningServer;
  let url = '';
  const clock = manualClock('2026-03-06T13:00:00Z');
  let id = '';

  beforeAll(async () => {
    server = await serverOn(join(dir, 'worklist.db'), clock);
    url = server.url;
    id = (await post(url, '/api/cases', caseBody())).body.id;
    clock.set('2026-03-06T15:00:00Z');
    for (const event of [{ type: 'RECORD_CONSENT', given: false }, { type: 'ASSESS_NEEDS', kommun: true, oppenvard: true }, { type: 'SEND_ADMISSION_NOTICE' }]) {
      expect((await post(url, `/api/cases/${id}/events`, event)).status).toBe(200);
    }
  });

  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers the signed-in unit\'s rows with counts, logs the read, and filters on due=overdue', async () => {
    const header = await authHeader(solna('socialtjanst'));
    const res = await get(url, '/api/worklist', header);
    expect(res.status).toBe(200);
    expect(res.body.unit).toMatchObject({ party: 'socialtjanst' });
    expect(res.body.items.map((i: WorklistItem) => [i.label, i.rule, i.status])).toEqual([['Kvittera inskrivningsmeddelande', 'C-2', 'pending']]);
    expect(res.body.counts).toMatchObject({ total: 1, overdue: 0 });
    const entry = server.engine.store.searchAccess({ limit: 1, offset: 0 }).items[0]!;
    expect(entry).toMatchObject({ action: 'worklist', userId: solna('socialtjanst').id, caseIds: [id], route: 'GET /api/worklist' });
    expect((await get(url, '/api/worklist?due=overdue', header)).body.items).toEqual([]);
    clock.set('2026-03-09T15:01:00Z');
    const overdue = await get(url, '/api/worklist?due=overdue', header);
    expect(overdue.body.items.map((i: WorklistItem) => [i.rule, i.status])).toEqual([['C-2', 'overdue']]);
    // Without consent the row still names the patient (I-1) and nothing of the other parties.
    expect(overdue.body.items[0].patientName).toBe('Test Testsson');
    expect(JSON.stringify(overdue.body)).not.toContain('kommunal_hsl');
  });

  it('acting from the row removes it', async () => {
    const header = await authHeader(solna('kommunal_hsl'));
    const before = await get(url, '/api/worklist', header);
    const item = before.body.items[0] as WorklistItem;
    expect(item.action).toMatchObject({ event: 'ACKNOWLEDGE', match: { party: 'kommunal_hsl', of: 'ADMISSION_NOTICE' } });
    const sent = await post(url, `/api/cases/${item.caseId}/events`, { type: item.action!.event, ...item.action!.match }, header);
    expect(sent.status).toBe(200);
    const after = await get(url, '/api/worklist', header);
    expect(after.body.items.map((i: WorklistItem) => i.id)).not.toContain(item.id);
  });

  it('is for staff: a process owner gets 403 and sees the escalation view instead, oldest first', async () => {
    const owner = await authHeader(processOwner('sth'));
    expect((await get(url, '/api/worklist', owner)).status).toBe(403);
    const escalation = await get(url, '/api/worklist/escalation', owner);
    expect(escalation.status).toBe(200);
    const rows = escalation.body.rows as { party: string; unit: string; rule: string; count: number; oldestDue: string }[];
    expect(rows).toEqual(expect.arrayContaining([
      expect.objectContaining({ party: 'socialtjanst', unit: 'Solna', rule: 'C-2', count: 1 }),
      expect.objectContaining({ party: 'oppenvard', unit: 'Solna', rule: 'C-2', count: 1 }),
    ]));
    expect(rows.map((r) => r.oldestDue)).toEqual([...rows.map((r) => r.oldestDue)].sort());
    expect(escalation.body.total).toBe(rows.reduce((n, r) => n + r.count, 0));
    expect((await get(url, '/api/worklist/escalation', await authHeader(solna('socialtjanst')))).status).toBe(403);
  });
});
