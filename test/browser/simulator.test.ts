/** A simulator run of a few steps exports a scenario that `samverkan simulate` replays with exit 0. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ARTIFACTS, ROOT, screenshot, signIn, startHarness, type Harness } from './support.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ demoCases: 20 });
});
afterAll(async () => {
  await h?.close();
});

it('steps a sandbox case, undoes a step and exports a scenario that `samverkan simulate` replays', async () => {
  const page = h.page;
  const casesBefore = (await (await fetch(`${h.url}/api/health`)).json()) as { cases: number };
  // given a sandbox case on GUL, opened by a developer
  await signIn(page, h.url, 'demo-dev', '#/simulator');
  await page.goto(`${h.url}/#/simulator`);
  await page.getByLabel('Process').selectOption('sth-gul');
  await page.getByLabel('Inskriven (lokal tid)').fill('2026-03-06T14:00');
  await page.getByRole('button', { name: 'Starta sandlådeärende' }).first().click();
  await page.getByText('Virtuell klocka').waitFor();

  const send = async (action: RegExp) => {
    await page.getByRole('region', { name: 'Vems tur? Möjliga åtgärder nu' }).getByRole('button', { name: action }).first().click();
    await page.getByRole('button', { name: 'Skicka', exact: true }).click();
  };
  // when
  await send(/^Samtycke givet/);
  await page.getByRole('button', { name: '+1 timme' }).click();
  await send(/^Skicka inskrivningsmeddelande/);
  await page.getByRole('button', { name: '+1 vardag' }).click();
  await send(/^Utse fast vårdkontakt/);
  // A blocked event is refused and shown as such.
  await page.getByLabel('Alla händelsetyper').selectOption('DECLARE_READY');
  await page.getByRole('button', { name: 'Händelse …' }).click();
  await page.getByRole('button', { name: 'Skicka', exact: true }).click();
  const steps = page.getByRole('region', { name: /^Steg/ });
  await expect.poll(() => steps.innerText()).toContain('Avvisad');
  expect(await steps.innerText()).toContain('C-5');
  await send(/^Bekräfta kriterium/);
  await page.getByRole('button', { name: /Ångra senaste steget/ }).click();
  await expect.poll(() => steps.innerText()).not.toContain('Bekräfta kriterium');
  // then XState's inspection fed the log
  const log = await page.getByRole('region', { name: 'XState-inspektion (live)' }).innerText();
  expect(log).toContain('@xstate.event');
  expect(log).toContain('DECLARE_READY');
  expect(await page.getByRole('region', { name: /^Sandlådeärendets läge/ }).getByRole('button', { name: /\(Här\)$/ }).count()).toBeGreaterThan(0);
  await screenshot(page, 'simulator-run');

  // when exported
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Exportera scenario/ }).click()]);
  const file = join(ARTIFACTS, 'simulator-export.json');
  await download.saveAs(file);
  const scenario = JSON.parse(readFileSync(file, 'utf8')) as { pathway: string; steps: { at?: string; send?: { type: string } }[] };
  expect(scenario.pathway).toBe('sth-gul');
  expect(scenario.steps.filter((s) => s.send).map((s) => s.send!.type)).toEqual(['RECORD_CONSENT', 'SEND_ADMISSION_NOTICE', 'APPOINT_CARE_CONTACT', 'DECLARE_READY']);
  // then the CLI replays it with every expectation holding
  const run = spawnSync(process.execPath, [join(ROOT, 'bin', 'samverkan.mjs'), 'simulate', file], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  // The sandbox never touched the server's cases.
  expect(((await (await fetch(`${h.url}/api/health`)).json()) as { cases: number }).cases).toBe(casesBefore.cases);
});
