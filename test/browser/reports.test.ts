/**
 * The Reports page (#/rapporter): the process owner picks a period with discharges in the demo
 * region, sees the kommuner the API reports (most liable days first, named in the headline), opens
 * a kommun's cases, and downloads the liability table as CSV — the file holds the rows of the API's
 * own `format=csv` answer and of its JSON. Staff have no Reports link and are told why on the page.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presetRange, type LiabilityCases, type LiabilityReport, type Preset, type ComplianceReport } from '../../designer/src/reports.ts';
import { ARTIFACTS, json, login, screenshot, signIn, startHarness, type Harness, parseCsv } from './support.ts';

let h: Harness;
let owner: string;

beforeAll(async () => {
  h = await startHarness({ demoCases: 80 });
  owner = await login(h.url, 'demo-petra');
});
afterAll(async () => {
  await h?.close();
});


/** The whole page (it scrolls inside the main area, so a tall window rather than fullPage). */
async function fullPage(name: string): Promise<void> {
  const size = h.page.viewportSize()!;
  await h.page.setViewportSize({ width: size.width, height: 2600 });
  try {
    await screenshot(h.page, name);
  } finally {
    await h.page.setViewportSize(size);
  }
}

const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now());

async function csvOf(path: string): Promise<string> {
  const response = await fetch(`${h.url}${path}`, { headers: { authorization: `Bearer ${owner}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/csv');
  return response.text();
}

/**
 * The period to look at: of the page's presets, the first (the last three months first) whose
 * liability report has rows, preferably with a kommun that has liable days. The demo cases are
 * spread over the 45 days before now, so which month holds them depends on today's date.
 */
async function periodWithData(): Promise<{ preset: Preset; from: string; to: string; report: LiabilityReport }> {
  const candidates: { preset: Preset; from: string; to: string; report: LiabilityReport }[] = [];
  for (const preset of ['3-months', '12-months', 'last-month', 'this-month'] as const) {
    const { from, to } = presetRange(preset, today());
    const report = await json<LiabilityReport>(`${h.url}/api/reports/liability?from=${from}&to=${to}`, { token: owner });
    candidates.push({ preset, from, to, report });
  }
  const found = candidates.find((c) => c.report.rows.some((r) => r.liableDays > 0)) ?? candidates.find((c) => c.report.rows.length > 0);
  if (!found) throw new Error(`no liability rows in any preset period: ${JSON.stringify(candidates.map((c) => [c.preset, c.from, c.to]))}`);
  return found;
}

describe('reports for the process owner', () => {
  it('names the kommun with the most liable days, lists the kommuner the API gives, opens a kommun\'s cases and exports the table as the API\'s CSV', async () => {
    // given a period with discharges in the demo region
    const { preset, from, to, report } = await periodWithData();
    const query = `from=${from}&to=${to}`;
    // when petra opens Rapporter from her menu and picks the period
    await signIn(h.page, h.url, 'demo-petra');
    const nav = h.page.getByRole('navigation', { name: 'Huvudmeny' });
    await nav.getByRole('link', { name: 'Rapporter' }).click();
    await h.page.getByRole('heading', { name: 'Rapporter', level: 1 }).waitFor();
    expect(h.page.url()).toContain('#/rapporter');
    await h.page.getByLabel('Period', { exact: true }).selectOption(preset);
    await expect.poll(() => h.page.url()).toContain(`period=${preset}`);

    // then the liability table lists the API's kommuner in its order (most liable days first)
    const liability = h.page.getByRole('region', { name: 'Betalningsansvar' });
    const table = liability.getByRole('table', { name: 'Betalningsansvar per kommun' });
    const kommunButtons = table.locator('tbody th button');
    await expect.poll(async () => (await kommunButtons.allInnerTexts()).map((t) => t.replace(/^[▸▾]\s*/, '').trim())).toEqual(report.rows.map((r) => r.kommun));
    for (const row of report.rows) {
      const cells = await table.getByRole('row').filter({ has: h.page.getByRole('button', { name: row.kommun, exact: true }) }).getByRole('cell').allInnerTexts();
      expect(cells[0], row.kommun).toBe(String(row.cases));
      expect(cells[2], row.kommun).toBe(row.liable ? 'Ja' : 'Nej');
      expect(cells[3], row.kommun).toBe(String(row.liableDays));
      expect(cells[4], row.kommun).toBe(String(row.chargeableDays));
    }
    const footer = await table.locator('tfoot').innerText();
    expect(footer).toContain(String(report.totals.cases));
    expect(footer).toContain(`${report.totals.liableKommuner} med ansvar`);

    // and the headline answers which kommun had the most liable days
    const headline = h.page.getByRole('region', { name: /flest ansvarsdagar|Ingen kommun hade betalningsansvar/ });
    const top = report.rows[0]!;
    const main = h.page.getByRole('main');
    if (top.liableDays > 0) {
      const tied = report.rows.filter((r) => r.liableDays === top.liableDays).map((r) => r.kommun);
      const title = await headline.getByRole('heading', { level: 2 }).innerText();
      const days = `${top.liableDays} ${top.liableDays === 1 ? 'dag' : 'dagar'}`;
      if (tied.length === 1) expect(title).toBe(`${top.kommun} hade flest ansvarsdagar: ${days}`);
      else {
        // A tie names every kommun with the most liable days.
        expect(title).toContain(`hade flest ansvarsdagar: ${days} vardera`);
        for (const k of tied) expect(title).toContain(k);
      }
      expect(await headline.innerText()).toContain('Ansvarsdagar');
      await screenshot(h.page, 'reports-overview');
      await fullPage('reports-page-full');
      // when its cases are opened from the headline
      await headline.getByRole('button', { name: `Visa ärendena i ${top.kommun}` }).click();
    } else {
      await screenshot(h.page, 'reports-overview');
      await kommunButtons.first().click();
    }

    // then the drill-down lists the kommun's cases as the API does, each linking to the inspector
    const cases = await json<LiabilityCases>(`${h.url}/api/reports/liability/cases?${query}&kommun=${encodeURIComponent(top.kommun)}`, { token: owner });
    expect(cases.items.length).toBe(top.cases);
    const drill = h.page.getByRole('region', { name: new RegExp(`^Ärenden i ${top.kommun}`) });
    await drill.getByRole('table').waitFor();
    await expect.poll(() => h.page.url()).toContain(`cases=${encodeURIComponent(top.kommun)}`);
    const links = drill.getByRole('table').getByRole('link');
    await expect.poll(() => links.count()).toBe(cases.items.length);
    const hrefs = await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(new Set(hrefs)).toEqual(new Set(cases.items.map((c) => `#/arende/${c.caseId}`)));
    // The cases that made the liable days come first.
    const chargeable = cases.items.filter((c) => c.applies && c.chargeableDays > 0).length;
    const firstRows = await drill.getByRole('table').locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.className));
    expect(firstRows.slice(0, chargeable).every((c) => c.includes('rep-chargeable'))).toBe(true);
    expect(await drill.innerText()).toContain(`${top.cases} ${top.cases === 1 ? 'ärende' : 'ärenden'}`);
    // The distribution follows the opened kommun.
    expect(await liability.getByRole('img', { name: `Dagar från dag noll till utskrivning – ${top.kommun}` }).count()).toBe(1);
    await screenshot(h.page, 'reports-drill-down');
    await fullPage('reports-drill-down-full');

    // when the liability table is exported
    const [download] = await Promise.all([
      h.page.waitForEvent('download'),
      liability.getByRole('button', { name: 'Exportera CSV: Betalningsansvar per kommun' }).click(),
    ]);
    const file = join(ARTIFACTS, 'reports-liability.csv');
    await download.saveAs(file);
    expect(download.suggestedFilename()).toBe(`betalningsansvar-${from}-${to}.csv`);
    const downloaded = parseCsv(readFileSync(file, 'utf8'));
    // then it is the API's CSV for the same filters, row for row
    const fromApi = parseCsv(await csvOf(`/api/reports/liability?${query}&format=csv`));
    expect(downloaded).toEqual(fromApi);
    // and its rows are the JSON's
    const [header, ...rows] = downloaded;
    const col = (name: string) => header!.indexOf(name);
    expect(rows.map((r) => r[col('kommun')])).toEqual(report.rows.map((r) => r.kommun));
    for (const [i, r] of report.rows.entries()) {
      expect(Number(rows[i]![col('ärenden')])).toBe(r.cases);
      expect(Number(rows[i]![col('ansvarsdagar')])).toBe(r.liableDays);
      expect(Number(rows[i]![col('debiterbara dagar')])).toBe(r.chargeableDays);
      expect(rows[i]![col('betalningsansvar')]).toBe(r.liable ? 'ja' : 'nej');
      expect(Number(rows[i]![col('medeldagar')])).toBeCloseTo(r.averageDays, 2);
    }

    // and the drill-down's own export holds its cases
    const [casesDownload] = await Promise.all([
      h.page.waitForEvent('download'),
      drill.getByRole('button', { name: `Exportera CSV: Ärenden i ${top.kommun}` }).click(),
    ]);
    const casesFile = join(ARTIFACTS, 'reports-liability-cases.csv');
    await casesDownload.saveAs(casesFile);
    const [casesHeader, ...caseRows] = parseCsv(readFileSync(casesFile, 'utf8'));
    expect(new Set(caseRows.map((r) => r[casesHeader!.indexOf('ärende')]))).toEqual(new Set(cases.items.map((c) => c.caseId)));
  });

  it('shows compliance per rule, per month and per unit as the API does', async () => {
    // given the page from the previous test; the API's compliance for the same period
    const url = new URL(h.page.url().replace('#/', ''));
    const preset = url.searchParams.get('period') as Preset;
    const { from, to } = presetRange(preset, today());
    const report = await json<ComplianceReport>(`${h.url}/api/reports/compliance?from=${from}&to=${to}`, { token: owner });
    const section = h.page.getByRole('region', { name: 'Följsamhet' });
    // then each rule's share is written on its bar
    const byRule = section.getByRole('img', { name: 'Andel i tid per regel' });
    await byRule.waitFor();
    const description = (await byRule.evaluate((svg) => svg.querySelector('desc')?.textContent ?? '')).replace(/\u00a0/g, ' ');
    for (const r of report.byRule) {
      expect(description).toContain(r.total ? `${r.rule}: ${Math.round((r.share ?? 0) * 100)} % i tid (${r.inTime} av ${r.total})` : `${r.rule}: inga tidsgränser`);
    }
    // and the table has the API's rows
    const table = section.getByRole('table', { name: 'Följsamhet per enhet, part, regel och månad' });
    if (report.rows.length > 0) {
      await expect.poll(() => table.locator('tbody tr').count()).toBe(Math.min(60, report.rows.length));
    }
    // when one rule is chosen
    const rule = report.byRule.find((r) => r.total > 0)?.rule ?? report.rules[0]!;
    await section.getByRole('group', { name: 'Regel' }).getByRole('button', { name: rule, exact: true }).click();
    // then the chart over time and the table follow it
    await section.getByRole('img', { name: `Andel i tid per månad – ${rule}` }).waitFor();
    await expect.poll(() => h.page.url()).toContain(`rule=${rule}`);
    const ruleRows = report.rows.filter((r) => r.rule === rule);
    if (ruleRows.length > 0) await expect.poll(() => table.locator('tbody tr').count()).toBe(Math.min(60, ruleRows.length));
    await section.scrollIntoViewIfNeeded();
    await screenshot(h.page, 'reports-compliance');
  });

  it('reads in English with the header\'s button', async () => {
    await h.page.getByRole('button', { name: 'English' }).click();
    try {
      await h.page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
      expect(await h.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).count()).toBe(1);
      await h.page.getByRole('table', { name: 'Payment liability per kommun' }).waitFor();
      expect(await h.page.getByRole('region', { name: 'Compliance' }).getByRole('button', { name: 'Export CSV: Compliance per unit, party, rule and month' }).count()).toBe(1);
      await screenshot(h.page, 'reports-english');
    } finally {
      await h.page.getByRole('button', { name: 'Svenska' }).click();
    }
    await h.page.getByRole('heading', { name: 'Rapporter', level: 1 }).waitFor();
  });

  it('shows that a slow report is computing, and a failed one in Swedish with a retry', async () => {
    // given the liability report takes a while, and compliance fails without an answer
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await h.page.route('**/api/reports/liability?*', async (route) => {
      await held;
      await route.continue();
    });
    await h.page.route('**/api/reports/compliance?*', (route) => route.abort('connectionrefused'));
    try {
      // when another period is chosen
      await h.page.getByLabel('Period', { exact: true }).selectOption('this-month');
      // then the liability section says it is computing, with a progress bar
      const liability = h.page.getByRole('region', { name: 'Betalningsansvar' });
      await liability.getByRole('progressbar', { name: 'Beräknar betalningsansvaret …' }).waitFor();
      // and the compliance section says, in Swedish, that the server did not answer
      const compliance = h.page.getByRole('region', { name: 'Följsamhet' });
      const failure = compliance.getByRole('alert');
      await expect.poll(() => failure.innerText()).toContain('Kunde inte hämta följsamheten');
      expect(await failure.innerText()).toContain('Servern svarade inte');
      await screenshot(h.page, 'reports-progress-and-error');
      // when the report arrives and compliance is tried again
      release();
      await liability.getByRole('progressbar').waitFor({ state: 'detached' });
      await h.page.unroute('**/api/reports/compliance?*');
      await failure.getByRole('button', { name: 'Försök igen' }).click();
      // then both show
      await compliance.getByRole('img', { name: 'Andel i tid per regel' }).waitFor();
      expect(await compliance.getByRole('alert').count()).toBe(0);
    } finally {
      release();
      await h.page.unrouteAll({ behavior: 'ignoreErrors' });
    }
  });

  it('keeps a period of one\'s own and a kommun in the address, and shows the API\'s figures for them', async () => {
    // given
    const { from, to, report } = await periodWithData();
    const kommun = report.rows[report.rows.length - 1]!.kommun;
    const filters = h.page.getByRole('search', { name: 'Urval' });
    // when a period of one's own is chosen, then a kommun
    await filters.getByLabel('Period', { exact: true }).selectOption('custom');
    await filters.getByLabel('Från och med').fill(from);
    await filters.getByLabel('Till och med').fill(to);
    await filters.getByRole('button', { name: 'Visa perioden' }).click();
    await expect.poll(() => h.page.url()).toContain(`from=${from}&to=${to}`);
    await filters.getByLabel('Kommun', { exact: true }).selectOption(kommun);
    // then the table holds that kommun alone, as the API does, and its cases are open
    const expected = await json<LiabilityReport>(`${h.url}/api/reports/liability?from=${from}&to=${to}&kommun=${encodeURIComponent(kommun)}`, { token: owner });
    const table = h.page.getByRole('table', { name: 'Betalningsansvar per kommun' });
    await expect.poll(async () => (await table.locator('tbody th button').allInnerTexts()).map((t) => t.replace(/^[▸▾]\s*/, '').trim())).toEqual([kommun]);
    expect(await table.locator('tbody td').first().innerText()).toBe(String(expected.rows[0]!.cases));
    await h.page.getByRole('region', { name: new RegExp(`^Ärenden i ${kommun}`) }).getByRole('table').waitFor();
    const address = new URL(h.page.url().replace('#/rapporter', '')).searchParams;
    expect(address.get('kommun')).toBe(kommun);
    expect(address.get('cases')).toBe(kommun);
    // and reloading the address shows the same
    await h.page.reload();
    await expect.poll(async () => (await table.locator('tbody th button').allInnerTexts()).map((t) => t.replace(/^[▸▾]\s*/, '').trim())).toEqual([kommun]);
    expect(await filters.getByLabel('Från och med').inputValue()).toBe(from);
    await filters.getByRole('button', { name: 'Återställ urvalet' }).click();
    await expect.poll(() => h.page.url()).toMatch(/#\/rapporter$/);
  });

  it('refuses a period that ends before it starts, in Swedish', async () => {
    await h.page.goto(`${h.url}/#/rapporter?from=2026-05-10&to=2026-05-01`);
    await expect.poll(() => h.page.getByRole('alert').allInnerTexts()).toContainEqual(expect.stringContaining('Från-datumet måste ligga före eller på till-datumet'));
  });
});

describe('reports for staff', () => {
  it('has no Rapporter link and a clear refusal on the page; the API answers 403', async () => {
    // when
    await signIn(h.page, h.url, 'demo-sara');
    // then
    const nav = h.page.getByRole('navigation', { name: 'Huvudmeny' });
    await nav.getByRole('link').first().waitFor();
    expect(await nav.getByRole('link', { name: 'Rapporter' }).count()).toBe(0);
    await h.page.goto(`${h.url}/#/rapporter`);
    await h.page.getByRole('heading', { name: 'Rapporter', level: 1 }).waitFor();
    const refusal = h.page.getByRole('alert');
    await expect.poll(() => refusal.innerText()).toContain('Rapporterna är processägarnas');
    expect(await h.page.getByRole('table').count()).toBe(0);
    await screenshot(h.page, 'reports-staff-refused');
    const response = await fetch(`${h.url}/api/reports/liability`, { headers: { authorization: `Bearer ${await login(h.url, 'demo-sara')}` } });
    expect(response.status).toBe(403);
  });
});
