/**
 * The HTTP API route by route: happy paths, every error as `{ error: { code, message, details? } }`,
 * and "a failing call writes nothing" checked by reading the case back after each failure.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../engine/engine.ts';
import { SCHEMA_VERSION } from '../engine/store.ts';
import { EVENT_TYPES, PATHWAY_IDS } from '../machines/events.ts';
import type { RunningServer } from '../server/main.ts';
import { caseBody, expectErrorShape, get, gulPlan, manualClock, post, serverOn, tempDir } from './support/httpKit.ts';
import { authHeader, staff } from './support/authKit.ts';

const dir = tempDir('http');
let server: RunningServer;
let url: string;
let clock: ManualClock;

beforeAll(async () => {
  // 14:30 local on the day of admission: before C-1 (admission + 24 h) is due.
  clock = manualClock('2026-03-06T13:30:00Z');
  server = await serverOn(join(dir, 'http.db'), clock);
  url = server.url;
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function createCase(extra: Record<string, unknown> = {}, base = url): Promise<any> {
  const res = await post(base, '/api/cases', caseBody(extra));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function send(id: string, event: Record<string, unknown>, base = url): Promise<any> {
  const res = await post(base, `/api/cases/${id}/events`, event);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** A case past its admission notice: in `slutenvard.vardtid`, awaiting the kommun's acknowledgements. */
async function noticedCase(base = url): Promise<any> {
  const created = await createCase({}, base);
  await send(created.id, { type: 'RECORD_CONSENT', given: true }, base);
  await send(created.id, { type: 'ASSESS_NEEDS', kommun: true, oppenvard: true }, base);
  return send(created.id, { type: 'SEND_ADMISSION_NOTICE' }, base);
}

async function read(id: string, base = url): Promise<any> {
  const res = await get(base, `/api/cases/${id}`);
  expect(res.status).toBe(200);
  return res.body;
}

/** Writes nothing: the whole view (the clock stands still) is as before. */
async function expectUnchanged(id: string, before: any): Promise<void> {
  const after = await read(id);
  expect(after.version).toBe(before.version);
  expect(after.history).toEqual(before.history);
  expect(after).toEqual(before);
}

async function caseCount(base = url): Promise<number> {
  return (await get(base, '/api/health')).body.cases as number;
}

describe('POST /api/cases', () => {
  it('creates a case: 201 with the case view at version 0, active, C-1 pending (C-1)', async () => {
    const res = await post(url, '/api/cases', caseBody());
    expect(res.status).toBe(201);
    expect(res.headers.get('etag')).toBe('"0"');
    expect(res.body.id).toBeTypeOf('string');
    expect(res.body).toMatchObject({ pathway: 'sth-gul', version: 0, status: 'active', kommun: 'Solna', history: [] });
    expect(res.body.deadlines).toContainEqual(expect.objectContaining({ rule: 'C-1', party: 'slutenvard', status: 'pending' }));
    expect((await read(res.body.id)).id).toBe(res.body.id);
  });

  it.each([
    ['missing pathway', (b: any) => { delete b.pathway; }, 'pathway'],
    ['unknown pathway', (b: any) => { b.pathway = 'sth-lila'; }, 'pathway'],
    ['bad personnummer checksum', (b: any) => { b.patient.personnummer = '19400107-9121'; }, 'patient.personnummer'],
    ['bad admittedAt', (b: any) => { b.admittedAt = 'igår eftermiddag'; }, 'admittedAt'],
    ['empty patient name', (b: any) => { b.patient.name = '   '; }, 'patient.name'],
  ])('400 naming the field for %s, and creates nothing', async (_name, spoil, field) => {
    const before = await caseCount();
    const body = caseBody();
    spoil(body);
    const res = await post(url, '/api/cases', body);
    expect(res.status).toBe(400);
    expectErrorShape(res.body, 'VALIDATION');
    expect(res.body.error.details).toEqual({ field });
    expect(await caseCount()).toBe(before);
  });

  it('413 PAYLOAD_TOO_LARGE for a body over 64 KiB, and creates nothing', async () => {
    const before = await caseCount();
    const res = await post(url, '/api/cases', caseBody({ padding: 'x'.repeat(66 * 1024) }));
    expect(res.status).toBe(413);
    expectErrorShape(res.body, 'PAYLOAD_TOO_LARGE');
    expect(await caseCount()).toBe(before);
  });

  it('400 INVALID_JSON for malformed JSON, and creates nothing', async () => {
    const before = await caseCount();
    const res = await post(url, '/api/cases', '{"pathway": "sth-gul",');
    expect(res.status).toBe(400);
    expectErrorShape(res.body, 'INVALID_JSON');
    expect(await caseCount()).toBe(before);
  });

  it('a retried create with the same Idempotency-Key returns the same case and creates one', async () => {
    const before = await caseCount();
    const first = await post(url, '/api/cases', caseBody(), { 'Idempotency-Key': 'create-once' });
    const again = await post(url, '/api/cases', caseBody(), { 'Idempotency-Key': 'create-once' });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(await caseCount()).toBe(before + 1);
  });
});

describe('GET /api/cases/:id', () => {
  it('200 with the view and ETag "<version>"', async () => {
    const created = await createCase();
    const fresh = await get(url, `/api/cases/${created.id}`);
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('etag')).toBe('"0"');
    expect(fresh.body).toEqual(created);
    await send(created.id, { type: 'RECORD_CONSENT', given: true });
    const moved = await get(url, `/api/cases/${created.id}`);
    expect(moved.headers.get('etag')).toBe('"1"');
    expect(moved.body.version).toBe(1);
  });

  it('404 with the error shape for an unknown id', async () => {
    const res = await get(url, '/api/cases/00000000-0000-4000-8000-000000000000');
    expect(res.status).toBe(404);
    expectErrorShape(res.body, 'NOT_FOUND');
  });
});

describe('POST /api/cases/:id/events', () => {
  it('200 with the new view, its history and ETag', async () => {
    const created = await createCase();
    const res = await post(url, `/api/cases/${created.id}/events`, { type: 'RECORD_CONSENT', given: true });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe('"1"');
    expect(res.body.version).toBe(1);
    expect(res.body.history).toEqual([expect.objectContaining({ seq: 1, type: 'RECORD_CONSENT', at: clock.now(), pathway: 'sth-gul' })]);
    expect(await read(created.id)).toEqual(res.body);
  });

  it.each([
    ['ACKNOWLEDGE with a bad party', { type: 'ACKNOWLEDGE', party: 'kommunen', of: 'ADMISSION_NOTICE' }, 'party'],
    ['an unknown type', { type: 'SEND_FLOWERS' }, 'type'],
    ['a missing type', { given: true }, 'type'],
    ['a payload of the wrong type', { type: 'RECORD_CONSENT', given: 'ja' }, 'given'],
    ['a bad time', { type: 'RECORD_CONSENT', given: true, at: '2026-02-30T10:00' }, 'at'],
    ['a time before the latest event', { type: 'RECORD_CONSENT', given: true, at: '2026-03-01T10:00:00+01:00' }, 'at'],
    ['a JSON array', [{ type: 'RECORD_CONSENT', given: true }], 'event'],
    ['a JSON string', 'RECORD_CONSENT', 'event'],
  ])('400 naming the field for %s, and writes nothing', async (_name, event, field) => {
    const created = await createCase();
    const body = typeof event === 'string' ? JSON.stringify(event) : event;
    const res = await post(url, `/api/cases/${created.id}/events`, body);
    expect(res.status).toBe(400);
    expectErrorShape(res.body, 'VALIDATION');
    expect(res.body.error.details).toEqual({ field });
    await expectUnchanged(created.id, created);
  });

  it('400 INVALID_JSON and 413 PAYLOAD_TOO_LARGE write nothing', async () => {
    const created = await createCase();
    const broken = await post(url, `/api/cases/${created.id}/events`, '{"type":');
    expect(broken.status).toBe(400);
    expectErrorShape(broken.body, 'INVALID_JSON');
    const huge = await post(url, `/api/cases/${created.id}/events`, { type: 'CLOSE', reason: 'x'.repeat(70_000) });
    expect(huge.status).toBe(413);
    expectErrorShape(huge.body, 'PAYLOAD_TOO_LARGE');
    await expectUnchanged(created.id, created);
  });

  it('404 for an unknown case', async () => {
    const res = await post(url, '/api/cases/00000000-0000-4000-8000-000000000000/events', { type: 'RECORD_CONSENT', given: true });
    expect(res.status).toBe(404);
    expectErrorShape(res.body, 'NOT_FOUND');
  });

  it('409 naming C-5 for DECLARE_READY before the criteria are met (C-5), and writes nothing', async () => {
    const before = await noticedCase();
    const res = await post(url, `/api/cases/${before.id}/events`, { type: 'DECLARE_READY' });
    expect(res.status).toBe(409);
    expectErrorShape(res.body, 'BLOCKED');
    expect(res.body.error.details.rules).toContain('C-5');
    expect(res.body.error.details.reasons.length).toBeGreaterThan(0);
    await expectUnchanged(before.id, before);
  });

  it('409 NOT_EXPECTED for an event the state does not take (DISCHARGE of a new case), and writes nothing', async () => {
    const created = await createCase();
    const res = await post(url, `/api/cases/${created.id}/events`, { type: 'DISCHARGE' });
    expect(res.status).toBe(409);
    expectErrorShape(res.body, 'NOT_EXPECTED');
    expect(Array.isArray(res.body.error.details.rules)).toBe(true);
    await expectUnchanged(created.id, created);
  });

  it('If-Match: the current version is accepted; a stale one is 409 VERSION_CONFLICT and writes nothing', async () => {
    const created = await createCase();
    const ok = await post(url, `/api/cases/${created.id}/events`, { type: 'RECORD_CONSENT', given: true }, { 'If-Match': '"0"' });
    expect(ok.status).toBe(200);
    for (const stale of ['"0"', 'W/"0"', '0', '"7"']) {
      const res = await post(url, `/api/cases/${created.id}/events`, { type: 'ASSESS_NEEDS', kommun: true, oppenvard: true }, { 'If-Match': stale });
      expect(res.status, stale).toBe(409);
      expectErrorShape(res.body, 'VERSION_CONFLICT');
      expect(res.body.error.details).toEqual({ currentVersion: 1 });
      await expectUnchanged(created.id, ok.body);
    }
    const next = await post(url, `/api/cases/${created.id}/events`, { type: 'ASSESS_NEEDS', kommun: true, oppenvard: true }, { 'If-Match': 'W/"1"' });
    expect(next.status).toBe(200);
    expect(next.body.version).toBe(2);
  });

  it('body expectedVersion: stale is 409 VERSION_CONFLICT; current is accepted and not stored in the event', async () => {
    const created = await createCase();
    const stale = await post(url, `/api/cases/${created.id}/events`, { type: 'RECORD_CONSENT', given: true, expectedVersion: 3 });
    expect(stale.status).toBe(409);
    expectErrorShape(stale.body, 'VERSION_CONFLICT');
    await expectUnchanged(created.id, created);
    const ok = await post(url, `/api/cases/${created.id}/events`, { type: 'RECORD_CONSENT', given: true, expectedVersion: 0 });
    expect(ok.status).toBe(200);
    expect(ok.body.version).toBe(1);
    const row = server.engine.store.db.prepare('SELECT payload FROM events WHERE case_id = ?').get(created.id) as { payload: string };
    expect(JSON.parse(row.payload)).toEqual({ given: true });
  });

  it.each([
    ['If-Match: abc', { 'If-Match': 'abc' }, {}, 'If-Match'],
    ['If-Match: -1', { 'If-Match': '"-1"' }, {}, 'If-Match'],
    ['expectedVersion: 1.5', {}, { expectedVersion: 1.5 }, 'expectedVersion'],
    ['expectedVersion: "zero"', {}, { expectedVersion: 'zero' }, 'expectedVersion'],
  ])('400 for a malformed version (%s), and writes nothing', async (_name, headers, extra, field) => {
    const created = await createCase();
    const res = await post(url, `/api/cases/${created.id}/events`, { type: 'RECORD_CONSENT', given: true, ...extra }, headers);
    expect(res.status).toBe(400);
    expectErrorShape(res.body, 'VALIDATION');
    expect(res.body.error.details).toEqual({ field });
    await expectUnchanged(created.id, created);
  });

  // Regression: expectedVersion() once coerced with Number(raw), taking `true` as 1 and '' / [0] as 0.
  it.each([
    ['true', true],
    ['""', ''],
    ['[0]', [0]],
  ])('400 for expectedVersion %s, which is not an integer', async (_name, value) => {
    const created = await createCase();
    await send(created.id, { type: 'RECORD_CONSENT', given: true });
    const before = await read(created.id);
    const res = await post(url, `/api/cases/${created.id}/events`, { type: 'ASSESS_NEEDS', kommun: true, oppenvard: true, expectedVersion: value });
    expect(res.status).toBe(400);
    expectErrorShape(res.body, 'VALIDATION');
    expect(res.body.error.details).toEqual({ field: 'expectedVersion' });
    await expectUnchanged(created.id, before);
  });

  it('Idempotency-Key: a retry returns the same body, applies nothing twice and says Idempotent-Replayed', async () => {
    const created = await createCase();
    const key = 'consent-1';
    const first = await post(url, `/api/cases/${created.id}/events`, { type: 'RECORD_CONSENT', given: true }, { 'Idempotency-Key': key });
    expect(first.status).toBe(200);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const after = await read(created.id);
    const again = await post(url, `/api/cases/${created.id}/events`, { type: 'RECORD_CONSENT', given: true }, { 'Idempotency-Key': key });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('etag')).toBe('"1"');
    expect(again.body).toEqual(first.body);
    expect(again.body.version).toBe(1);
    await expectUnchanged(created.id, after);
    expect((await read(created.id)).history).toHaveLength(1);
    // Also when the case has moved on since: still the recorded answer, nothing applied.
    await send(created.id, { type: 'ASSESS_NEEDS', kommun: true, oppenvard: true });
    const moved = await read(created.id);
    const late = await post(url, `/api/cases/${created.id}/events`, { type: 'RECORD_CONSENT', given: true }, { 'Idempotency-Key': key });
    expect(late.status).toBe(200);
    expect(late.body.version).toBe(1);
    await expectUnchanged(created.id, moved);
  });

  it('the same Idempotency-Key on another route is 409 IDEMPOTENCY_KEY_REUSED and writes nothing', async () => {
    const a = await createCase();
    const b = await createCase();
    const key = 'shared-key-1';
    expect((await post(url, `/api/cases/${a.id}/events`, { type: 'RECORD_CONSENT', given: true }, { 'Idempotency-Key': key })).status).toBe(200);
    const afterA = await read(a.id);
    const count = await caseCount();

    const otherCase = await post(url, `/api/cases/${b.id}/events`, { type: 'RECORD_CONSENT', given: true }, { 'Idempotency-Key': key });
    expect(otherCase.status).toBe(409);
    expectErrorShape(otherCase.body, 'IDEMPOTENCY_KEY_REUSED');
    await expectUnchanged(b.id, b);

    const create = await post(url, '/api/cases', caseBody(), { 'Idempotency-Key': key });
    expect(create.status).toBe(409);
    expectErrorShape(create.body, 'IDEMPOTENCY_KEY_REUSED');
    expect(await caseCount()).toBe(count);
    await expectUnchanged(a.id, afterA);
  });

  it('400 for a malformed Idempotency-Key, and writes nothing', async () => {
    const created = await createCase();
    const res = await post(url, `/api/cases/${created.id}/events`, { type: 'RECORD_CONSENT', given: true }, { 'Idempotency-Key': 'has spaces in it' });
    expect(res.status).toBe(400);
    expectErrorShape(res.body, 'VALIDATION');
    expect(res.body.error.details).toEqual({ field: 'Idempotency-Key' });
    await expectUnchanged(created.id, created);
  });

  it('a failed call under an Idempotency-Key records nothing: the retry is applied', async () => {
    const created = await createCase();
    const bad = await post(url, `/api/cases/${created.id}/events`, { type: 'RECORD_CONSENT', given: 'ja' }, { 'Idempotency-Key': 'retry-after-400' });
    expect(bad.status).toBe(400);
    const good = await post(url, `/api/cases/${created.id}/events`, { type: 'RECORD_CONSENT', given: true }, { 'Idempotency-Key': 'retry-after-400' });
    expect(good.status).toBe(200);
    expect(good.headers.get('idempotent-replayed')).toBeNull();
    expect(good.body.version).toBe(1);
  });

  // Regression: parseEvent once used `type in payloads`, true for Object.prototype members (500).
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'])('400 naming `type` for an event type named like an Object.prototype member (%s)', async (type) => {
    const created = await createCase();
    const res = await post(url, `/api/cases/${created.id}/events`, { type });
    expect(res.status).toBe(400);
    expectErrorShape(res.body, 'VALIDATION');
    expect(res.body.error.details).toEqual({ field: 'type' });
    await expectUnchanged(created.id, created);
  });
});

describe('GET /api/cases (filters and pagination)', () => {
  let list: RunningServer;
  let listClock: ManualClock;
  const ids: Record<'fresh' | 'noticed' | 'rod' | 'closed', string> = { fresh: '', noticed: '', rod: '', closed: '' };

  beforeAll(async () => {
    listClock = manualClock('2026-03-06T13:30:00Z');
    list = await serverOn(join(dir, 'list.db'), listClock);
    ids.fresh = (await createCase({}, list.url)).id;
    ids.noticed = (await noticedCase(list.url)).id;
    ids.rod = (await createCase({ pathway: 'sth-rod' }, list.url)).id;
    const closed = await createCase({}, list.url);
    for (const event of gulPlan(Date.parse(listClock.now()))) await send(closed.id, event, list.url);
    ids.closed = closed.id;
  });

  afterAll(async () => {
    await list?.close();
  });

  const listed = async (query: string): Promise<{ items: { id: string }[]; total: number; limit: number; offset: number }> => {
    const res = await get(list.url, `/api/cases?${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const idsOf = (page: { items: { id: string }[] }) => page.items.map((i) => i.id).sort();

  it('without filters: every case, with total, limit 50 and offset 0', async () => {
    const page = await listed('');
    expect(page.total).toBe(4);
    expect(page.limit).toBe(50);
    expect(page.offset).toBe(0);
    expect(idsOf(page)).toEqual(Object.values(ids).sort());
    expect(page.items.find((i) => i.id === ids.noticed)).toMatchObject({ pathway: 'sth-gul', status: 'active', version: 3, kommun: 'Solna', patientName: 'Test Testsson' });
  });

  it('pathway', async () => {
    expect(idsOf(await listed('pathway=sth-rod'))).toEqual([ids.rod]);
    expect((await listed('pathway=sth-gul')).total).toBe(3);
    expect((await listed('pathway=vrm-gul')).total).toBe(0);
  });

  it('state: the cases with a lane in that leaf state', async () => {
    expect(idsOf(await listed('state=slutenvard.vardtid'))).toEqual([ids.noticed]);
    expect(idsOf(await listed('state=slutenvard.inskriven'))).toEqual([ids.fresh, ids.rod].sort());
    expect((await listed('state=nowhere.at.all')).total).toBe(0);
  });

  it('party: the cases where the party has something to do (socialtjänst awaiting its acknowledgement, C-2)', async () => {
    expect(idsOf(await listed('party=socialtjanst'))).toEqual([ids.noticed]);
    expect(idsOf(await listed('party=slutenvard'))).toEqual(expect.arrayContaining([ids.fresh, ids.rod]));
    expect(idsOf(await listed('party=slutenvard'))).not.toContain(ids.closed);
  });

  it('status', async () => {
    expect(idsOf(await listed('status=closed'))).toEqual([ids.closed]);
    expect(idsOf(await listed('status=active'))).toEqual([ids.fresh, ids.noticed, ids.rod].sort());
  });

  it('overdue=true: the active cases with a passed open deadline, as their views say (K-7, C-1)', async () => {
    expect((await listed('overdue=true')).total).toBe(0);
    // Saturday 15:00: the new cases' C-1 (admission + 24 h) has passed; the noticed case's C-2 runs on weekdays.
    listClock.set('2026-03-07T15:00:00+01:00');
    try {
      const overdue = idsOf(await listed('overdue=true'));
      expect(overdue).toEqual(expect.arrayContaining([ids.fresh, ids.rod]));
      const expected: string[] = [];
      for (const id of Object.values(ids)) {
        const view = (await get(list.url, `/api/cases/${id}`)).body;
        if (view.status === 'active' && view.deadlines.some((d: { status: string }) => d.status === 'overdue')) expected.push(id);
      }
      expect(overdue).toEqual(expected.sort());
      expect(overdue).not.toContain(ids.closed);
      expect((await listed('overdue=false')).total).toBe(4);
    } finally {
      listClock.set('2026-03-06T13:30:00Z');
    }
  });

  it('pagination: limit and offset walk every case once; total is the full count', async () => {
    const first = await listed('limit=3&offset=0');
    const second = await listed('limit=3&offset=3');
    expect(first.items).toHaveLength(3);
    expect(second.items).toHaveLength(1);
    expect(first.total).toBe(4);
    expect(second.total).toBe(4);
    expect({ limit: second.limit, offset: second.offset }).toEqual({ limit: 3, offset: 3 });
    expect([...idsOf(first), ...idsOf(second)].sort()).toEqual(Object.values(ids).sort());
    expect((await listed('limit=2&offset=10')).items).toEqual([]);
  });

  it.each([
    ['limit=0', 'query.limit'],
    ['limit=501', 'query.limit'],
    ['limit=abc', 'query.limit'],
    ['offset=-1', 'query.offset'],
    ['pathway=sth-lila', 'query.pathway'],
    ['party=kommunen', 'query.party'],
    ['overdue=yes', 'query.overdue'],
    ['status=open', 'query.status'],
  ])('400 naming the parameter for %s', async (query, field) => {
    const res = await get(list.url, `/api/cases?${query}`);
    expect(res.status).toBe(400);
    expectErrorShape(res.body, 'VALIDATION');
    expect(res.body.error.details).toEqual({ field });
  });
});

// BUG (engine/engine.ts ManualClock): the constructor keeps the instant text as given, while set()
// and advance() normalise to UTC ISO; deadline status, the overdue filter and the scheduler compare
// instants as strings, so a clock built from '…+01:00' is read as an hour later than it is.
describe('a ManualClock built from a local-offset time', () => {
  it('is the same instant: 30 minutes before C-1 is due, C-1 is pending and the case is not overdue (C-1, K-7)', async () => {
    // Saturday 13:30 local = 12:30Z; C-1 of a case admitted Friday 14:00 local is due 13:00Z.
    const local = await serverOn(join(dir, 'offset-clock.db'), new ManualClock('2026-03-07T13:30:00+01:00'));
    try {
      const created = await createCase({}, local.url);
      expect(created.deadlines).toContainEqual(expect.objectContaining({ id: 'C-1', due: '2026-03-07T13:00:00.000Z', status: 'pending' }));
      expect((await get(local.url, '/api/cases?overdue=true')).body.total).toBe(0);
      expect(local.engine.tick()).toBe(0);
    } finally {
      await local.close();
    }
  });
});

describe('catalogue routes', () => {
  it('GET /api/pathways: the ten pathways', async () => {
    const res = await get(url, '/api/pathways');
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(10);
    expect(res.body.map((p: { id: string }) => p.id)).toEqual([...PATHWAY_IDS]);
    for (const p of res.body) expect(p).toMatchObject({ label: expect.any(String), version: expect.any(Number), region: expect.any(String) });
  });

  it('GET /api/pathways/sth-gul: lanes and states with Swedish labels, parties, phases and the rule catalogue', async () => {
    const res = await get(url, '/api/pathways/sth-gul');
    expect(res.status).toBe(200);
    const d = res.body;
    expect(d.id).toBe('sth-gul');
    expect(Object.keys(d.lanes)).toEqual(expect.arrayContaining(['slutenvard', 'oppenvard', 'kommunal_hsl', 'socialtjanst', 'individ']));
    expect(d.lanes.slutenvard.states.vardtid.meta.label).toBe('Planering inför utskrivning');
    expect(d.lanes.slutenvard.states.inskriven.meta).toMatchObject({ party: 'slutenvard', phase: 'inskrivning' });
    const labels: string[] = [];
    const visit = (region: any) => {
      if (region.regions) Object.values(region.regions).forEach(visit);
      else for (const s of Object.values(region.states) as any[]) labels.push(s.meta.label);
    };
    Object.values(d.lanes).forEach(visit);
    expect(labels.length).toBeGreaterThan(10);
    for (const label of labels) expect(label).toMatch(/\S/);
    expect(d.parties).toContainEqual({ id: 'socialtjanst', sv: 'Socialtjänsten', en: 'Social services' });
    expect(d.phases.map((p: { id: string }) => p.id)).toEqual(['inskrivning', 'vardtid', 'utskrivningsklar', 'hemgang']);
    expect(d.ruleCatalogue.map((r: { id: string }) => r.id)).toEqual(expect.arrayContaining(['C-1', 'C-2', 'C-5']));
    for (const r of d.ruleCatalogue) expect(r).toMatchObject({ id: expect.any(String), sentence: expect.any(String) });
    expect(d.deadlines).toBeDefined();
  });

  it('GET /api/pathways/:id: 404 with the error shape for an unknown pathway', async () => {
    const res = await get(url, '/api/pathways/sth-lila');
    expect(res.status).toBe(404);
    expectErrorShape(res.body, 'NOT_FOUND');
  });

  // Regression: `PATHWAYS[id]` once found Object.prototype members and answered 500.
  it.each(['constructor', 'toString', '__proto__'])('GET /api/pathways/%s is 404, not 500', async (id) => {
    const res = await get(url, `/api/pathways/${id}`);
    expect(res.status).toBe(404);
    expectErrorShape(res.body, 'NOT_FOUND');
  });

  it('GET /api/rules: the rule catalogue with where each rule is implemented', async () => {
    const res = await get(url, '/api/rules');
    expect(res.status).toBe(200);
    const ids = res.body.map((r: { id: string }) => r.id);
    expect(ids).toEqual(expect.arrayContaining(['C-1', 'C-5', 'K-7']));
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of res.body) expect(Array.isArray(r.implementedIn)).toBe(true);
  });

  it('GET /api/event-types: every event type with its Swedish label and JSON schema', async () => {
    const res = await get(url, '/api/event-types');
    expect(res.status).toBe(200);
    expect(res.body.map((e: { type: string }) => e.type)).toEqual(EVENT_TYPES);
    const ack = res.body.find((e: { type: string }) => e.type === 'ACKNOWLEDGE');
    expect(ack.sv).toBe('Kvittera');
    expect(ack.schema.properties.party.enum).toEqual(['oppenvard', 'kommunal_hsl', 'socialtjanst']);
  });

  it('GET /api/positions?pathway=sth-gul counts active cases per state, and the counts move with an event', async () => {
    const count = async (state: string) => {
      const res = await get(url, '/api/positions?pathway=sth-gul');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ pathway: 'sth-gul', version: 1 });
      return res.body.states.find((s: { state: string }) => s.state === state)?.active ?? 0;
    };
    const inskriven0 = await count('slutenvard.inskriven');
    const vardtid0 = await count('slutenvard.vardtid');
    const a = await createCase();
    await createCase();
    expect(await count('slutenvard.inskriven')).toBe(inskriven0 + 2);
    expect(await count('slutenvard.vardtid')).toBe(vardtid0);
    await send(a.id, { type: 'SEND_ADMISSION_NOTICE' });
    expect(await count('slutenvard.inskriven')).toBe(inskriven0 + 1);
    expect(await count('slutenvard.vardtid')).toBe(vardtid0 + 1);
  });

  it.each(['/api/positions', '/api/positions?pathway=sth-lila'])('400 for %s', async (path) => {
    const res = await get(url, path);
    expect(res.status).toBe(400);
    expectErrorShape(res.body, 'VALIDATION');
    expect(res.body.error.details).toEqual({ field: 'query.pathway' });
  });

  it('GET /api/health: 200 ok with the schema version and the case count', async () => {
    const res = await get(url, '/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', schemaVersion: SCHEMA_VERSION, cases: expect.any(Number), time: clock.now() });
  });

  it('GET /api/openapi.json: OpenAPI 3.0.3 with every route, and the event request schema lists every event type', async () => {
    const res = await get(url, '/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.openapi).toBe('3.0.3');
    const routes: [string, string][] = [
      ['/api/cases', 'post'], ['/api/cases', 'get'], ['/api/cases/{id}', 'get'], ['/api/cases/{id}/events', 'post'],
      ['/api/pathways', 'get'], ['/api/pathways/{id}', 'get'], ['/api/rules', 'get'], ['/api/event-types', 'get'],
      ['/api/positions', 'get'], ['/api/health', 'get'], ['/api/stream', 'get'], ['/api/me', 'get'], ['/api/demo/users', 'get'],
      ['/api/demo/login', 'post'], ['/api/worklist', 'get'], ['/api/worklist/escalation', 'get'], ['/api/access-log', 'get'], ['/api/access-log.csv', 'get'],
      ['/api/reports/liability', 'get'], ['/api/reports/liability/cases', 'get'], ['/api/reports/compliance', 'get'],
      ['/api/pathway-catalogue', 'get'], ['/api/pathways/{id}/versions', 'get'], ['/api/pathways/{id}/versions', 'post'], ['/api/pathways/{id}/draft', 'put'],
      ['/api/pathways/{id}/compare', 'get'], ['/api/pathways/{id}/export', 'get'], ['/api/pathways/{id}/impact', 'post'], ['/api/pathways/{id}/migrations', 'post'],
    ];
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const [path, method] of routes) expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    const schema = doc.paths['/api/cases/{id}/events'].post.requestBody.content['application/json'].schema;
    const types = schema.oneOf.map((s: { properties: { type: { enum: string[] } } }) => s.properties.type.enum[0]);
    expect([...types].sort()).toEqual([...EVENT_TYPES].sort());
    const ack = schema.oneOf.find((s: { title: string }) => s.title === 'ACKNOWLEDGE');
    expect(ack.required).toEqual(expect.arrayContaining(['type', 'party', 'of']));
    const params = doc.paths['/api/cases'].get.parameters.map((p: { name: string }) => p.name);
    expect(params).toEqual(expect.arrayContaining(['pathway', 'state', 'party', 'overdue', 'status', 'limit', 'offset']));
    expect(doc.components.schemas.Error).toBeDefined();
  });

  it.each([
    ['GET', '/api/nope'],
    ['GET', '/api/cases/x/events'],
    ['POST', '/api/health'],
    ['DELETE', '/api/cases/abc'],
    ['PUT', '/api/pathways'],
  ])('unknown API route %s %s: 404 with the error shape (401 without a token)', async (method, path) => {
    const anonymous = await fetch(url + path, { method });
    expect(anonymous.status).toBe(401);
    const res = await fetch(url + path, { method, headers: await authHeader(staff('slutenvard')) });
    expect(res.status).toBe(404);
    expectErrorShape(await res.json(), 'NOT_FOUND');
  });
});

describe('GET /api/stream', () => {
  it('sends an `event: case` message with the new version after an event is accepted', async () => {
    const created = await createCase();
    const listeners = server.engine.changes.listenerCount('change');
    const abort = new AbortController();
    const res = await fetch(`${url}/api/stream`, { signal: abort.signal, headers: await authHeader(staff('slutenvard')) });
    try {
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      const found = (async () => {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) throw new Error(`stream ended: ${buffer}`);
          buffer += decoder.decode(value, { stream: true });
          for (const message of buffer.split('\n\n')) {
            const kind = /^event: (.+)$/m.exec(message)?.[1];
            const data = /^data: (.+)$/m.exec(message)?.[1];
            if (kind !== 'case' || !data) continue;
            const change = JSON.parse(data);
            if (change.id === created.id && change.version === 1) return change;
          }
        }
      })();
      await send(created.id, { type: 'SEND_ADMISSION_NOTICE' });
      const timeout = new Promise<never>((_, fail) => setTimeout(() => fail(new Error(`no case message within 3 s: ${buffer}`)), 3_000));
      const change = await Promise.race([found, timeout]);
      expect(change).toMatchObject({ kind: 'case', id: created.id, pathway: 'sth-gul', version: 1, status: 'active' });
      expect(change.states).toContain('slutenvard.vardtid');
      expect(change.previousStates).toContain('slutenvard.inskriven');
      expect(buffer.startsWith('retry: 2000')).toBe(true);
      expect(server.engine.changes.listenerCount('change')).toBe(listeners + 1);
    } finally {
      abort.abort();
    }
    // The subscription ends with the connection.
    const deadline = Date.now() + 2_000;
    while (server.engine.changes.listenerCount('change') !== listeners && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(server.engine.changes.listenerCount('change')).toBe(listeners);
  });
});
