/**
 * Issue 6 in the designer: the process owner edits sth-gul's draft (C-2 from 24 to 48 hours on
 * weekdays in the parameter panel), sees the change in words and its impact, publishes version 2
 * with a comment and finds it in the version list; new cases then get the 48-hour deadline while a
 * running case keeps version 1. A state added on the canvas is flagged unreachable until a
 * transition is dragged to it. The BPMN export downloaded from the page parses with bpmn-moddle;
 * staff see no edit controls.
 */
import { readFileSync } from 'node:fs';
import { BpmnModdle } from 'bpmn-moddle';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDuration } from '../../engine/calendar.ts';
import { json, login, screenshot as save, signIn, startHarness, type Harness } from './support.ts';

let h: Harness;
let owner: string;
let ward: string;
let runningCase = '';

interface Deadline { id: string; rule: string; limit: string; startedAt: string | null; due: string | null }
interface View { id: string; pathwayVersion: number; deadlines: Deadline[] }

const PATIENT = { personnummer: '19400107-9120', name: 'Test Testsson', address: 'Testgatan 1' };
const caseBody = () => ({ pathway: 'sth-gul', patient: { ...PATIENT }, kommun: 'Solna', admittedAt: new Date(Date.now() - 3_600_000).toISOString() });

/** A new sth-gul case from the ward (demo-sara), with its admission notice sent. */
async function admitWithNotice(): Promise<View> {
  const created = await json<View>(`${h.url}/api/cases`, { method: 'POST', token: ward, headers: { 'content-type': 'application/json' }, body: JSON.stringify(caseBody()) });
  let view = created;
  for (const event of [{ type: 'RECORD_CONSENT', given: true }, { type: 'ASSESS_NEEDS', kommun: true, oppenvard: true }, { type: 'SEND_ADMISSION_NOTICE' }]) {
    view = await json<View>(`${h.url}/api/cases/${created.id}/events`, { method: 'POST', token: ward, headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });
  }
  return view;
}

/** A screenshot without a tooltip left by the pointer. */
async function screenshot(page: Harness['page'], name: string): Promise<void> {
  await page.mouse.move(1, 1);
  await page.getByRole('tooltip').waitFor({ state: 'hidden' }).catch(() => {});
  await save(page, name);
}

const c2 = (view: View) => view.deadlines.find((d) => d.id === 'C-2:socialtjanst')!;

beforeAll(async () => {
  h = await startHarness({ demoCases: 40 });
  owner = await login(h.url, 'demo-petra');
  ward = await login(h.url, 'demo-sara');
  // A case running on version 1 before anything is published.
  runningCase = (await admitWithNotice()).id;
});
afterAll(async () => {
  await h?.close();
});

describe('pathway versions in the designer', () => {
  it('staff see the versions and exports but no edit controls', async () => {
    await signIn(h.page, h.url, 'demo-sara', '#/process/sth-gul');
    const map = h.page.getByRole('region', { name: /^Processkarta:/ });
    await map.getByRole('button', { name: /^Slutenvården: / }).first().waitFor();
    await h.page.getByRole('group', { name: 'Versioner' }).getByText('Version 1 (gällande)').waitFor();
    expect(await h.page.getByRole('link', { name: /Redigera/ }).count()).toBe(0);
    // The edit address itself tells them it is the process owners' business, with nothing to change.
    await h.page.goto(`${h.url}/#/process/sth-gul/edit`);
    await h.page.getByRole('note').filter({ hasText: 'Processen ändras av regionens processägare' }).waitFor();
    expect(await h.page.getByRole('button', { name: /Publicera/ }).count()).toBe(0);
    expect(await h.page.getByRole('group', { name: /Kvittens av inskrivningsmeddelande inom/ }).count()).toBe(0);
  });

  it('the process owner changes C-2 to 48 hours on weekdays, sees it in words and its impact, and publishes version 2', async () => {
    const page = h.page;
    await signIn(page, h.url, 'demo-petra', '#/process/sth-gul');
    await page.getByRole('link', { name: /Redigera/ }).click();
    await page.getByText('Redigerar utkast').waitFor();
    await page.getByRole('heading', { name: /Kontroll: Inga anmärkningar/ }).waitFor();

    // The parameter panel: 24 hours on weekdays → 48.
    const c2Field = page.getByRole('group', { name: /Kvittens av inskrivningsmeddelande inom/ });
    const amount = c2Field.getByRole('textbox', { name: /^Antal:/ });
    expect(await amount.inputValue()).toBe('24');
    expect(await c2Field.getByRole('combobox', { name: /^Enhet:/ }).inputValue()).toBe('hours');
    expect(await c2Field.getByRole('checkbox', { name: 'på vardagar' }).isChecked()).toBe(true);
    await amount.fill('48');
    await expect.poll(() => c2Field.innerText()).toContain('Ändrad från 24 timmar på vardagar');
    await page.getByText(/sparat \d\d:\d\d av Petra Persson/).waitFor();
    await screenshot(page, 'versions-edit-parameters');

    // Validation runs as one edits, each issue in Swedish and linked to what it concerns.
    await amount.fill('0');
    const issue = page.getByRole('region', { name: /Kontroll/ }).getByRole('button', { name: 'Kvittens av inskrivningsmeddelande inom (timmar): måste vara minst 1' });
    await issue.waitFor();
    await expect.poll(() => page.getByRole('heading', { name: /Kontroll: 1 fel/ }).isVisible()).toBe(true);
    expect(await c2Field.innerText()).toContain('måste vara minst 1');
    expect(await page.getByRole('button', { name: 'Publicera …' }).isDisabled()).toBe(true);
    await amount.fill('48');
    await page.getByRole('heading', { name: /Kontroll: Inga anmärkningar/ }).waitFor();

    // The changes in words.
    await page.getByRole('tab', { name: /Ändringar/ }).click();
    const changes = page.getByRole('tabpanel');
    await expect.poll(() => changes.innerText()).toContain('Kvittens av inskrivningsmeddelande inom (C-2): 24 timmar på vardagar → 48 timmar på vardagar');
    await screenshot(page, 'versions-compare');

    // The impact on active cases: the same numbers as the API's.
    await page.getByRole('tab', { name: 'Konsekvenser' }).click();
    await page.getByRole('button', { name: 'Beräkna konsekvenser' }).click();
    const expected = await json<{ published: { cases: number; liable: number }; draft: { liable: number }; changed: unknown[] }>(`${h.url}/api/pathways/sth-gul/impact`, {
      method: 'POST', token: owner, headers: { 'content-type': 'application/json' }, body: '{}',
    });
    const panel = page.getByRole('tabpanel');
    await panel.getByRole('table').waitFor();
    expect(expected.published.cases).toBeGreaterThan(0);
    await expect.poll(() => panel.innerText()).toContain(`på ${expected.published.cases} pågående ärenden`);
    expect(await panel.getByLabel(/^Betalningsansvar: /).getAttribute('aria-label')).toBe(`Betalningsansvar: ${expected.published.liable} → ${expected.draft.liable}`);
    expect(await panel.getByRole('rowheader').count()).toBeGreaterThan(0);
    if (expected.changed.length > 0) expect(await panel.innerText()).toMatch(/\d+ ärenden? skulle ändras/);
    await screenshot(page, 'versions-impact');

    // Publish with a comment; version 2 appears in the version list.
    await page.getByRole('button', { name: 'Publicera …' }).click();
    const dialog = page.getByRole('dialog', { name: 'Publicera ny version' });
    await dialog.getByText('Kvittens av inskrivningsmeddelande inom (C-2): 24 timmar på vardagar → 48 timmar på vardagar').waitFor();
    expect(await dialog.getByRole('button', { name: 'Publicera', exact: true }).isDisabled()).toBe(true);
    await dialog.getByRole('textbox', { name: /Kommentar/ }).fill('Kvittens inom 48 timmar på vardagar (beslut i samverkansgruppen)');
    await screenshot(page, 'versions-publish-dialog');
    await dialog.getByRole('button', { name: 'Publicera', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Version 2 är publicerad.' }).waitFor();
    const table = page.getByRole('tabpanel').getByRole('table');
    const v2 = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /v2/ }) });
    await v2.waitFor();
    expect(await v2.innerText()).toContain('Kvittens inom 48 timmar på vardagar (beslut i samverkansgruppen)');
    expect(await v2.innerText()).toContain('Petra Persson');
    expect(await v2.innerText()).toContain('gällande');
    expect(await table.getByRole('rowheader', { name: /v1/ }).count()).toBe(1);
    await screenshot(page, 'versions-published');

    const pathway = await json<{ version: number; latestVersion: number; parameters: { acknowledgeWithin: unknown } }>(`${h.url}/api/pathways/sth-gul`, { token: owner });
    expect(pathway.version).toBe(2);
    expect(pathway.latestVersion).toBe(2);
    expect(pathway.parameters.acknowledgeWithin).toEqual({ hours: 48, weekdaysOnly: true });
  });

  it('a new case from the ward gets the 48-hour C-2 deadline; the running case keeps version 1 and 24 hours', async () => {
    const fresh = await admitWithNotice();
    expect(fresh.pathwayVersion).toBe(2);
    expect(c2(fresh).limit).toBe('inom 48 timmar på vardagar');
    expect(c2(fresh).due).toBe(addDuration(c2(fresh).startedAt!, { hours: 48, weekdaysOnly: true }));
    const running = await json<View>(`${h.url}/api/cases/${runningCase}`, { token: ward });
    expect(running.pathwayVersion).toBe(1);
    expect(c2(running).limit).toBe('inom 24 timmar på vardagar');
    expect(c2(running).due).toBe(addDuration(c2(running).startedAt!, { hours: 24, weekdaysOnly: true }));
    // The version list counts them.
    const versions = await json<{ version: number; activeCases: number }[]>(`${h.url}/api/pathways/sth-gul/versions`, { token: owner });
    expect(versions.find((v) => v.version === 2)!.activeCases).toBeGreaterThanOrEqual(1);
  });

  it('the older version opens read-only; the BPMN export downloaded from the page parses with bpmn-moddle', async () => {
    const page = h.page;
    await page.goto(`${h.url}/#/process/sth-gul?version=1`);
    await page.getByRole('note').filter({ hasText: 'Du ser version 1' }).waitFor();
    expect(await page.getByRole('group', { name: 'Versioner' }).getByRole('combobox').inputValue()).toBe('1');
    await screenshot(page, 'versions-view-older');
    await page.goto(`${h.url}/#/process/sth-gul`);
    const bar = page.getByRole('group', { name: 'Versioner' });
    await bar.getByRole('combobox').waitFor();
    expect(await bar.getByRole('combobox').inputValue()).toBe('2');
    const [download] = await Promise.all([page.waitForEvent('download'), bar.getByRole('button', { name: 'Exportera som BPMN' }).click()]);
    expect(download.suggestedFilename()).toBe('sth-gul-v2.bpmn');
    const xml = readFileSync((await download.path())!, 'utf8');
    const { rootElement, warnings } = await new BpmnModdle().fromXML(xml);
    expect(warnings).toEqual([]);
    expect((rootElement as unknown as { rootElements: { $type: string }[] }).rootElements.some((e) => e.$type === 'bpmn:Process')).toBe(true);
  });

  it('the running cases move to version 2: a dry run case by case, then for real', async () => {
    const page = h.page;
    await page.goto(`${h.url}/#/process/sth-gul`);
    await page.getByRole('button', { name: /^Versioner/ }).click();
    const drawer = page.getByRole('complementary', { name: 'Versioner' });
    const v2 = drawer.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /v2/ }) });
    await v2.getByRole('button', { name: 'Flytta ärenden hit …' }).click();
    await drawer.getByRole('heading', { name: 'Flytta pågående ärenden till version 2' }).waitFor();
    await drawer.getByRole('button', { name: 'Provkör' }).click();
    const expected = await json<{ moved: number; refused: number; results: { caseId: string; ok: boolean }[] }>(`${h.url}/api/pathways/sth-gul/migrations`, {
      method: 'POST', token: owner, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ to: 2, dryRun: true }),
    });
    expect(expected.results.find((r) => r.caseId === runningCase)?.ok).toBe(true);
    await drawer.getByText(`Provkörning – inget är ändrat. ${expected.moved} kan flyttas · ${expected.refused} kan inte flyttas`).waitFor();
    const row = drawer.getByRole('row').filter({ hasText: runningCase });
    expect(await row.innerText()).toContain('Kan flyttas');
    await screenshot(page, 'versions-migration-dry-run');
    // Only the running case of this test moves.
    for (const r of expected.results.filter((x) => x.ok && x.caseId !== runningCase)) {
      await drawer.getByRole('checkbox', { name: `Ta med ${r.caseId}` }).uncheck();
    }
    await drawer.getByRole('button', { name: 'Flytta 1 ärende' }).click();
    await drawer.getByRole('group', { name: /Flytta 1 ärende till version 2\?/ }).getByRole('button', { name: 'Flytta 1 ärende' }).click();
    await drawer.getByRole('status').filter({ hasText: '1 ärende flyttat till version 2.' }).waitFor();
    const moved = await json<View>(`${h.url}/api/cases/${runningCase}`, { token: ward });
    expect(moved.pathwayVersion).toBe(2);
    expect(c2(moved).limit).toBe('inom 48 timmar på vardagar');
  });

  it('a state added on the canvas is unreachable until a transition is dragged to it; the draft can be discarded', async () => {
    const page = h.page;
    await page.goto(`${h.url}/#/process/sth-gul/edit`);
    await page.getByRole('heading', { name: /Kontroll: Inga anmärkningar/ }).waitFor();
    await page.getByRole('button', { name: '+ Nytt läge' }).first().click();
    const form = page.getByRole('form', { name: 'Nytt läge' });
    await form.getByRole('combobox', { name: 'Bana' }).selectOption({ label: 'Slutenvården' });
    await form.getByRole('textbox', { name: 'Namn', exact: true }).fill('Väntar på hjälpmedel');
    await form.getByRole('textbox', { name: 'Namn på engelska' }).fill('Waiting for aids');
    await form.getByRole('combobox', { name: 'Fas' }).selectOption('vardtid');
    await form.getByRole('button', { name: 'Lägg till läget' }).click();
    const map = page.getByRole('region', { name: /^Processkarta:/ });
    const added = map.getByRole('button', { name: /^Slutenvården: Väntar på hjälpmedel\. .*\(Ny, Fel\)$/ });
    await added.waitFor();
    await page.getByRole('region', { name: /Kontroll/ }).getByText(/slutenvard\.vantarPaHjalpmedel \(Väntar på hjälpmedel\) kan inte nås/).waitFor();

    // Drag from "Planering inför utskrivning" to the new state.
    const from = page.locator('.react-flow__node[data-id="slutenvard.vardtid"] .react-flow__handle-right');
    const to = page.locator('.react-flow__node[data-id="slutenvard.vantarPaHjalpmedel"]');
    await from.scrollIntoViewIfNeeded();
    const a = (await from.boundingBox())!;
    const b = (await to.boundingBox())!;
    await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await page.mouse.down();
    await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 12 });
    await page.mouse.up();
    const panel = page.getByRole('tabpanel');
    await panel.getByRole('heading', { name: /Ny övergång: Planering inför utskrivning → Väntar på hjälpmedel/ }).waitFor();
    await panel.getByRole('combobox', { name: 'Händelse' }).selectOption('CONFIRM');
    expect(await panel.getByRole('combobox', { name: 'Leder till' }).inputValue()).toBe('vantarPaHjalpmedel');
    await panel.getByRole('button', { name: 'Lägg till övergången' }).click();
    await expect.poll(() => page.getByRole('region', { name: /Kontroll/ }).innerText()).not.toContain('kan inte nås');
    await screenshot(page, 'versions-edit-canvas');

    await page.getByRole('button', { name: 'Kasta utkastet' }).click();
    await page.getByRole('group', { name: 'Kasta utkastet' }).getByRole('button', { name: 'Kasta utkastet' }).click();
    await expect.poll(() => map.getByRole('button', { name: /Väntar på hjälpmedel/ }).count()).toBe(0);
    const draft = await json<{ saved: boolean }>(`${h.url}/api/pathways/sth-gul/draft`, { token: owner });
    expect(draft.saved).toBe(false);
  });

  it('the draft exported as JSON, changed and imported again becomes the draft', async () => {
    const page = h.page;
    await page.goto(`${h.url}/#/process/sth-gul/edit`);
    await page.getByRole('heading', { name: /Kontroll: Inga anmärkningar/ }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('group', { name: 'Exportera' }).getByRole('button', { name: 'Exportera som JSON' }).click()]);
    const exported = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { version: number; parameters: Record<string, unknown> };
    expect(exported.parameters.acknowledgeWithin).toEqual({ hours: 48, weekdaysOnly: true });
    exported.parameters.followUpContactWithin = { weekdays: 3 };
    await page.locator('input[type="file"]').setInputFiles({ name: 'gul-uppfoljning.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(exported)) });
    await page.getByRole('status').filter({ hasText: 'gul-uppfoljning.json är importerad som utkast.' }).waitFor();
    await page.getByRole('tab', { name: 'Parametrar' }).click();
    await expect.poll(() => page.getByRole('group', { name: /Uppföljningskontakt efter utskrivning inom/ }).innerText()).toContain('Ändrad från 2 vardagar');
    await page.getByRole('tab', { name: /Ändringar/ }).click();
    await expect.poll(() => page.getByRole('tabpanel').innerText()).toContain('Uppföljningskontakt efter utskrivning inom (C-8): 2 vardagar → 3 vardagar');
    const draft = await json<{ saved: boolean; definition: { parameters: Record<string, unknown> } }>(`${h.url}/api/pathways/sth-gul/draft`, { token: owner });
    expect(draft.saved).toBe(true);
    expect(draft.definition.parameters.followUpContactWithin).toEqual({ weekdays: 3 });
    await page.getByRole('button', { name: 'Kasta utkastet' }).click();
    await page.getByRole('group', { name: 'Kasta utkastet' }).getByRole('button', { name: 'Kasta utkastet' }).click();
    await expect.poll(async () => (await json<{ saved: boolean }>(`${h.url}/api/pathways/sth-gul/draft`, { token: owner })).saved).toBe(false);
  });
});
