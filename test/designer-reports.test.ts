/**
 * The Reports page's pure helpers (designer/src/reports.ts): the period presets on Stockholm dates
 * (month ends, year ends, leap years), the address's filters ↔ the API's query, the headline's
 * kommun(er), the distribution and the compliance per month.
 */
import { describe, expect, it } from 'vitest';
import {
  complianceByMonth, countTicks, formatLateness, formatPeriod, monthsOf, parseReportFilters, presetRange, reportFilterParams, reportQuery, resolvePeriod,
  sortCases, sumDistribution, topLiable, type ComplianceRow, type LiabilityCase, type LiabilityRow,
} from '../designer/src/reports.ts';

const row = (kommun: string, liableDays: number, distribution: number[] = new Array(11).fill(0)): LiabilityRow => ({
  kommun, cases: 1, averageDays: 2, thresholdDays: 1.3, liable: liableDays > 0, chargeableDays: liableDays, liableDays, applicableCases: 1, distribution, caseIds: [],
});

describe('period presets', () => {
  it('last month, this month and the last 3 and 12 calendar months, both ends included', () => {
    expect(presetRange('last-month', '2026-11-23')).toEqual({ from: '2026-10-01', to: '2026-10-31' });
    expect(presetRange('this-month', '2026-11-23')).toEqual({ from: '2026-11-01', to: '2026-11-23' });
    expect(presetRange('3-months', '2026-11-23')).toEqual({ from: '2026-09-01', to: '2026-11-23' });
    // As the API's default: this month and the eleven before it.
    expect(presetRange('12-months', '2026-11-23')).toEqual({ from: '2025-12-01', to: '2026-11-23' });
  });

  it('crosses year ends and knows February', () => {
    expect(presetRange('last-month', '2027-01-05')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(presetRange('last-month', '2028-03-31')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(presetRange('last-month', '2027-03-01')).toEqual({ from: '2027-02-01', to: '2027-02-28' });
    expect(presetRange('3-months', '2027-02-10')).toEqual({ from: '2026-12-01', to: '2027-02-10' });
  });

  it('a period of one\'s own wins over no preset; one that ends before it starts falls back to last month and says so', () => {
    expect(resolvePeriod({}, '2026-11-23')).toEqual({ from: '2026-10-01', to: '2026-10-31', preset: 'last-month', invalid: null });
    expect(resolvePeriod({ from: '2026-01-01', to: '2026-03-31' }, '2026-11-23')).toEqual({ from: '2026-01-01', to: '2026-03-31', preset: null, invalid: null });
    expect(resolvePeriod({ from: '2026-05-10', to: '2026-05-01' }, '2026-11-23')).toMatchObject({ from: '2026-10-01', to: '2026-10-31', invalid: 'order' });
    expect(resolvePeriod({ from: '2026-02-30' }, '2026-11-23').preset).toBe('last-month');
    expect(resolvePeriod({ period: '3-months', from: '2026-01-01' }, '2026-11-23').preset).toBe('3-months');
  });
});

describe('filters', () => {
  it('the address\'s parameters round-trip, unknown presets dropped; the API gets the period, pathway and kommun', () => {
    const filters = parseReportFilters({ period: 'this-month', kommun: 'Solna', party: 'socialtjanst', cases: 'Solna', junk: 'x', pathway: '' });
    expect(filters).toEqual({ period: 'this-month', kommun: 'Solna', party: 'socialtjanst', cases: 'Solna' });
    expect(parseReportFilters(reportFilterParams(filters))).toEqual(filters);
    expect(parseReportFilters({ period: 'forever' })).toEqual({});
    expect(reportQuery({ from: '2026-10-01', to: '2026-10-31' }, filters)).toBe('from=2026-10-01&to=2026-10-31&kommun=Solna');
    expect(reportQuery({ from: '2026-10-01', to: '2026-10-31' }, filters, { party: filters.party })).toBe('from=2026-10-01&to=2026-10-31&kommun=Solna&party=socialtjanst');
  });
});

describe('figures', () => {
  it('the headline names the kommun with the most liable days, every one of them on a tie, none without liable days', () => {
    expect(topLiable([row('Solna', 5), row('Nacka', 2)]).map((r) => r.kommun)).toEqual(['Solna']);
    expect(topLiable([row('Lidingö', 2), row('Solna', 2), row('Nacka', 0)]).map((r) => r.kommun)).toEqual(['Lidingö', 'Solna']);
    expect(topLiable([row('Nacka', 0)])).toEqual([]);
    expect(topLiable([])).toEqual([]);
  });

  it('the distribution sums the kommuner bucket by bucket', () => {
    const a = [0, 3, 0, 1, 0, 1, 0, 0, 0, 0, 0];
    const b = [1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2];
    expect(sumDistribution([row('A', 0, a), row('B', 0, b)])).toEqual([1, 4, 0, 1, 0, 1, 0, 0, 0, 0, 2]);
  });

  it('compliance per month covers every month of the period, for one rule or all', () => {
    const c = (month: string, rule: string, total: number, inTime: number): ComplianceRow => ({
      unit: 'Solna', unitLabel: 'Solna', party: 'socialtjanst', rule, month, total, inTime, late: total - inTime, share: inTime / total, medianLateMinutes: null,
    });
    const rows = [c('2026-10', 'C-1', 10, 5), c('2026-10', 'C-2', 10, 10), c('2026-11', 'C-1', 4, 1)];
    const months = monthsOf('2026-09-01', '2026-11-23');
    expect(months).toEqual(['2026-09', '2026-10', '2026-11']);
    expect(complianceByMonth(rows, months, null)).toEqual([
      { month: '2026-09', total: 0, inTime: 0, share: null },
      { month: '2026-10', total: 20, inTime: 15, share: 0.75 },
      { month: '2026-11', total: 4, inTime: 1, share: 0.25 },
    ]);
    expect(complianceByMonth(rows, months, 'C-2').map((m) => m.share)).toEqual([null, 1, null]);
  });

  it('the drill-down puts the cases with chargeable days first', () => {
    const item = (caseId: string, chargeableDays: number, readyDays: number): LiabilityCase => ({
      caseId, pathway: 'sth-gul', kommun: 'Solna', dayZero: '2026-10-01', dischargedOn: '2026-10-05', readyDays, applies: true, chargeableDays, thresholdDays: 1.3, rules: [],
    });
    expect(sortCases([item('a', 0, 1), item('b', 2, 3), item('c', 0, 4), item('d', 5, 6)]).map((i) => i.caseId)).toEqual(['d', 'b', 'c', 'a']);
  });

  it('writes lateness, periods and axis ticks readably', () => {
    expect(formatLateness(null, 'sv')).toBe('–');
    expect(formatLateness(45, 'sv')).toBe('45 min');
    expect(formatLateness(6257, 'sv')).toBe('4 d 8 h');
    expect(formatPeriod('2026-10-01', '2026-10-31', 'sv')).toBe('1 okt.–31 okt. 2026');
    expect(formatPeriod('2025-12-01', '2026-11-23', 'sv')).toBe('1 dec. 2025–23 nov. 2026');
    expect(countTicks(6)).toEqual([0, 2, 4, 6]);
    expect(countTicks(1)).toEqual([0, 1]);
    expect(countTicks(0)).toEqual([0, 1]);
    expect(countTicks(37).at(-1)).toBeGreaterThanOrEqual(37);
  });
});
