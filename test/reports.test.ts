/**
 * Issue 7: payment liability per case and per kommun, and deadline compliance, against figures
 * worked out by hand from the routine (the working is written beside each case). Report totals
 * equal the sums of the per-case figures; the HTTP reports answer the same, also as CSV.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseView } from '../engine/caseView.ts';
import type { RunningServer } from '../server/main.ts';
import { authHeader, processOwner, staff, WARD_ID } from './support/authKit.ts';
import { caseBody, get, manualClock, serverOn, tempDir } from './support/httpKit.ts';

const dir = tempDir('reports');
let server: RunningServer;
let url = '';
const clock = manualClock('2026-03-02T08:00:00Z');
const views = new Map<string, CaseView>();
const ids: Record<string, string> = {};

/** Local Stockholm time (CET, +01:00, before 29 March 2026; CEST, +02:00, after) as an instant. */
const cet = (local: string) => new Date(`${local}+01:00`).toISOString();
const cest = (local: string) => new Date(`${local}+02:00`).toISOString();

function send(id: string, at: string, event: Record<string, unknown>): CaseView {
  clock.set(at);
  const result = server.engine.send(id, event, { actor: { user: 'test', unit: WARD_ID, unitName: 'Testavdelning' } });
  if (!result.ok) throw new Error(`${event.type} at ${at}: ${JSON.stringify(result)}`);
  return result.view;
}

interface Plan {
  name: string;
  kommun: string;
  placeringskommun?: string;
  pathway?: string;
  admitted: string;
  notice: string;
  ready: string[];
  revoke?: string;
  discharge?: string;
  die?: string;
  oppenvardOnly?: boolean;
}

/** An admission, a notice, FVK, the C-5 criteria, a ready notice, a SIP call the day after, and the end. */
function run(plan: Plan): CaseView {
  clock.set(plan.admitted);
  const created = server.engine.create(caseBody({ pathway: plan.pathway ?? 'sth-gul', kommun: plan.kommun, placeringskommun: plan.placeringskommun ?? null, admittedAt: plan.admitted }), { ward: WARD_ID });
  if (!created.ok) throw new Error(JSON.stringify(created));
  const id = created.view.id;
  ids[plan.name] = id;
  const t = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();
  send(id, t(plan.admitted, 1), { type: 'RECORD_CONSENT', given: true });
  send(id, t(plan.admitted, 2), plan.oppenvardOnly ? { type: 'ASSESS_NEEDS', kommun: false, oppenvard: true } : { type: 'ASSESS_NEEDS', kommun: true, oppenvard: true });
  send(id, plan.notice, { type: 'SEND_ADMISSION_NOTICE' });
  send(id, t(plan.notice, 10), { type: 'APPOINT_CARE_CONTACT', name: 'Vera', phone: '1', profession: 'sjuksköterska', licensedPhysician: false });
  for (const item of ['written_information', 'information_transferred', 'aids_available']) send(id, t(plan.notice, 20), { type: 'CONFIRM', item });
  let view = send(id, plan.ready[0]!, { type: 'DECLARE_READY' });
  if (plan.revoke) {
    view = send(id, plan.revoke, { type: 'REVOKE_READY' });
    view = send(id, plan.ready[1]!, { type: 'DECLARE_READY' });
  }
  const lastReady = plan.ready.at(-1)!;
  if (!plan.oppenvardOnly) view = send(id, t(lastReady, 24 * 60), { type: 'CALL_SIP', meetingAt: t(lastReady, 2 * 24 * 60) });
  if (plan.discharge) view = send(id, plan.discharge, { type: 'DISCHARGE' });
  if (plan.die) view = send(id, plan.die, { type: 'DIE' });
  views.set(plan.name, view);
  return view;
}

beforeAll(async () => {
  server = await serverOn(join(dir, 'reports.db'), clock);
  url = server.url;
  // All admitted Monday 2 March 2026, 09:00; the notice at 10:00 (C-1: within 24 hours, in time).
  const admitted = cet('2026-03-02T09:00:00');
  const notice = cet('2026-03-02T10:00:00');
  // A — ready Tuesday 11:59, before the 12:00 cut-off (S-6): day zero is Tuesday 3 March.
  //     Discharged Thursday 5 March: 2 calendar days after day zero; chargeable 2 − ⌊1.3⌋ = 1.
  run({ name: 'A', kommun: 'Solna', admitted, notice, ready: [cet('2026-03-03T11:59:00')], discharge: cet('2026-03-05T10:00:00') });
  // B — ready Tuesday 12:00 exactly: not before 12:00, so day zero is Wednesday 4 March.
  //     Discharged Thursday: 1 day; chargeable 1 − 1 = 0.
  run({ name: 'B', kommun: 'Solna', admitted, notice, ready: [cet('2026-03-03T12:00:00')], discharge: cet('2026-03-05T10:00:00') });
  // C — ready Tuesday 09:00, revoked 15:00 (C-6), sent again Wednesday 11:00: day zero Wednesday 4 March.
  //     Discharged Saturday 7 March (a weekend: calendar days count): 3 days; chargeable 3 − 1 = 2.
  run({ name: 'C', kommun: 'Solna', admitted, notice, ready: [cet('2026-03-03T09:00:00'), cet('2026-03-04T11:00:00')], revoke: cet('2026-03-03T15:00:00'), discharge: cet('2026-03-07T10:00:00') });
  // Solna (B-5): average (2 + 1 + 3) / 3 = 2.0 > 1.3, liable; liable days 1 + 0 + 2 = 3.
  // D — lives in Nacka, placed by Täby (B-4: Täby is liable). Ready Good Friday 3 April 2026 10:00
  //     (a holiday; calendar days still count): day zero 3 April. Discharged Easter Monday 6 April: 3 days;
  //     chargeable 2. Täby: 1 case, average 3 > 1.3, liable, 2 days. Nacka: nothing.
  run({
    name: 'D', kommun: 'Nacka', placeringskommun: 'Täby', admitted: cest('2026-03-31T09:00:00'), notice: cest('2026-03-31T10:00:00'),
    ready: [cest('2026-04-03T10:00:00')], discharge: cest('2026-04-06T10:00:00'),
  });
  // E — Solna, ready Tuesday 10:00, dies Friday 6 March (C-7): not a discharge, not in any average.
  run({ name: 'E', kommun: 'Solna', admitted, notice, ready: [cet('2026-03-03T10:00:00')], die: cet('2026-03-06T08:00:00') });
  // F — Huddinge, BLÅ with öppenvård needs only: the kommun got no notice (B-3), no liability and
  //     not in Huddinge's average.
  run({ name: 'F', kommun: 'Huddinge', pathway: 'sth-bla', oppenvardOnly: true, admitted, notice, ready: [cet('2026-03-02T11:00:00')], discharge: cet('2026-03-04T10:00:00') });
  // G — Solna, the notice 26 hours after admission: C-1 late by 2 hours (120 minutes), so B-2 fails:
  //     no liability. Ready Monday 9 March 10:00, discharged Thursday 12 March: 3 days, in Solna's
  //     average after all? No — G is discharged in March too, so Solna becomes (2 + 1 + 3 + 3) / 4 = 2.25,
  //     still liable; G adds 0 liable days (B-2).
  run({ name: 'G', kommun: 'Solna', admitted, notice: cet('2026-03-03T11:00:00'), ready: [cet('2026-03-09T10:00:00')], discharge: cet('2026-03-12T10:00:00') });
  clock.set(cest('2026-04-30T12:00:00'));
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('per case (the case view)', () => {
  it.each([
    ['A', { dayZero: '2026-03-03', readyDays: 2, applies: true, chargeableDays: 1, liableKommun: 'Solna', endedOn: '2026-03-05' }],
    ['B', { dayZero: '2026-03-04', readyDays: 1, applies: true, chargeableDays: 0, liableKommun: 'Solna' }],
    ['C', { dayZero: '2026-03-04', readyDays: 3, applies: true, chargeableDays: 2, liableKommun: 'Solna', endedOn: '2026-03-07' }],
    ['D', { dayZero: '2026-04-03', readyDays: 3, applies: true, chargeableDays: 2, liableKommun: 'Täby' }],
    ['E', { dayZero: '2026-03-03', readyDays: 3, liableKommun: 'Solna', endedOn: '2026-03-06' }],
    ['F', { dayZero: '2026-03-02', readyDays: 2, applies: false, chargeableDays: 0, kommunConcerned: false }],
    ['G', { dayZero: '2026-03-09', readyDays: 3, applies: false, chargeableDays: 0 }],
  ])('case %s', (name, expected) => {
    expect(views.get(name)!.paymentLiability).toMatchObject({ ...expected, thresholdDays: 1.3 });
  });

  it('names the exception or missing criterion, and since when each criterion holds', () => {
    expect(views.get('F')!.paymentLiability.reasons).toContain('B-3: Endast insatser från öppenvården');
    expect(views.get('G')!.paymentLiability.reasons).toContain('B-2: Inskrivningsmeddelande skickat i rätt tid – saknas');
    const a = views.get('A')!.paymentLiability.criteria;
    expect(a.map((c) => [c.text.slice(0, 22), c.met, c.since])).toEqual([
      ['Inskrivningsmeddelande', true, cet('2026-03-02T10:00:00')],
      ['Meddelande om utskrivn', true, cet('2026-03-03T11:59:00')],
      ['Fast vårdkontakt utsed', true, cet('2026-03-02T10:10:00')],
      ['Kallelse till SIP sena', true, cet('2026-03-04T11:59:00')],
    ]);
    // C: the revoked notice does not count; the one sent again does.
    expect(views.get('C')!.paymentLiability.criteria[1]!.since).toBe(cet('2026-03-04T11:00:00'));
  });
});

describe('per kommun and period (B-5)', () => {
  const march = 'from=2026-03-01&to=2026-03-31';

  it('Solna: 4 discharges, average 2.25 days > 1.3, liable for 3 days (A 1 + C 2; B 0; G none, B-2)', async () => {
    const res = await get(url, `/api/reports/liability?${march}`, await authHeader(processOwner('sth')));
    expect(res.status).toBe(200);
    expect(res.body.rows).toEqual([
      expect.objectContaining({ kommun: 'Solna', cases: 4, averageDays: 2.25, thresholdDays: 1.3, liable: true, applicableCases: 3, chargeableDays: 3, liableDays: 3 }),
    ]);
    expect(res.body.rows[0].caseIds.sort()).toEqual([ids.A, ids.B, ids.C, ids.G].sort());
    // 0, 1, 2, 3 days after day zero: B; A; C and G.
    expect(res.body.rows[0].distribution.slice(0, 4)).toEqual([0, 1, 1, 2]);
  });

  it('April: Täby is liable for D (placeringskommun, B-4) and Nacka for nothing', async () => {
    const res = await get(url, '/api/reports/liability?from=2026-04-01&to=2026-04-30', await authHeader(processOwner('sth')));
    expect(res.body.rows).toEqual([expect.objectContaining({ kommun: 'Täby', cases: 1, averageDays: 3, liable: true, liableDays: 2 })]);
  });

  it('report totals are the sums of the per-case figures behind them', async () => {
    const owner = await authHeader(processOwner('sth'));
    const period = 'from=2026-03-01&to=2026-04-30';
    const report = await get(url, `/api/reports/liability?${period}`, owner);
    const cases = await get(url, `/api/reports/liability/cases?${period}`, owner);
    const items = cases.body.items as { caseId: string; kommun: string; readyDays: number; applies: boolean; chargeableDays: number }[];
    expect(items.map((i) => i.caseId).sort()).toEqual([ids.A, ids.B, ids.C, ids.D, ids.G].sort());
    for (const row of report.body.rows) {
      const mine = items.filter((i) => i.kommun === row.kommun);
      expect(row.cases).toBe(mine.length);
      expect(row.averageDays).toBeCloseTo(mine.reduce((n, i) => n + i.readyDays, 0) / mine.length, 10);
      expect(row.chargeableDays).toBe(mine.filter((i) => i.applies).reduce((n, i) => n + i.chargeableDays, 0));
    }
    expect(report.body.totals.liableDays).toBe(items.filter((i) => i.applies).reduce((n, i) => n + i.chargeableDays, 0));
    expect(report.body.totals).toMatchObject({ cases: 5, liableDays: 5, liableKommuner: 2 });
    // Per case figures equal the case views' own.
    for (const [name, id] of Object.entries(ids)) {
      const item = items.find((i) => i.caseId === id);
      if (item) expect(item).toMatchObject({ readyDays: views.get(name)!.paymentLiability.readyDays, chargeableDays: views.get(name)!.paymentLiability.chargeableDays });
    }
  });

  it('exports every table as CSV with the same rows', async () => {
    const owner = await authHeader(processOwner('sth'));
    const csv = await fetch(`${url}/api/reports/liability?${march}&format=csv`, { headers: owner });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines).toEqual(['kommun;ärenden;medeldagar;tröskel;betalningsansvar;ärenden där ansvar gäller;debiterbara dagar;ansvarsdagar', 'Solna;4;2.25;1.3;ja;3;3;3']);
    const compliance = await fetch(`${url}/api/reports/compliance?${march}&format=csv`, { headers: owner });
    expect((await compliance.text()).split('\r\n')[0]).toMatch(/^\uFEFF?månad;regel;part;enhet/);
  });

  it('is for process owners of the region; staff get 403', async () => {
    expect((await get(url, `/api/reports/liability?${march}`, await authHeader(staff('socialtjanst')))).status).toBe(403);
    expect((await get(url, `/api/reports/liability?${march}`, await authHeader(processOwner('vrm')))).body.rows).toEqual([]);
    expect((await get(url, '/api/reports/liability?from=2026-04-01&to=2026-03-01', await authHeader(processOwner('sth')))).status).toBe(400);
  });
});

describe('deadline compliance per unit, rule and month', () => {
  it('C-1 for the ward in March: 6 notices, 5 in time, G late by 120 minutes', async () => {
    const res = await get(url, '/api/reports/compliance?from=2026-03-01&to=2026-03-31&rule=C-1', await authHeader(processOwner('sth')));
    expect(res.body.rows).toEqual([
      expect.objectContaining({ unit: WARD_ID, party: 'slutenvard', rule: 'C-1', month: '2026-03', total: 6, inTime: 5, late: 1, medianLateMinutes: 120 }),
    ]);
    expect(res.body.byRule).toEqual([{ rule: 'C-1', total: 6, inTime: 5, share: 5 / 6 }]);
  });

  it('the kommun never acknowledged (C-2 late until now); öppenvården answered by appointing the FVK, in time (C-2, C-3)', async () => {
    const res = await get(url, '/api/reports/compliance?from=2026-03-01&to=2026-04-30', await authHeader(processOwner('sth')));
    const c3 = res.body.rows.filter((r: { rule: string }) => r.rule === 'C-3');
    expect(c3.reduce((n: number, r: { total: number }) => n + r.total, 0)).toBe(7);
    expect(c3.every((r: { late: number }) => r.late === 0)).toBe(true);
    const c2 = res.body.rows.filter((r: { rule: string }) => r.rule === 'C-2') as { party: string; inTime: number; late: number; total: number }[];
    const kommun = c2.filter((r) => r.party !== 'oppenvard');
    // Six cases notified both kommun parties (F only öppenvård): 12 acknowledgements, none sent.
    expect(kommun.reduce((n, r) => n + r.total, 0)).toBe(12);
    expect(kommun.every((r) => r.inTime === 0)).toBe(true);
    const ov = c2.filter((r) => r.party === 'oppenvard');
    expect(ov.reduce((n, r) => n + r.inTime, 0)).toBe(7);
    expect(ov.every((r) => r.late === 0)).toBe(true);
  });
});
