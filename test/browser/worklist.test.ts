/**
 * "Att göra": öppenvården lands on its worklist, appoints a fast vårdkontakt from a row's form and
 * sees the row go, while the kommun's list stays as it was; filters live in the address; the
 * process owner's escalation view lists the overdue duties per unit and rule with their cases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorklistItem } from '../../engine/worklist.ts';
import { json, login, screenshot, signIn, startHarness, type Harness } from './support.ts';

let h: Harness;

interface Worklist {
  unit: { id: string; name: string; party: string | null };
  counts: { total: number; overdue: number; dueToday: number; blocked: number };
  items: WorklistItem[];
}

interface Escalation {
  total: number;
  rows: { party: string; unit: string; unitLabel: string; rule: string; count: number; oldestDue: string; caseIds: string[] }[];
}

beforeAll(async () => {
  h = await startHarness({ demoCases: 80 });
});
afterAll(async () => {
  await h?.close();
});

const worklist = async (userId: string, query = '') => json<Worklist>(`${h.url}/api/worklist${query}`, { token: await login(h.url, userId) });

/** What a unit's list says, without what moves by itself (versions, minutes). */
const duties = (list: Worklist) => list.items.map((i) => ({ id: i.id, status: i.status, rule: i.rule, label: i.label, due: i.due, holds: i.holds, action: i.action?.event ?? null }));

const appointRow = (i: WorklistItem) => i.label === 'Utse fast vårdkontakt' && i.action?.event === 'APPOINT_CARE_CONTACT';

describe('Att göra', () => {
  it('öppenvården appoints the fast vårdkontakt from its worklist row; the row goes, the kommun\'s list stays', async () => {
    // given: a case where Vårdcentralen Solna owes the FVK (the demo seeds cases across kommuner:
    // find one via the API, preferring one where the kommun has a row too)
    const before = await worklist('demo-olivia');
    // Solna's kommunal hälso- och sjukvård and socialtjänst
    const kommunUsers = ['demo-hanna', 'demo-bosse'];
    const kommunBefore = await Promise.all(kommunUsers.map((u) => worklist(u)));
    const candidates = before.items.filter(appointRow);
    expect(candidates.length, 'a "Utse fast vårdkontakt" row in demo-olivia\'s worklist').toBeGreaterThan(0);
    const kommunCases = new Set(kommunBefore.flatMap((l) => l.items.map((i) => i.caseId)));
    const target = candidates.find((i) => kommunCases.has(i.caseId) && i.patientName) ?? candidates.find((i) => i.patientName) ?? candidates[0]!;

    // when signing in (the empty address opens the worklist for staff)
    await signIn(h.page, h.url, 'demo-olivia');
    await expect.poll(() => h.page.url()).toMatch(/#\/att-gora$/);
    await h.page.getByRole('heading', { name: 'Att göra', level: 1 }).waitFor();
    const row = h.page.locator('tr.wl-row', { has: h.page.locator(`a[href="#/arende/${target.caseId}"]`) }).filter({ hasText: 'Utse fast vårdkontakt' });
    await row.waitFor();

    // then the row says what, why, for whom and by when
    const text = await row.innerText();
    expect(text).toContain(target.rule);
    expect(text).toContain(target.patientName ?? 'Patient (dold)');
    expect(text).toContain(target.kommun);
    expect(text).toMatch(target.status === 'overdue' ? /försenad \d+ (d|h|min)/ : /om \d+ (d|h|min)/);
    expect(text).toMatch(target.status === 'overdue' ? /Försenad/ : /Idag|Kommande/);
    // The menu and the tab count the overdue and due-today rows.
    const urgent = before.counts.overdue + before.counts.dueToday;
    await expect.poll(() => h.page.title()).toBe(urgent > 0 ? `(${urgent}) Att göra – Samverkan` : 'Att göra – Samverkan');
    const nav = h.page.getByRole('navigation', { name: 'Huvudmeny' });
    if (urgent > 0) expect(await nav.getByRole('link', { name: /^Att göra/ }).innerText()).toContain(String(urgent));
    // Hovering the rule shows the routine's sentence.
    await row.locator('.rule-chip').hover();
    await expect.poll(() => h.page.getByRole('tooltip').innerText()).toContain(target.sentence.slice(0, 40));
    await screenshot(h.page, 'worklist-oppenvard');

    // when the FVK is appointed from the row
    await row.getByRole('button', { name: 'Utse fast vårdkontakt' }).click();
    const form = h.page.getByRole('form', { name: /Utse fast vårdkontakt/ });
    await form.waitFor();
    await form.getByLabel(/^Namn/).fill('Fia Fastkontakt');
    await form.getByLabel(/^Telefon/).fill('08-123 456 78');
    await form.getByLabel(/^Yrke/).fill('Distriktssköterska');
    await form.getByLabel(/^Legitimerad läkare/).selectOption('false');
    await screenshot(h.page, 'worklist-appoint-form');
    await form.getByRole('button', { name: 'Skicka', exact: true }).click();

    // then the row goes away once the refreshed list no longer has it, without leaving the page
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(0);
    expect(h.page.url()).toMatch(/#\/att-gora$/);
    expect(await h.page.getByRole('status').filter({ hasText: 'Utse fast vårdkontakt är registrerat' }).count()).toBe(1);
    const after = await worklist('demo-olivia');
    expect(after.items.find((i) => i.id === target.id)).toBeUndefined();
    const view = await json<{ careContact: { name: string } | null }>(`${h.url}/api/cases/${target.caseId}`, { token: await login(h.url, 'demo-olivia') });
    expect(view.careContact?.name).toBe('Fia Fastkontakt');
    // The kommun's lists are as they were.
    for (const [i, u] of kommunUsers.entries()) expect(duties(await worklist(u)), u).toEqual(duties(kommunBefore[i]!));
    await screenshot(h.page, 'worklist-after-appoint');
  });

  it('a row appears live when the ward sends an admission notice to the unit', async () => {
    // given öppenvården's list on screen
    await signIn(h.page, h.url, 'demo-olivia', '#/att-gora');
    await h.page.getByRole('table').waitFor();
    await expect.poll(() => h.page.locator('.wl-live').innerText()).toContain('Live');
    await h.page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    // when a ward admits a patient in Solna and sends the notice (over the API)
    const ward = await login(h.url, 'demo-sara');
    const post = { method: 'POST', headers: { 'content-type': 'application/json' }, token: ward };
    const { id } = await json<{ id: string }>(`${h.url}/api/cases`, {
      ...post, body: JSON.stringify({ pathway: 'sth-gul', patient: { personnummer: '19400107-9120', name: 'Live Listsson', address: 'Listvägen 1, Solna' }, kommun: 'Solna', admittedAt: new Date().toISOString() }),
    });
    await json(`${h.url}/api/cases/${id}/events`, { ...post, body: JSON.stringify({ type: 'SEND_ADMISSION_NOTICE' }) });
    // then its rows appear without a reload
    const rows = h.page.locator('tr.wl-row', { has: h.page.locator(`a[href="#/arende/${id}"]`) });
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const api = (await worklist('demo-olivia')).items.filter((i) => i.caseId === id);
    expect(await rows.count()).toBe(api.length);
    expect(await rows.first().innerText()).toContain('Live Listsson');
    expect(await h.page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  });

  it('the filters map to the query and stay in the address', async () => {
    // given
    await signIn(h.page, h.url, 'demo-olivia', '#/att-gora');
    await h.page.getByRole('table').waitFor();
    const api = await worklist('demo-olivia', '?due=overdue&kommun=Solna');
    // when
    await h.page.getByRole('search', { name: 'Filtrera arbetslistan' }).getByLabel('Kommun').selectOption('Solna');
    await h.page.getByRole('button', { name: 'Försenade', exact: true }).click();
    // then
    await expect.poll(() => h.page.url()).toContain('due=overdue');
    expect(h.page.url()).toContain('kommun=Solna');
    const rows = h.page.locator('tr.wl-row');
    await expect.poll(() => rows.count()).toBe(api.items.length);
    for (const text of await rows.allInnerTexts()) {
      expect(text).toContain('Försenad');
      expect(text).toContain('Solna');
    }
    // A reload keeps them.
    await h.page.reload();
    await expect.poll(() => h.page.getByRole('button', { name: 'Försenade', exact: true }).getAttribute('aria-pressed')).toBe('true');
    expect(await h.page.getByLabel('Kommun').inputValue()).toBe('Solna');
  });

  it('the process owner lands on the escalation view: overdue duties per unit and rule, with the cases', async () => {
    // given
    const escalation = await json<Escalation>(`${h.url}/api/worklist/escalation`, { token: await login(h.url, 'demo-petra') });
    expect(escalation.rows.length, 'overdue duties in the demo region').toBeGreaterThan(0);
    // when
    await signIn(h.page, h.url, 'demo-petra');
    await expect.poll(() => h.page.url()).toMatch(/#\/eskalering$/);
    const table = h.page.getByRole('table');
    await table.waitFor();
    // then
    const rows = table.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(escalation.rows.length);
    const first = escalation.rows[0]!;
    const firstText = await rows.first().innerText();
    expect(firstText).toContain(first.unitLabel);
    expect(firstText).toContain(first.rule);
    expect(firstText).toContain(String(first.count));
    expect(firstText).toMatch(/försenad \d+/);
    expect(await h.page.getByRole('main').innerText()).toContain(`${escalation.total} försenade åtaganden`);
    // Staff's worklist is not in an owner's menu; the escalation view is.
    const nav = h.page.getByRole('navigation', { name: 'Huvudmeny' });
    expect(await nav.getByRole('link', { name: /^Att göra/ }).count()).toBe(0);
    expect(await nav.getByRole('link', { name: 'Eskalering' }).count()).toBe(1);
    await screenshot(h.page, 'escalation');

    // when a case id is opened
    await rows.first().locator(`a[href="#/arende/${first.caseIds[0]}"]`).click();
    // then the inspector shows it in the owner's view
    await h.page.getByRole('note').filter({ hasText: /Processägarvy/ }).waitFor();
    expect(await h.page.getByRole('main').innerText()).toContain('Patient (dold)');
  });

  it('notifications are asked for with a button, never unasked, and come when rows pass their time (without the patient)', async () => {
    // given a browser of its own with a recording Notification and a clock the test moves
    const context = await h.browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'sv-SE', timezoneId: 'Europe/Stockholm' });
    try {
      await context.addInitScript(() => {
        const w = window as unknown as { __notes: { title: string; body: string }[]; __asked: number; Notification: unknown };
        w.__notes = [];
        w.__asked = 0;
        w.Notification = class {
          static permission = 'default';
          static async requestPermission() {
            w.__asked += 1;
            (this as unknown as { permission: string }).permission = 'granted';
            return 'granted';
          }
          onclick: unknown = null;
          constructor(title: string, options?: { body?: string }) {
            w.__notes.push({ title, body: options?.body ?? '' });
          }
          close() {}
        };
      });
      const page = await context.newPage();
      await page.clock.install();
      const list = await worklist('demo-olivia');
      const pending = list.items.filter((i) => i.status === 'pending');
      expect(pending.length, 'pending rows (the live test added some)').toBeGreaterThan(0);
      await signIn(page, h.url, 'demo-olivia');
      await page.getByRole('table').waitFor();
      const notes = () => page.evaluate(() => (window as unknown as { __notes: { title: string; body: string }[] }).__notes);
      expect(await page.evaluate(() => (window as unknown as { __asked: number }).__asked)).toBe(0);
      // when notifications are turned on
      await page.getByRole('button', { name: /Avisera mig/ }).click();
      await page.getByText('Aviseringar på').waitFor();
      expect(await page.evaluate(() => (window as unknown as { __asked: number }).__asked)).toBe(1);
      // Rows already overdue when the list was first seen give none.
      expect(await notes()).toEqual([]);
      // when every pending row's time passes (the laptop lid closed for a week)
      await page.clock.fastForward(7 * 24 * 3_600_000);
      // then one notification per row, naming the duty and place but not the patient
      await expect.poll(async () => (await notes()).length).toBe(pending.length);
      for (const note of await notes()) {
        expect(note.title).toBe('Försenad – Att göra');
        for (const item of list.items) if (item.patientName) expect(note.body).not.toContain(item.patientName);
      }
      expect((await notes()).map((n) => n.body).sort()).toEqual(pending.map((i) => `${i.label} (${i.rule}) · ${i.kommun}`).sort());
    } finally {
      await context.close();
    }
  });

  it('staff do not get the escalation view, nor owners a worklist', async () => {
    await signIn(h.page, h.url, 'demo-olivia', '#/eskalering');
    await h.page.getByRole('alert').filter({ hasText: 'Eskaleringsvyn är processägarnas.' }).waitFor();
    expect(await h.page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Eskalering' }).count()).toBe(0);
  });
});
