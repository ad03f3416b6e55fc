/**
 * Fuzzing the write routes with fast-check: random JSON, objects with random and prototype-
 * pollution keys, real event types with payloads of the wrong type, strings around the 64 KiB
 * limit, deep nesting, injection-looking strings and foreign Content-Types. Every answer is a 4xx
 * with the error shape (never a 5xx) and leaves every table exactly as it was.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_TYPES, eventPayloadSchema, instantSchema, type EventType } from '../machines/events.ts';
import type { RunningServer } from '../server/main.ts';
import { authHeader, staff } from './support/authKit.ts';
import { caseBody, digest, gulPlan, hasErrorShape, manualClock, post, serverOn, tempDir } from './support/httpKit.ts';
import type { z } from 'zod';

const LIMIT = 64 * 1024;
const dir = tempDir('fuzz');
let server: RunningServer;
let fresh = '';
let noticed = '';

const INHERITED = Object.getOwnPropertyNames(Object.prototype);
const prototypeSnapshot = Object.getOwnPropertyNames(Object.prototype).sort();

beforeAll(async () => {
  const clock = manualClock('2026-03-06T13:30:00Z');
  server = await serverOn(join(dir, 'fuzz.db'), clock);
  fresh = (await post(server.url, '/api/cases', caseBody())).body.id;
  noticed = (await post(server.url, '/api/cases', caseBody())).body.id;
  for (const event of gulPlan(Date.parse(clock.now())).slice(0, 3)) {
    expect((await post(server.url, `/api/cases/${noticed}/events`, event)).status).toBe(200);
  }
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Shot {
  path: string;
  body: string;
  headers: Record<string, string>;
}

interface Tally {
  runs: number;
  byStatus: Map<number, number>;
}

/** Sends one request; the answer must be a 4xx with the error shape that changed no table (or a 2xx, if allowed). */
async function fire(shot: Shot, tally: Tally, allow2xx = false): Promise<void> {
  const before = digest(server.engine.store.db);
  // The ward is a party of both cases: every shot reaches validation.
  const res = await fetch(server.url + shot.path, { method: 'POST', headers: { ...(await authHeader(staff('slutenvard'))), ...shot.headers }, body: shot.body });
  const text = await res.text();
  tally.runs += 1;
  tally.byStatus.set(res.status, (tally.byStatus.get(res.status) ?? 0) + 1);
  const where = `${res.status} for POST ${shot.path} ${JSON.stringify(shot.headers)} ${shot.body.slice(0, 300)} → ${text.slice(0, 300)}`;
  if (res.status >= 200 && res.status < 300 && allow2xx) return;
  expect(res.status >= 400 && res.status < 500, where).toBe(true);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  expect(hasErrorShape(body), where).toBe(true);
  expect(digest(server.engine.store.db), `writes nothing: ${where}`).toBe(before);
}

const newTally = (): Tally => ({ runs: 0, byStatus: new Map() });

afterAll(() => {
  if (process.env.FUZZ_TALLY) console.log(tallies.map(([name, t]) => `${name}: ${t.runs} runs ${JSON.stringify([...t.byStatus].sort())}`).join('\n'));
});
const tallies: [string, Tally][] = [];
const tallyFor = (name: string): Tally => {
  const t = newTally();
  tallies.push([name, t]);
  return t;
};

/** Built lazily: the case ids exist only after beforeAll. */
const caseIds = () => fc.oneof(
  fc.constant(fresh),
  fc.constant(noticed),
  fc.constant('00000000-0000-4000-8000-000000000000'),
  fc.string({ minLength: 1, maxLength: 40 }),
);
const eventsPath = () => caseIds().map((id) => `/api/cases/${encodeURIComponent(id)}/events`);
const anyPath = () => fc.oneof(fc.constant('/api/cases'), eventsPath());

const JSON_TYPE = { 'content-type': 'application/json' };

/** JSON text of an object with exactly these entries (keeps a literal `__proto__` key). */
const objectText = (entries: [string, unknown][]) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`;

const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype', '__defineGetter__', 'hasOwnProperty', 'toString'];
const INJECTION = [
  "'; DROP TABLE cases; --", "\" OR 1=1 --", "1; DELETE FROM events", "<script>alert(1)</script>", '${process.exit(1)}',
  "{{constructor.constructor('return process')()}}", '../../../../etc/passwd', '%00', '\u0000', '\u202e', 'Robert\'); DROP TABLE events;--',
  '$where', '{"$gt": ""}', 'A'.repeat(1_000), '😀'.repeat(50), 'slutenvard.vardtid', "x' UNION SELECT * FROM idempotency --",
];
const injection = fc.constantFrom(...INJECTION);
const keyLike = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(...POLLUTION_KEYS, 'type', 'at', 'expectedVersion', 'pathway', 'patient', 'given', 'party'));
/** Values for `type`: random, Object.prototype member names, or near misses of real types. */
const typeLike = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(...INHERITED), fc.constantFrom(...EVENT_TYPES).map((t) => t.toLowerCase()), injection);

/** A value that the given schema refuses. */
const refusedBy = (schema: z.ZodType) => fc.oneof(fc.jsonValue({ maxDepth: 3 }), injection, fc.constant(null)).filter((v) => !schema.safeParse(v).success);

const shape = (type: EventType): Record<string, z.ZodType> => (eventPayloadSchema(type) as unknown as { shape: Record<string, z.ZodType> }).shape;

/** A real event type with one field (or `at`) given a value its schema refuses; the rest random. */
const wrongPayload = fc.constantFrom(...EVENT_TYPES).chain((type) => {
  const fields = Object.keys(shape(type));
  return fc.tuple(
    fc.constant(type),
    fc.constantFrom(...fields, 'at'),
    fc.array(fc.tuple(keyLike, fc.jsonValue({ maxDepth: 2 })), { maxLength: 3 }),
  ).chain(([t, field, extra]) => {
    const schema = field === 'at' ? instantSchema : shape(t)[field]!;
    return refusedBy(schema).map((bad): [string, unknown][] => [...extra.filter(([k]) => k !== 'type' && k !== field && k !== 'expectedVersion'), ['type', t], [field, bad]]);
  });
});

describe('fuzz: POST /api/cases and /api/cases/:id/events', () => {
  it('random JSON values: no 5xx; every 4xx has the error shape and writes nothing', async () => {
    const tally = tallyFor('random JSON values: no 5xx; every 4xx ha');
    await fc.assert(
      fc.asyncProperty(anyPath(), fc.jsonValue({ maxDepth: 4 }), async (path, value) => {
        const body = JSON.stringify(value) ?? 'null';
        await fire({ path, body, headers: JSON_TYPE }, tally, true);
      }),
      { numRuns: 500 },
    );
    expect(tally.runs).toBeGreaterThan(400);
  });

  it('objects with random keys, including __proto__ / constructor / prototype: only 4xx, nothing written', async () => {
    const tally = tallyFor('objects with random keys, including __pr');
    const entries = fc.array(fc.tuple(keyLike, fc.oneof(fc.jsonValue({ maxDepth: 3 }), injection, typeLike)), { maxLength: 8 });
    await fc.assert(
      fc.asyncProperty(anyPath(), entries, async (path, e) => {
        // A random object is not a case (no valid pathway + patient) and carries no known event type.
        const cleaned = e.map(([k, v]): [string, unknown] => (k === 'type' && typeof v === 'string' && (EVENT_TYPES as string[]).includes(v) ? [k, `X-${v}`] : [k, v]));
        await fire({ path, body: objectText(cleaned), headers: JSON_TYPE }, tally);
      }),
      { numRuns: 500 },
    );
  });

  it('valid event types with a payload field of the wrong type: 400 naming a field, nothing written', async () => {
    const tally = tallyFor('valid event types with a payload field o');
    await fc.assert(
      fc.asyncProperty(eventsPath(), wrongPayload, async (path, entries) => {
        await fire({ path, body: objectText(entries), headers: JSON_TYPE }, tally);
      }),
      { numRuns: 600 },
    );
    // Most land on a real case and so are validated there (400), not 404.
    expect(tally.byStatus.get(400) ?? 0).toBeGreaterThan(200);
  });

  it('the required fields hidden under __proto__ / constructor are not read: 400, nothing written, Object.prototype untouched', async () => {
    const tally = tallyFor('the required fields hidden under __proto');
    const withRequired = EVENT_TYPES.filter((t) => Object.entries(shape(t)).some(([, s]) => !s.safeParse(undefined).success));
    const valid: Record<string, Record<string, unknown>> = {
      ACKNOWLEDGE: { party: 'socialtjanst', of: 'ADMISSION_NOTICE' }, RECORD_CONSENT: { given: true }, ASSESS_NEEDS: { kommun: true, oppenvard: true },
      CLOSE: { reason: 'Klar' }, SET_EXPECTED_DISCHARGE: { date: '2026-03-12' }, CONFIRM: { item: 'aids_available' },
    };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(fresh, noticed), fc.constantFrom(...withRequired), fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.boolean(),
        async (id, type, key, toCase) => {
          if (toCase) {
            const body = caseBody();
            await fire({ path: '/api/cases', body: objectText([[key, body]]), headers: JSON_TYPE }, tally);
            await fire({ path: '/api/cases', body: objectText([['pathway', 'sth-gul'], [key, { patient: body.patient, kommun: 'Solna', admittedAt: body.admittedAt }]]), headers: JSON_TYPE }, tally);
          } else {
            const payload = valid[type] ?? { given: true, party: 'socialtjanst', of: 'READY', date: '2026-03-12', item: 'aids_available', reason: 'Klar', pathway: 'sth-rod', what: 'sip', until: '2026-04-01', meetingAt: '2026-03-20T10:00:00+01:00', from: '2026-03-07T10:00:00+01:00', to: '2026-03-08T10:00:00+01:00', exists: true, needsUpdate: false, name: 'A', phone: '1', profession: 'B', licensedPhysician: false, kommun: true, oppenvard: true, disclosureAllowed: true, phase: 'admission' };
            await fire({ path: `/api/cases/${id}/events`, body: objectText([['type', type], [key, payload]]), headers: JSON_TYPE }, tally);
          }
        },
      ),
      { numRuns: 200 },
    );
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeSnapshot);
    expect(({} as Record<string, unknown>).given).toBeUndefined();
    expect(({} as Record<string, unknown>).party).toBeUndefined();
  });

  it('strings around 64 KiB: at most 64 KiB is a 400 (too long for its field), more is 413', async () => {
    const tally = tallyFor('strings around 64 KiB: at most 64 KiB is');
    const piece = fc.oneof(fc.constantFrom('x', 'å', '€', '😀', 'ab'), fc.string({ minLength: 1, maxLength: 4 }));
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.constantFrom(fresh, noticed), piece, fc.integer({ min: 62_000, max: 68_000 }), async (toCase, id, unit, bytes) => {
        const huge = unit.repeat(Math.max(1, Math.floor(bytes / Buffer.byteLength(unit))));
        const body = toCase
          ? JSON.stringify(caseBody({ patient: { personnummer: '19400107-9120', name: huge, address: 'Testgatan 1' } }))
          : JSON.stringify({ type: 'CLOSE', reason: huge });
        const path = toCase ? '/api/cases' : `/api/cases/${id}/events`;
        const before = tally.byStatus.get(413) ?? 0;
        await fire({ path, body, headers: JSON_TYPE }, tally);
        const size = Buffer.byteLength(body);
        expect(tally.byStatus.get(413) ?? 0, `${size} bytes`).toBe(before + (size > LIMIT ? 1 : 0));
      }),
      { numRuns: 60 },
    );
    expect(tally.byStatus.get(413) ?? 0).toBeGreaterThan(0);
    expect(tally.byStatus.get(400) ?? 0).toBeGreaterThan(0);
  });

  it('deep nesting, as the body and inside a field: only 4xx, nothing written', async () => {
    const tally = tallyFor('deep nesting, as the body and inside a f');
    await fc.assert(
      fc.asyncProperty(anyPath(), fc.integer({ min: 1, max: 30_000 }), fc.constantFrom('array', 'object'), fc.constantFrom('body', 'field'), async (path, depth, kind, where) => {
        const deep = kind === 'array' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
        const body = where === 'body' ? deep
          : path === '/api/cases' ? `{"pathway":"sth-gul","patient":${deep},"kommun":"Solna","admittedAt":"2026-03-06T14:00:00+01:00"}`
          : `{"type":"RECORD_CONSENT","given":${deep}}`;
        await fire({ path, body, headers: JSON_TYPE }, tally);
      }),
      { numRuns: 120 },
    );
  });

  it('injection-looking strings in every field of a case or an event: only 4xx, nothing written', async () => {
    const tally = tallyFor('injection-looking strings in every field');
    const createFields = ['pathway', 'patient.personnummer', 'patient.name', 'patient.address', 'kommun', 'placeringskommun', 'admittedAt'];
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.subarray(createFields, { minLength: 1 }), injection, eventsPath(), fc.constantFrom(...EVENT_TYPES), async (toCase, fields, text, path, type) => {
        if (toCase) {
          // The personnummer is always spoilt, so the body can never be a valid case.
          const body = caseBody() as { patient: Record<string, unknown> } & Record<string, unknown>;
          body.patient.personnummer = `${text}19400107-9121`;
          for (const f of fields) {
            if (f.startsWith('patient.')) body.patient[f.slice(8)] = f === 'patient.personnummer' ? `${text}x` : text;
            else body[f] = text;
          }
          await fire({ path: '/api/cases', body: JSON.stringify(body), headers: JSON_TYPE }, tally);
        } else {
          // `type` is the injection: never a known event type.
          await fire({ path, body: JSON.stringify({ type: `${type}${text}`, reason: text, party: text, at: text }), headers: JSON_TYPE }, tally);
          const fields = Object.keys(shape(type));
          if (fields.length > 0) await fire({ path, body: JSON.stringify({ type, ...Object.fromEntries(fields.map((f) => [f, text])) }), headers: JSON_TYPE }, tally);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('foreign Content-Types and encodings, even around a valid case body: only 4xx, nothing written', async () => {
    const tally = tallyFor('foreign Content-Types and encodings, eve');
    const contentTypes = fc.constantFrom(
      'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=xyz', 'application/xml', 'application/octet-stream',
      'text/html; charset=utf-8', 'application/json; charset=latin1', 'application/json; charset=utf-16', 'application/jsonx', 'json', '*/*',
    );
    const encodings = fc.constantFrom(undefined, 'gzip', 'deflate', 'br', 'x-unknown', 'identity');
    const bodies = fc.oneof(
      fc.constant(JSON.stringify(caseBody())),
      fc.constant(JSON.stringify({ type: 'RECORD_CONSENT', given: true })),
      fc.constant('pathway=sth-gul&kommun=Solna'),
      fc.string({ maxLength: 200 }),
    );
    await fc.assert(
      fc.asyncProperty(anyPath(), contentTypes, encodings, bodies, async (path, type, encoding, body) => {
        const headers: Record<string, string> = { 'content-type': type };
        if (encoding) headers['content-encoding'] = encoding;
        await fire({ path, body, headers }, tally);
      }),
      { numRuns: 300 },
    );
  });

  it('malformed JSON text and junk headers (If-Match, Idempotency-Key): only 4xx, nothing written', async () => {
    const tally = tallyFor('malformed JSON text and junk headers (If');
    const printable = fc.string({ maxLength: 30, unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)) });
    await fc.assert(
      fc.asyncProperty(
        anyPath(),
        fc.oneof(fc.string({ maxLength: 100 }), fc.jsonValue({ maxDepth: 2 }).map((v) => `${JSON.stringify(v) ?? ''}}`), fc.constantFrom('{', '{"type":', '[1,2', '{"a":1,}', "{'type':'DIE'}", 'NaN', 'undefined', '\uFEFF{}')),
        fc.option(printable), fc.option(printable),
        async (path, text, ifMatch, key) => {
          const headers: Record<string, string> = { ...JSON_TYPE };
          if (ifMatch !== null) headers['if-match'] = ifMatch;
          if (key !== null) headers['idempotency-key'] = key;
          await fire({ path, body: text, headers }, tally, true);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('GET with random ids and query strings (Object.prototype names too): never a 5xx, nothing written', async () => {
    const tally = tallyFor('GET random');
    const segment = fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), fc.constantFrom(...INHERITED, 'sth-gul', '..', '%', '%E0%A4%A'), injection);
    const query = fc.array(fc.tuple(fc.constantFrom('pathway', 'state', 'party', 'overdue', 'status', 'limit', 'offset', 'personnummer', '__proto__', 'constructor'), fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(...INHERITED), injection)), { maxLength: 4 });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/api/pathways/', '/api/cases/', '/api/cases?', '/api/positions?'), segment, query, async (route, id, q) => {
        const raw = ['%', '%E0%A4%A', '..'].includes(id) ? id : encodeURIComponent(id);
        const path = route.endsWith('?') ? route + q.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&') : route + raw;
        const before = digest(server.engine.store.db);
        const res = await fetch(server.url + path, { headers: await authHeader(staff('slutenvard')) });
        const text = await res.text();
        tally.runs += 1;
        tally.byStatus.set(res.status, (tally.byStatus.get(res.status) ?? 0) + 1);
        expect(res.status < 500, `${res.status} for GET ${path}: ${text.slice(0, 200)}`).toBe(true);
        if (res.status >= 400) expect(hasErrorShape(JSON.parse(text)), `GET ${path}: ${text.slice(0, 200)}`).toBe(true);
        expect(digest(server.engine.store.db)).toBe(before);
      }),
      { numRuns: 400 },
    );
  });
});
