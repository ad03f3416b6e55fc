/** Every pathway is drawn from its definition, with every state's Swedish label on screen. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegionDef } from '../../machines/definition.ts';
import { PATHWAY_IDS } from '../../machines/events.ts';
import { PARTY_LABELS, type PartyId } from '../../machines/parties.ts';
import { json, login, screenshot, signIn, startHarness, type Harness } from './support.ts';

let h: Harness;
let token: string;

beforeAll(async () => {
  h = await startHarness({ demoCases: 80 });
  // A process owner: the maps count every case of the region.
  token = await login(h.url, 'demo-petra');
  await signIn(h.page, h.url, 'demo-petra');
});
afterAll(async () => {
  await h?.close();
});

function states(lanes: Record<string, RegionDef>): { party: PartyId; label: string }[] {
  const out: { party: PartyId; label: string }[] = [];
  const visit = (region: RegionDef) => {
    if (region.regions) Object.values(region.regions).forEach(visit);
    else for (const s of Object.values(region.states)) out.push({ party: s.meta.party, label: s.meta.label });
  };
  Object.values(lanes).forEach(visit);
  return out;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('pathway view', () => {
  it.each(PATHWAY_IDS)('%s: every state is on screen with its Swedish label, under the four phase headings', async (id) => {
    // given
    const definition = await json<{ label: string; lanes: Record<string, RegionDef> }>(`${h.url}/api/pathways/${id}`, { token });
    const expected = states(definition.lanes);
    // when
    await h.page.goto(`${h.url}/#/process/${id}`);
    const map = h.page.getByRole('region', { name: `Processkarta: ${definition.label}` });
    await map.getByRole('button', { name: /^Slutenvården: / }).first().waitFor();
    // then
    for (const heading of ['Inskrivning', 'Vårdtid', 'Utskrivningsklar', 'Hemgång och uppföljning']) {
      await expect.poll(() => map.getByText(heading, { exact: true }).first().isVisible()).toBe(true);
    }
    const text = await map.innerText();
    for (const { party, label } of expected) {
      const button = map.getByRole('button', { name: new RegExp(`^${escape(PARTY_LABELS[party].sv)}: ${escape(label)}\\. \\d+ ärenden`) });
      expect(await button.count(), `${party}: ${label}`).toBeGreaterThanOrEqual(1);
      expect(await button.first().isVisible(), `${party}: ${label}`).toBe(true);
      expect(text).toContain(label.split(' ')[0]);
    }
    await screenshot(h.page, `pathway-${id}`);
  });

  it('hovering a state shows its rule ids with the routine\'s sentence; Enter on a state lists its cases', async () => {
    await h.page.goto(`${h.url}/#/process/sth-gul`);
    const state = h.page.getByRole('button', { name: /^Slutenvården: Planering inför utskrivning\./ });
    await state.hover();
    const tooltip = h.page.getByRole('tooltip');
    await expect.poll(() => tooltip.innerText()).toContain('C-5');
    expect(await tooltip.innerText()).toContain('Utskrivningsklar innebär');
    await state.focus();
    await h.page.keyboard.press('Enter');
    const panel = h.page.getByRole('complementary');
    await expect.poll(() => panel.innerText()).toMatch(/Ärenden i tillståndet \(\d+\)/i);
    await screenshot(h.page, 'pathway-state-panel');
  });
});
