/**
 * Identity and access in the designer: the demo login screen, one case seen by öppenvården (I-3
 * gated, patient named) and by the region's process owner (no patient identity), a refused event
 * showing the server's reason, and the access log with its CSV export matching the API.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseView } from '../../engine/caseView.ts';
import { ARTIFACTS, json, login, screenshot, signIn, signOut, startHarness, type DemoUser, type Harness, parseCsv } from './support.ts';

let h: Harness;
let users: DemoUser[];
/** A case admitted by Södersjukhuset's ward in Solna, its admission notice sent, no consent recorded. */
let caseId: string;
const PATIENT = { personnummer: '19400107-9120', name: 'Greta Gradersson', address: 'Gradvägen 3, Solna' };

interface AccessLogEntry {
  id: number;
  userId: string;
  action: string;
  route: string;
  status: number;
  caseIds: string[];
}

beforeAll(async () => {
  h = await startHarness({ demoCases: 30 });
  users = await json<DemoUser[]>(`${h.url}/api/demo/users`);
  const ward = await login(h.url, 'demo-sara');
  const post = { method: 'POST', headers: { 'content-type': 'application/json' }, token: ward };
  ({ id: caseId } = await json<{ id: string }>(`${h.url}/api/cases`, {
    ...post, body: JSON.stringify({ pathway: 'sth-gul', patient: PATIENT, kommun: 'Solna', admittedAt: new Date().toISOString() }),
  }));
  await json(`${h.url}/api/cases/${caseId}/events`, { ...post, body: JSON.stringify({ type: 'SEND_ADMISSION_NOTICE' }) });
});
afterAll(async () => {
  await h?.close();
});


describe('signing in', () => {
  it('the login screen lists every demo user under a marked demo panel, by region and unit, with party and role', async () => {
    // when
    await h.page.goto(`${h.url}/`);
    const panel = h.page.getByRole('region', { name: 'DEMOLÄGE – syntetiska patienter' });
    await panel.waitFor();
    // then
    expect(users).toHaveLength(13);
    const text = await panel.innerText();
    for (const heading of ['Region Stockholm', 'Region Värmland', 'Personal', 'Processägare', 'Utvecklare', 'Öppenvården', 'Socialtjänsten', 'Kommunal hälso- och sjukvård']) {
      expect(text).toContain(heading);
    }
    for (const user of users) {
      expect(text).toContain(user.unit.name);
      expect(await panel.getByRole('button', { name: user.name }).count(), user.id).toBe(1);
    }
    // Nothing of the application before signing in.
    expect(await h.page.getByRole('navigation', { name: 'Huvudmeny' }).count()).toBe(0);
    await screenshot(h.page, 'login-demo');
    // Keyboard: a demo user's button takes focus and signs in with Enter.
    const sara = users.find((u) => u.id === 'demo-sara')!;
    await panel.getByRole('button', { name: sara.name }).focus();
    await h.page.keyboard.press('Enter');
    await h.page.getByRole('banner').getByText(sara.name).waitFor();
    expect(await h.page.getByRole('banner').innerText()).toContain('Södersjukhuset, avdelning 61 (geriatrik) · Personal');
    await signOut(h.page);
  });
});

describe('one case, two readers', () => {
  it('öppenvården sees the patient, the I-3 restriction and its own part; a slutenvård event is refused with the rule', async () => {
    // given
    const view = await json<CaseView & { access: { rule: string | null; note: string } }>(`${h.url}/api/cases/${caseId}`, { token: await login(h.url, 'demo-olivia') });
    expect(view.access.rule).toBe('I-3');
    // when
    await signIn(h.page, h.url, 'demo-olivia', `#/arende/${caseId}`);
    const main = h.page.getByRole('main');
    const note = h.page.getByRole('note').filter({ hasText: 'Begränsad vy (I-3)' });
    await note.waitFor();
    // then
    expect(await note.innerText()).toContain(view.access.note);
    const header = await h.page.getByRole('region', { name: 'Patient' }).innerText();
    expect(header).toContain(PATIENT.name);
    expect(header).toContain(PATIENT.personnummer);
    // The history names the unit that reported each event.
    await expect.poll(() => h.page.getByRole('region', { name: 'Händelser' }).innerText()).toContain('Södersjukhuset, avdelning 61');
    // Öppenvården is not the access-log's audience.
    expect(await h.page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Åtkomstlogg' }).count()).toBe(0);
    await screenshot(h.page, 'access-oppenvard-gated-case');

    // when öppenvården tries the ward's move
    const actions = h.page.getByRole('region', { name: /^Vems tur/ });
    await actions.getByRole('button', { name: /^Samtycke givet/ }).click();
    await main.getByRole('button', { name: 'Skicka', exact: true }).click();
    // then the server's Swedish reason and rule are shown
    const refusal = main.getByRole('alert').filter({ hasText: 'Händelsen avvisades' });
    await refusal.waitFor();
    const refused = await refusal.innerText();
    expect(refused).toContain('403 FORBIDDEN_PARTY');
    expect(refused).toContain('Händelsen rapporteras av');
    expect(refused).toContain('I-2');
    expect(refused).toContain('Slutenvården');
    await screenshot(h.page, 'access-refused-event');

    // when öppenvården acknowledges the admission notice (its own move)
    await main.getByRole('button', { name: 'Avbryt' }).click();
    await actions.getByRole('button', { name: /^Kvittera inskrivningsmeddelande/ }).click();
    await main.getByRole('button', { name: 'Skicka', exact: true }).click();
    // then
    await main.getByRole('status').filter({ hasText: 'Händelsen är registrerad' }).waitFor();
    await expect.poll(() => h.page.getByRole('region', { name: 'Händelser' }).innerText()).toContain('Vårdcentralen Solna');
  });

  it('the process owner sees the same case without the patient\'s identity', async () => {
    // when
    await signIn(h.page, h.url, 'demo-petra', `#/arende/${caseId}`);
    const note = h.page.getByRole('note').filter({ hasText: /Processägarvy/ });
    await note.waitFor();
    // then
    const main = await h.page.getByRole('main').innerText();
    expect(main).toContain('Patient (dold)');
    expect(main).toContain('Dold uppgift');
    expect(main).not.toContain(PATIENT.name);
    expect(main).not.toContain(PATIENT.personnummer);
    expect(main).not.toContain(PATIENT.address);
    // Lists name no patient either.
    const list = await json<{ items: { id: string; patientName: string | null }[] }>(`${h.url}/api/cases?limit=500`, { token: await login(h.url, 'demo-petra') });
    expect(list.items.find((c) => c.id === caseId)?.patientName).toBeNull();
    // Owners read but do not report events.
    expect(main).toContain('Du läser ärendet men rapporterar inte händelser i det.');
    expect(await h.page.getByRole('region', { name: /^Vems tur/ }).getByRole('button').count()).toBe(0);
    await screenshot(h.page, 'access-owner-case');
  });
});

describe('access log', () => {
  it('the process owner finds both reads of the case, and the CSV export holds the rows the API gives', async () => {
    // given petra signed in (previous test); the access log is in her menu
    await signIn(h.page, h.url, 'demo-petra');
    await h.page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Åtkomstlogg' }).click();
    await h.page.getByRole('heading', { name: 'Åtkomstlogg', level: 1 }).waitFor();
    // when filtered by the case
    await h.page.getByLabel('Ärende-id').fill(caseId);
    await h.page.getByRole('button', { name: 'Filtrera' }).click();
    const table = h.page.getByRole('table');
    await expect.poll(async () => (await table.count()) > 0 && (await table.innerText()).includes('demo-olivia')).toBe(true);
    // then both readers' reads are there
    const rows = table.getByRole('row');
    const reads = async (userId: string) => rows.filter({ hasText: userId }).filter({ hasText: 'GET /api/cases/:id' }).count();
    expect(await reads('demo-olivia')).toBeGreaterThanOrEqual(1);
    expect(await reads('demo-petra')).toBeGreaterThanOrEqual(1);
    expect(await table.innerText()).toContain('Vårdcentralen Solna');
    expect(h.page.url()).toContain(`caseId=${caseId}`);
    await screenshot(h.page, 'access-log');

    // when exported
    const [download] = await Promise.all([h.page.waitForEvent('download'), h.page.getByRole('button', { name: /Exportera CSV/ }).click()]);
    const file = join(ARTIFACTS, 'access-log.csv');
    await download.saveAs(file);
    const [header, ...csv] = parseCsv(readFileSync(file, 'utf8'));
    // then the rows are the API's for the same filter, up to the export itself (logged as it finished)
    const column = (name: string) => header!.indexOf(name);
    expect(column('id')).toBeGreaterThanOrEqual(0);
    const api = await json<{ items: AccessLogEntry[]; total: number }>(`${h.url}/api/access-log?caseId=${encodeURIComponent(caseId)}&limit=1000`, { token: await login(h.url, 'demo-petra') });
    const exported = new Set(csv.map((r) => Number(r[column('id')])));
    const last = Math.max(...exported);
    const expected = api.items.filter((e) => e.id <= last);
    expect(csv.length).toBe(expected.length);
    const byId = new Map(csv.map((r) => [Number(r[column('id')]), r]));
    for (const entry of expected) {
      const row = byId.get(entry.id);
      expect(row, `entry ${entry.id}`).toBeDefined();
      expect(row![column('användare')]).toBe(entry.userId);
      expect(row![column('åtgärd')]).toBe(entry.action);
      expect(row![column('väg')]).toBe(entry.route);
      expect(Number(row![column('status')])).toBe(entry.status);
      expect(row![column('ärenden')]!.split(' ')).toContain(caseId);
    }
    // Only the export and the searches since came after it.
    expect(api.items.filter((e) => e.id > last).every((e) => e.userId === 'demo-petra' && ['export', 'log-search'].includes(e.action))).toBe(true);
    expect(csv.some((r) => r[column('användare')] === 'demo-olivia' && r[column('åtgärd')] === 'read')).toBe(true);
  });

  it('signing out returns to the login screen, and a later 401 does too', async () => {
    await signOut(h.page);
    expect(await h.page.evaluate(() => sessionStorage.getItem('samverkan.token'))).toBeNull();
    // A token the server no longer accepts brings the login screen back with its reason.
    await h.page.evaluate(() => sessionStorage.setItem('samverkan.token', 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'));
    await h.page.reload();
    await h.page.getByRole('heading', { name: 'Logga in', level: 1 }).waitFor();
    await expect.poll(() => h.page.getByRole('status').innerText()).toContain('Ogiltig token');
    expect(await h.page.evaluate(() => sessionStorage.getItem('samverkan.token'))).toBeNull();
  });
});
