/** Posting an event over the API moves a count on screen, live, without a reload. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { json, login, screenshot, signIn, startHarness, type Harness } from './support.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ demoCases: 80 });
});
afterAll(async () => {
  await h?.close();
});

async function shownCount(h: Harness, name: RegExp): Promise<number> {
  const text = await h.page.getByRole('button', { name }).first().innerText();
  const match = /(\d+)\s+ärenden?/.exec(text);
  if (!match) throw new Error(`no count in ${JSON.stringify(text)}`);
  return Number(match[1]);
}

it('a new case and its admission notice move the counts on the map as they happen', async () => {
  // given the region's process owner watching the map (the stream needs the token too)
  await signIn(h.page, h.url, 'demo-petra', '#/process/sth-gul');
  const admitted = /^Slutenvården: Inskriven – skicka inskrivningsmeddelande\./;
  const planning = /^Slutenvården: Planering inför utskrivning\./;
  await h.page.getByRole('button', { name: admitted }).waitFor();
  // The event stream is connected.
  await expect.poll(() => h.page.getByText(/^Live:/).count()).toBe(1);
  await h.page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
  const before = await shownCount(h, admitted);
  const planningBefore = await shownCount(h, planning);

  // when a ward creates a case over the API
  const token = await login(h.url, 'demo-sara');
  const created = await json<{ id: string }>(`${h.url}/api/cases`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, token,
    body: JSON.stringify({ pathway: 'sth-gul', patient: { personnummer: '19400107-9120', name: 'Live Testsson', address: 'Testgatan 1' }, kommun: 'Solna', admittedAt: new Date().toISOString() }),
  });
  // then
  await expect.poll(() => shownCount(h, admitted), { timeout: 10_000 }).toBe(before + 1);

  // when its admission notice is sent
  await json(`${h.url}/api/cases/${created.id}/events`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, token, body: JSON.stringify({ type: 'SEND_ADMISSION_NOTICE' }),
  });
  // then
  await expect.poll(() => shownCount(h, planning), { timeout: 10_000 }).toBe(planningBefore + 1);
  expect(await shownCount(h, admitted)).toBe(before);
  expect(await h.page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  await screenshot(h.page, 'live-counts');
});
