import { describe, expect, it } from 'vitest';
import { averageModel, dayZeroOf, permissionDays } from '../engine/liability.ts';
import { PATHWAYS } from '../machines/pathways.ts';
import { newCase, readyToDeclare, sendAll, view } from './support/caseKit.ts';

describe('payment liability', () => {
  it('S-6: a ready notice at 11:59 makes that day day zero; at 12:00 the next day', () => {
    expect(dayZeroOf('2026-03-03T10:59:00.000Z', '12:00')).toBe('2026-03-03');
    expect(dayZeroOf('2026-03-03T11:00:00.000Z', '12:00')).toBe('2026-03-04');
    // Summer time: 11:59 local is 09:59 UTC.
    expect(dayZeroOf('2026-06-03T09:59:00.000Z', '12:00')).toBe('2026-06-03');
    expect(dayZeroOf('2026-06-03T10:00:00.000Z', '12:00')).toBe('2026-06-04');
  });

  it('B-1: ready days count calendar days from day zero, and the agreed 1.3 is a pathway parameter', () => {
    const ready = sendAll(readyToDeclare('sth-gul'), [['2026-03-03T10:00:00+01:00', { type: 'DECLARE_READY' }]]);
    expect(view(ready, '2026-03-03T10:00:00+01:00').paymentLiability).toMatchObject({ dayZero: '2026-03-03', readyDays: 0, thresholdDays: 1.3 });
    // Still in hospital over the weekend: calendar days, not weekdays.
    expect(view(ready, '2026-03-09T08:00:00+01:00').paymentLiability.readyDays).toBe(6);
    expect(PATHWAYS['sth-gul'].parameters.liabilityAfterDays).toBe(1.3);
    expect(PATHWAYS['vrm-gul'].parameters.liabilityAfterDays).toBeNull();
  });

  it('B-2: liability needs the notice in time, the ready notice and a care contact; B-3 lists what excludes it', () => {
    const ready = sendAll(readyToDeclare('sth-gul'), [['2026-03-03T10:00:00+01:00', { type: 'DECLARE_READY' }]]);
    const liability = view(ready, '2026-03-03T12:00:00+01:00').paymentLiability;
    expect(liability.criteria.every((c) => c.met)).toBe(true);
    expect(liability.applies).toBe(true);
    const refused = sendAll(ready, [['2026-03-03T13:00:00+01:00', { type: 'REFUSE', what: 'insatser' }]]);
    expect(view(refused, '2026-03-03T13:00:00+01:00').paymentLiability).toMatchObject({ applies: false, reasons: ['B-3: Den enskilde har motsatt sig insatserna'] });
  });

  it('B-2: a late admission notice (C-1 missed) means no liability', () => {
    const late = sendAll(newCase('sth-gul'), [
      ['2026-03-03T08:01:00+01:00', { type: 'SEND_ADMISSION_NOTICE' }],
      ['2026-03-03T09:00:00+01:00', { type: 'APPOINT_CARE_CONTACT', name: 'T', phone: '1', profession: 'ssk', licensedPhysician: false }],
      ['2026-03-03T09:00:00+01:00', { type: 'CONFIRM', item: 'written_information' }],
      ['2026-03-03T09:00:00+01:00', { type: 'CONFIRM', item: 'information_transferred' }],
      ['2026-03-03T09:00:00+01:00', { type: 'CONFIRM', item: 'aids_available' }],
      ['2026-03-03T10:00:00+01:00', { type: 'DECLARE_READY' }],
    ]);
    const liability = view(late, '2026-03-03T10:00:00+01:00').paymentLiability;
    expect(liability.criteria[0]).toMatchObject({ met: false, text: 'Inskrivningsmeddelande skickat i rätt tid' });
    expect(liability).toMatchObject({ applies: false, reasons: ['B-2: Inskrivningsmeddelande skickat i rätt tid – saknas'] });
  });

  it('B-5: the average model counts day-zero discharges as 0 and compares each kommun with the threshold', () => {
    const result = averageModel([
      { kommun: 'Solna', dayZero: '2026-03-02', dischargedOn: '2026-03-02' }, // 0
      { kommun: 'Solna', dayZero: '2026-03-02', dischargedOn: '2026-03-04' }, // 2
      { kommun: 'Solna', dayZero: '2026-03-02', dischargedOn: '2026-03-03' }, // 1 → average 1.0
      { kommun: 'Täby', dayZero: '2026-03-02', dischargedOn: '2026-03-04' }, // 2
      { kommun: 'Täby', dayZero: '2026-03-05', dischargedOn: '2026-03-05' }, // 0 → average 1.0
      { kommun: 'Nacka', dayZero: '2026-03-27', dischargedOn: '2026-03-30' }, // 3 (over the DST weekend)
    ], 1.3);
    expect(result).toEqual([
      { kommun: 'Nacka', cases: 1, averageDays: 3, liable: true },
      { kommun: 'Solna', cases: 3, averageDays: 1, liable: false },
      { kommun: 'Täby', cases: 2, averageDays: 1, liable: false },
    ]);
  });

  it('S-8: a permission day is 12 continuous hours away between 06:00 and 24:00', () => {
    const rule = { minHours: 12, from: '06:00', to: '24:00' };
    expect(permissionDays([{ from: '2026-03-07T07:00:00.000Z', to: '2026-03-07T19:30:00.000Z' }], rule)).toEqual(['2026-03-07']); // 08:00–20:30 local
    expect(permissionDays([{ from: '2026-03-08T08:00:00.000Z', to: '2026-03-08T19:00:00.000Z' }], rule)).toEqual([]); // 11 h
    // Away from Friday 18:00 to Sunday 09:00: only Saturday has 12 hours inside 06–24.
    expect(permissionDays([{ from: '2026-03-06T17:00:00.000Z', to: '2026-03-08T08:00:00.000Z' }], rule)).toEqual(['2026-03-07']);
    // Night hours do not count: 20:00–10:00 the next day gives 4 h + 4 h.
    expect(permissionDays([{ from: '2026-03-09T19:00:00.000Z', to: '2026-03-10T09:00:00.000Z' }], rule)).toEqual([]);
  });

  it('B-4: the placeringskommun is liable for an individual it placed in another kommun', () => {
    const placed = newCase('sth-gul', '2026-03-02T08:00:00+01:00', { placeringskommun: 'Stockholm' });
    expect(view(placed, '2026-03-03T11:00:00+01:00').paymentLiability.liableKommun).toBe('Stockholm');
    expect(view(newCase('sth-gul'), '2026-03-03T11:00:00+01:00').paymentLiability.liableKommun).toBe('Solna');
  });
});
