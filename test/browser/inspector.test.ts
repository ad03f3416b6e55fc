/** "Varför står ärendet still?": a blocked demo case shows what is missing, whose it is, and the rule. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CaseView } from '../../engine/caseView.ts';
import { PARTY_LABELS } from '../../machines/parties.ts';
import { json, login, screenshot, signIn, startHarness, type Harness } from './support.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ demoCases: 80 });
});
afterAll(async () => {
  await h?.close();
});

/**
 * An active case blocked from declaring ready, and the ward that admitted it: the ward sees the
 * whole case (every lane, the patient), whatever consent says.
 */
async function blockedCase(url: string): Promise<{ view: CaseView; userId: string }> {
  for (const userId of ['demo-sara', 'demo-kalle']) {
    const token = await login(url, userId);
    const list = await json<{ items: { id: string }[] }>(`${url}/api/cases?status=active&limit=200`, { token });
    for (const item of list.items) {
      const view = await json<CaseView>(`${url}/api/cases/${item.id}`, { token });
      if (view.blockers.some((b) => b.advances && b.event === 'DECLARE_READY')) return { view, userId };
    }
  }
  throw new Error('no demo case is blocked from declaring ready');
}

it('a blocked demo case shows its blocker, the owning party, the rule and the routine\'s sentence', async () => {
  // given the admitting ward signed in
  const { view, userId } = await blockedCase(h.url);
  const blocker = view.blockers.find((b) => b.advances && b.event === 'DECLARE_READY')!;
  await signIn(h.page, h.url, userId, '#/arende');
  // when the case is looked up by its id
  await h.page.goto(`${h.url}/#/arende`);
  await h.page.getByLabel('Ärende-id eller personnummer').fill(view.id);
  await h.page.getByRole('button', { name: 'Sök' }).click();
  // then
  const section = h.page.getByRole('region', { name: 'Det här saknas' });
  await section.waitFor();
  const text = await section.innerText();
  expect(text).toContain(blocker.reason);
  expect(text).toContain(PARTY_LABELS[blocker.party].sv);
  expect(text).toContain(blocker.rule);
  expect(text).toContain(blocker.sentence.slice(0, 40));
  expect(text).toContain('Meddela utskrivningsklar');
  // The map marks each party's current state.
  const here = h.page.getByRole('region', { name: /^Processkarta:/ }).getByRole('button', { name: /\(Här\)$/ });
  await expect.poll(() => here.count()).toBe(view.lanes.length);
  const deadlines = await h.page.getByRole('region', { name: 'Tidsgränser' }).innerText();
  for (const d of view.deadlines) expect(deadlines).toContain(d.label);
  await screenshot(h.page, 'inspector-blocked-case');
});

it('finds a case by personnummer', async () => {
  const { view, userId } = await blockedCase(h.url);
  await signIn(h.page, h.url, userId, '#/arende');
  await h.page.getByLabel('Ärende-id eller personnummer').fill(view.patient.personnummer);
  await h.page.getByRole('button', { name: 'Sök' }).click();
  await expect.poll(async () => (await h.page.getByRole('main').innerText()).includes(view.patient.name)).toBe(true);
});
