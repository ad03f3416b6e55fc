/**
 * Issue 5: who may see and do what. Tokens (401), party-based access (404 / 403), consent gating of
 * every field of the case view for every role × party × consent state (I-1 … I-4), the event
 * stream, the access log (one entry per read, append-only, CSV), injection strings and hardening.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPair } from 'jose';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal, UnitParty } from '../engine/access.ts';
import { startServer, type RunningServer } from '../server/main.ts';
import { authHeader, developer, processOwner, staff, testAuthConfig, tokenFor } from './support/authKit.ts';
import { caseBody, expectErrorShape, get, manualClock, post, serverOn, tempDir, type Answer } from './support/httpKit.ts';

const dir = tempDir('access');
let server: RunningServer;
let url = '';
const clock = manualClock('2026-03-06T13:30:00Z');

const PARTIES: UnitParty[] = ['slutenvard', 'oppenvard', 'kommunal_hsl', 'socialtjanst'];
/** Staff units that serve Solna only, as a kommun's units do. */
const solna = (party: UnitParty): Principal => staff(party, 'sth', ['Solna']);

const as = async (principal: Principal) => authHeader(principal);
const logCount = () => (server.engine.store.db.prepare('SELECT COUNT(*) AS n FROM access_log').get() as { n: number }).n;
const lastLog = () => server.engine.store.searchAccess({ limit: 1, offset: 0 }).items[0]!;

async function send(id: string, event: Record<string, unknown>, party: UnitParty): Promise<Answer> {
  const res = await post(url, `/api/cases/${id}/events`, event, await as(solna(party)));
  expect(res.status, `${event.type} by ${party}: ${JSON.stringify(res.body)}`).toBe(200);
  return res;
}

type ConsentState = 'given' | 'unknown' | 'refused, menprövning negative' | 'refused, menprövning positive' | 'withdrawn';
const CONSENT_STATES: ConsentState[] = ['given', 'unknown', 'refused, menprövning negative', 'refused, menprövning positive', 'withdrawn'];
const DISCLOSURE: Record<ConsentState, boolean> = {
  given: true, unknown: false, 'refused, menprövning negative': false, 'refused, menprövning positive': true, withdrawn: false,
};
const cases = new Map<ConsentState, string>();

/** An sth-gul case in Solna with the notice sent to all three recipients, acknowledged, and an FVK. */
async function caseWith(consent: ConsentState): Promise<string> {
  const created = await post(url, '/api/cases', caseBody(), await as(solna('slutenvard')));
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  if (consent === 'given' || consent === 'withdrawn') await send(id, { type: 'RECORD_CONSENT', given: true }, 'slutenvard');
  if (consent.startsWith('refused')) {
    await send(id, { type: 'RECORD_CONSENT', given: false }, 'slutenvard');
    await send(id, { type: 'RECORD_MENPROVNING', disclosureAllowed: consent.endsWith('positive') }, 'slutenvard');
  }
  await send(id, { type: 'ASSESS_NEEDS', kommun: true, oppenvard: true }, 'slutenvard');
  await send(id, { type: 'SEND_ADMISSION_NOTICE', expectedDischargeDate: '2026-03-12' }, 'slutenvard');
  await send(id, { type: 'ACKNOWLEDGE', party: 'kommunal_hsl', of: 'ADMISSION_NOTICE' }, 'kommunal_hsl');
  await send(id, { type: 'ACKNOWLEDGE', party: 'socialtjanst', of: 'ADMISSION_NOTICE' }, 'socialtjanst');
  await send(id, { type: 'APPOINT_CARE_CONTACT', name: 'Vera Vårdkontakt', phone: '08-123', profession: 'sjuksköterska', licensedPhysician: false }, 'oppenvard');
  await send(id, { type: 'CONFIRM', item: 'written_information' }, 'slutenvard');
  if (consent === 'withdrawn') await send(id, { type: 'WITHDRAW_CONSENT' }, 'slutenvard');
  return id;
}

beforeAll(async () => {
  server = await serverOn(join(dir, 'access.db'), clock);
  url = server.url;
  for (const consent of CONSENT_STATES) cases.set(consent, await caseWith(consent));
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------

type Reader = UnitParty | 'process_owner';
const READERS: Reader[] = [...PARTIES, 'process_owner'];
const principalOf = (reader: Reader) => (reader === 'process_owner' ? processOwner('sth') : solna(reader));

/**
 * What each reader sees of each field, written out from the issue and I-1 … I-3 (not derived from
 * the code): v visible, h hidden (null), f cut down to the reader's own and the ward's parties.
 * Columns: slutenvård, öppenvård, kommunal HSL, socialtjänst, process owner.
 */
type Seen = 'v' | 'h' | 'f';
const WITHOUT_DISCLOSURE: Record<string, [Seen, Seen, Seen, Seen, Seen]> = {
  id: ['v', 'v', 'v', 'v', 'v'], pathway: ['v', 'v', 'v', 'v', 'v'], pathwayVersion: ['v', 'v', 'v', 'v', 'v'], version: ['v', 'v', 'v', 'v', 'v'],
  status: ['v', 'v', 'v', 'v', 'v'], closedReason: ['v', 'v', 'v', 'v', 'v'], phase: ['v', 'v', 'v', 'v', 'v'], kommun: ['v', 'v', 'v', 'v', 'v'],
  placeringskommun: ['v', 'v', 'v', 'v', 'v'], admittedAt: ['v', 'v', 'v', 'v', 'v'], consent: ['v', 'v', 'v', 'v', 'v'], readyAt: ['v', 'v', 'v', 'v', 'v'],
  dischargedAt: ['v', 'v', 'v', 'v', 'v'],
  // I-1: name, personnummer, folkbokföringsadress and the expected discharge date reach every party — but no process owner.
  patient: ['v', 'v', 'v', 'v', 'h'],
  expectedDischargeDate: ['v', 'v', 'v', 'v', 'v'],
  // I-3: each party's part of the process, and nothing of the other recipients'.
  state: ['v', 'f', 'f', 'f', 'v'], lanes: ['v', 'f', 'f', 'f', 'v'], deadlines: ['v', 'f', 'f', 'f', 'v'], blockers: ['v', 'f', 'f', 'f', 'v'],
  allowedEvents: ['v', 'f', 'f', 'f', 'v'], allowedActions: ['v', 'f', 'f', 'f', 'v'], history: ['v', 'f', 'f', 'f', 'v'], admissionNotice: ['v', 'f', 'f', 'f', 'v'],
  // Information about the individual stays with the party that holds it.
  careContact: ['v', 'v', 'h', 'h', 'h'], careContactOrganisation: ['v', 'v', 'h', 'h', 'h'], sip: ['v', 'v', 'h', 'h', 'h'],
  paymentLiability: ['v', 'h', 'h', 'h', 'h'], refusals: ['v', 'h', 'h', 'h', 'h'], criteria: ['v', 'h', 'h', 'h', 'h'], checklist: ['v', 'h', 'h', 'h', 'h'], dischargeChecklist: ['v', 'h', 'h', 'h', 'h'],
};
/** With consent or a positive menprövning everything flows, but a process owner never sees who the patient or the FVK is. */
const WITH_DISCLOSURE: Record<string, [Seen, Seen, Seen, Seen, Seen]> = Object.fromEntries(
  Object.keys(WITHOUT_DISCLOSURE).map((field) => [field, ['v', 'v', 'v', 'v', field === 'patient' || field === 'careContact' ? 'h' : 'v']]),
);

const PARTY_ITEMS = ['lanes', 'deadlines', 'blockers', 'allowedActions'] as const;

function partiesIn(view: Record<string, any>, field: string): string[] {
  switch (field) {
    case 'history': return view.history.map((h: { by: string }) => h.by);
    case 'state': return Object.keys(view.state?.aktiv ?? {});
    case 'admissionNotice': return [...view.admissionNotice.recipients, ...view.admissionNotice.informed];
    case 'allowedEvents': return [];
    default: return (view[field] as { party: string }[]).map((i) => i.party);
  }
}

describe('the case view for every role × party × consent state × field (I-1 … I-4)', () => {
  for (const consent of CONSENT_STATES) {
    describe(`consent: ${consent}`, () => {
      let full: Record<string, any>;
      beforeAll(async () => {
        const res = await get(url, `/api/cases/${cases.get(consent)}`, await as(solna('slutenvard')));
        full = res.body;
      });

      it('the test table classifies every field of the view', () => {
        expect(Object.keys(full).filter((k) => k !== 'access').sort()).toEqual(Object.keys(WITHOUT_DISCLOSURE).sort());
      });

      for (const reader of READERS) {
        it(`${reader}: each field visible, hidden or cut to its own part as the routine allows; one log entry`, async () => {
          const before = logCount();
          const res = await get(url, `/api/cases/${cases.get(consent)}`, await as(principalOf(reader)));
          expect(res.status).toBe(200);
          expect(logCount()).toBe(before + 1);
          expect(lastLog()).toMatchObject({ userId: principalOf(reader).id, action: 'read', caseIds: [cases.get(consent)], status: 200, route: 'GET /api/cases/:id' });
          const view = res.body as Record<string, any>;
          const disclosure = DISCLOSURE[consent];
          expect(view.access.disclosure).toBe(disclosure);
          const table = disclosure ? WITH_DISCLOSURE : WITHOUT_DISCLOSURE;
          const column = READERS.indexOf(reader);
          for (const [field, row] of Object.entries(table)) {
            const seen = row[column];
            const where = `${field} for ${reader} with consent ${consent}`;
            if (seen === 'v') expect(view[field], where).toEqual(full[field]);
            if (seen === 'h') {
              expect(view[field], where).toBeNull();
              expect(view.access.hidden, where).toContain(field);
            }
            if (seen === 'f') {
              const allowed = new Set([reader, 'slutenvard', 'individ']);
              const own = partiesIn(view, field);
              expect(own.every((p) => allowed.has(p)), `${where}: ${own.join(',')}`).toBe(true);
              expect(view.access.filtered, where).toContain(field);
              expect(view.access.rule).toBe('I-3');
            }
          }
          if (table.deadlines![column] === 'f') {
            // The ungated view did hold the other recipients' items, so the cut is real.
            const others = full.deadlines.filter((d: { party: string }) => d.party !== reader && d.party !== 'slutenvard');
            expect(others.length, 'other parties have deadlines in the full view').toBeGreaterThan(0);
            for (const field of PARTY_ITEMS) expect(view[field].length, field).toBeLessThanOrEqual(full[field].length);
            expect(view.deadlines.length).toBeLessThan(full.deadlines.length);
          }
          if (reader === 'socialtjanst' && !disclosure) {
            // Not even between socialtjänsten and kommunal hälso- och sjukvård (I-3).
            expect(JSON.stringify(view)).not.toContain('kommunal_hsl');
          }
        });
      }

      it('a developer does not see a real case at all (404), and it is logged', async () => {
        const before = logCount();
        const res = await get(url, `/api/cases/${cases.get(consent)}`, await as(developer()));
        expect(res.status).toBe(404);
        expect(logCount()).toBe(before + 1);
        expect(lastLog()).toMatchObject({ userId: 'test-dev', action: 'read', status: 404, caseIds: [cases.get(consent)] });
      });
    });
  }

  it('I-4: a withdrawn consent applies from that moment: the same reader saw the FVK before and not after', async () => {
    const id = await caseWith('given');
    const kommun = await as(solna('kommunal_hsl'));
    const before = await get(url, `/api/cases/${id}`, kommun);
    expect(before.body.careContact).toMatchObject({ name: 'Vera Vårdkontakt' });
    await send(id, { type: 'WITHDRAW_CONSENT' }, 'slutenvard');
    const after = await get(url, `/api/cases/${id}`, kommun);
    expect(after.body.careContact).toBeNull();
    expect(after.body.access).toMatchObject({ disclosure: false, rule: 'I-3' });
    expect(after.body.patient).toEqual(before.body.patient);
  });
});

describe('party-based access', () => {
  it('a unit not part of the case gets 404 and the attempt is logged', async () => {
    const id = cases.get('given')!;
    const nacka = staff('socialtjanst', 'sth', ['Nacka']);
    const before = logCount();
    const res = await get(url, `/api/cases/${id}`, await as(nacka));
    expect(res.status).toBe(404);
    expectErrorShape(res.body, 'NOT_FOUND');
    expect(logCount()).toBe(before + 1);
    expect(lastLog()).toMatchObject({ userId: nacka.id, unitId: nacka.unit.id, action: 'read', status: 404, caseIds: [id], detail: 'ingen åtkomst' });
  });

  it('another ward does not see the case; recipients see it only once the admission notice has reached them (S-2)', async () => {
    const created = await post(url, '/api/cases', caseBody(), await as(solna('slutenvard')));
    const id = created.body.id as string;
    const otherWard: Principal = { ...staff('slutenvard'), id: 'other-ward-user', unit: { ...staff('slutenvard').unit, id: 'annan-avd' } };
    expect((await get(url, `/api/cases/${id}`, await as(otherWard))).status).toBe(404);
    expect((await get(url, `/api/cases/${id}`, await as(solna('kommunal_hsl')))).status).toBe(404);
    await send(id, { type: 'RECORD_CONSENT', given: true }, 'slutenvard');
    await send(id, { type: 'SEND_ADMISSION_NOTICE' }, 'slutenvard');
    expect((await get(url, `/api/cases/${id}`, await as(solna('kommunal_hsl')))).status).toBe(200);
    const list = await get(url, '/api/cases?limit=500', await as(solna('kommunal_hsl')));
    expect(list.body.items.map((c: { id: string }) => c.id)).toContain(id);
    const nackaList = await get(url, '/api/cases?limit=500', await as(staff('kommunal_hsl', 'sth', ['Nacka'])));
    expect(nackaList.body.items.map((c: { id: string }) => c.id)).not.toContain(id);
  });

  it.each([
    ['APPOINT_CARE_CONTACT by kommunal hälso- och sjukvård', 'kommunal_hsl', { type: 'APPOINT_CARE_CONTACT', name: 'X', phone: '1', profession: 'y', licensedPhysician: false }, 'C-3'],
    ['DECLARE_READY by öppenvården', 'oppenvard', { type: 'DECLARE_READY' }, 'C-5'],
    ['socialtjänsten acknowledging for kommunal hälso- och sjukvård', 'socialtjanst', { type: 'ACKNOWLEDGE', party: 'kommunal_hsl', of: 'ADMISSION_NOTICE' }, 'C-2'],
    ['SEND_ADMISSION_NOTICE by socialtjänsten', 'socialtjanst', { type: 'SEND_ADMISSION_NOTICE' }, 'C-1'],
  ] as const)('an event from the wrong party is a 403 naming the rule: %s', async (_name, party, event, rule) => {
    const id = cases.get('unknown')!;
    const before = server.engine.store.loadCase(id)!.version;
    const res = await post(url, `/api/cases/${id}/events`, event, await as(solna(party as UnitParty)));
    expect(res.status).toBe(403);
    expectErrorShape(res.body, 'FORBIDDEN_PARTY');
    expect(res.body.error.details.rules).toContain(rule);
    expect(server.engine.store.loadCase(id)!.version).toBe(before);
    expect(lastLog()).toMatchObject({ action: 'write', status: 403, caseIds: [id], detail: event.type });
  });

  it('a process owner reads but does not report events (403); lists show no patient names and personnummer searches find nothing', async () => {
    const id = cases.get('given')!;
    const owner = await as(processOwner('sth'));
    const res = await post(url, `/api/cases/${id}/events`, { type: 'DECLARE_READY' }, owner);
    expect(res.status).toBe(403);
    expectErrorShape(res.body, 'FORBIDDEN_ROLE');
    const list = await get(url, '/api/cases?limit=500', owner);
    expect(list.body.items.length).toBeGreaterThan(0);
    expect(list.body.items.every((c: { patientName: string | null }) => c.patientName === null)).toBe(true);
    const search = await get(url, `/api/cases?personnummer=${encodeURIComponent(caseBody().patient ? (caseBody().patient as { personnummer: string }).personnummer : '')}`, owner);
    expect(search.body.total).toBe(0);
    // A Värmland process owner has no Stockholm cases.
    expect((await get(url, `/api/cases/${id}`, await as(processOwner('vrm')))).status).toBe(404);
  });

  it('developers work on sandbox cases only, which no one else sees', async () => {
    const dev = await as(developer());
    const created = await post(url, '/api/cases', caseBody(), dev);
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body.access.lens).toBe('developer');
    // A developer may act for every party in the sandbox.
    expect((await post(url, `/api/cases/${id}/events`, { type: 'RECORD_CONSENT', given: true }, dev)).status).toBe(200);
    expect((await post(url, `/api/cases/${id}/events`, { type: 'SEND_ADMISSION_NOTICE' }, dev)).status).toBe(200);
    expect((await post(url, `/api/cases/${id}/events`, { type: 'ACKNOWLEDGE', party: 'socialtjanst', of: 'ADMISSION_NOTICE' }, dev)).status).toBe(200);
    for (const reader of [solna('slutenvard'), solna('socialtjanst'), processOwner('sth')]) {
      expect((await get(url, `/api/cases/${id}`, await as(reader))).status).toBe(404);
    }
    const list = await get(url, '/api/cases', dev);
    expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([id]);
    expect((await get(url, '/api/cases?sandbox=true', await as(solna('slutenvard')))).status).toBe(403);
  });

  it('only the ward creates cases, and only for its own region', async () => {
    const res = await post(url, '/api/cases', caseBody(), await as(solna('socialtjanst')));
    expect(res.status).toBe(403);
    expectErrorShape(res.body, 'FORBIDDEN_ROLE');
    const wrongRegion = await post(url, '/api/cases', caseBody({ pathway: 'vrm-gul', kommun: 'Karlstad' }), await as(staff('slutenvard', 'sth')));
    expect(wrongRegion.status).toBe(403);
    expectErrorShape(wrongRegion.body, 'FORBIDDEN_REGION');
  });

  it('history names the unit that reported each event', async () => {
    const res = await get(url, `/api/cases/${cases.get('given')}`, await as(solna('slutenvard')));
    const appointed = res.body.history.find((h: { type: string }) => h.type === 'APPOINT_CARE_CONTACT');
    expect(appointed).toMatchObject({ by: 'oppenvard', unit: 'Testenhet oppenvard' });
  });
});

describe('tokens', () => {
  const ROUTES: [string, string][] = [
    ['GET', '/api/me'], ['GET', '/api/openapi.json'], ['GET', '/api/pathways'], ['GET', '/api/pathways/sth-gul'], ['GET', '/api/rules'],
    ['GET', '/api/event-types'], ['POST', '/api/cases'], ['GET', '/api/cases'], ['GET', '/api/cases/x'], ['POST', '/api/cases/x/events'],
    ['GET', '/api/positions?pathway=sth-gul'], ['GET', '/api/stream'], ['GET', '/api/access-log'], ['GET', '/api/access-log.csv'], ['GET', '/api/nope'],
  ];
  const badTokens: [string, () => Promise<string>][] = [
    ['no token', async () => ''],
    ['not a JWT', async () => 'Bearer abc'],
    ['expired', async () => `Bearer ${await tokenFor(solna('slutenvard'), { expiresIn: Math.floor(Date.now() / 1000) - 120 })}`],
    ['tampered', async () => {
      const [h, p, s] = (await tokenFor(solna('oppenvard'))).split('.');
      const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
      claims.unit.party = 'slutenvard';
      return `Bearer ${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
    }],
    ['signed with another key', async () => `Bearer ${await tokenFor(solna('slutenvard'), { key: (await generateKeyPair('ES256')).privateKey })}`],
    ['from another issuer', async () => `Bearer ${await tokenFor(solna('slutenvard'), { issuer: 'someone-else' })}`],
    ['unsigned (alg none)', async () => {
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      const payload = Buffer.from(JSON.stringify({ sub: 'x', name: 'x', unit: solna('slutenvard').unit, roles: ['staff'], exp: 9999999999 })).toString('base64url');
      return `Bearer ${header}.${payload}.`;
    }],
    ['valid signature but no unit claim', async () => `Bearer ${await tokenFor({ ...solna('slutenvard'), unit: undefined } as unknown as Principal)}`],
  ];

  for (const [name, make] of badTokens) {
    it(`${name}: every route answers 401 with the error shape and writes nothing`, async () => {
      const authorization = await make();
      const before = logCount();
      for (const [method, path] of ROUTES) {
        const res = await fetch(url + path, { method, headers: authorization ? { authorization, 'content-type': 'application/json' } : { 'content-type': 'application/json' }, ...(method === 'POST' ? { body: JSON.stringify(caseBody()) } : {}) });
        expect(res.status, `${method} ${path}`).toBe(401);
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
        expectErrorShape(await res.json());
      }
      expect(logCount()).toBe(before);
    });
  }

  it('health needs no token; the demo login answers 404 outside demo mode', async () => {
    expect((await fetch(`${url}/api/health`)).status).toBe(200);
    expect((await fetch(`${url}/api/demo/users`)).status).toBe(404);
    expect((await fetch(`${url}/api/demo/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"userId":"demo-sara"}' })).status).toBe(404);
  });

  it('demo mode: GET /api/demo/users lists unit, party and role; POST /api/demo/login gives a working token', async () => {
    const demo = await startServer({ port: 0, dbPath: join(dir, 'demo.db'), demo: false, schedulerMs: 3_600_000, logger: pino({ level: 'silent' }), auth: { mode: 'demo' } });
    try {
      const users = await (await fetch(`${demo.url}/api/demo/users`)).json() as { id: string; unit: { party: string | null }; party: string | null; role: string; roles: string[] }[];
      expect(users.length).toBe(13);
      for (const u of users) {
        expect(u.party).toBe(u.unit.party);
        expect(u.roles).toContain(u.role);
      }
      const login = await fetch(`${demo.url}/api/demo/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: 'demo-olivia' }) });
      const { token } = await login.json() as { token: string };
      const me = await (await fetch(`${demo.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).json() as { user: { id: string; unit: { party: string } }; demo: boolean };
      expect(me).toMatchObject({ user: { id: 'demo-olivia', unit: { party: 'oppenvard' } }, demo: true });
      const unknown = await fetch(`${demo.url}/api/demo/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"userId":"nobody"}' });
      expect(unknown.status).toBe(400);
      expectErrorShape(await unknown.json(), 'VALIDATION');
      // A demo token is not accepted by a server with another key (each demo server makes its own).
      expect((await fetch(`${url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    } finally {
      await demo.close();
    }
  });

  it('GET /api/me returns the signed-in user from the claims', async () => {
    const res = await get(url, '/api/me', await as(solna('oppenvard')));
    expect(res.body).toEqual({ user: solna('oppenvard'), demo: false });
  });
});

describe('the event stream is gated like the case view', () => {
  async function collect(principal: Principal, act: () => Promise<void>): Promise<Record<string, any>[]> {
    const abort = new AbortController();
    const res = await fetch(`${url}/api/stream`, { headers: await as(principal), signal: abort.signal });
    expect(res.status).toBe(200);
    // Opening the stream is logged at once, not when it closes.
    expect(lastLog()).toMatchObject({ action: 'stream', userId: principal.id, route: 'GET /api/stream' });
    const reader = res.body!.getReader();
    let buffer = '';
    const pump = (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        buffer += new TextDecoder().decode(value);
      }
    })();
    await new Promise((r) => setTimeout(r, 50));
    await act();
    await new Promise((r) => setTimeout(r, 150));
    abort.abort();
    await pump;
    return buffer.split('\n\n').filter((m) => m.startsWith('event: case')).map((m) => JSON.parse(/^data: (.+)$/m.exec(m)![1]!));
  }

  it('without consent socialtjänsten gets its own and the ward\'s lanes only; a unit outside the case gets the movement without the case id', async () => {
    const id = cases.get('unknown')!;
    const event = () => send(id, { type: 'SET_EXPECTED_DISCHARGE', date: '2026-03-13' }, 'slutenvard').then(() => undefined);
    const soc = await collect(solna('socialtjanst'), event);
    const mine = soc.find((c) => c.id === id);
    expect(mine).toBeDefined();
    expect([...mine!.states, ...mine!.previousStates].every((s: string) => /^(slutenvard|socialtjanst|individ)\./.test(s))).toBe(true);
    const outsider = await collect(staff('socialtjanst', 'sth', ['Nacka']), event);
    expect(outsider.length).toBeGreaterThan(0);
    expect(outsider.every((c) => c.id === undefined && c.version === undefined)).toBe(true);
    expect(outsider.some((c) => c.states.some((s: string) => s.startsWith('kommunal_hsl.')))).toBe(true);
  });
});

describe('the access log', () => {
  it('is append-only: the database refuses updates and deletes, and no route changes it', async () => {
    const db = server.engine.store.db;
    expect(logCount()).toBeGreaterThan(0);
    expect(() => db.prepare("UPDATE access_log SET user_id = 'x'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM access_log').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM access_log_cases').run()).toThrow(/append-only/);
    const owner = await as(processOwner('sth'));
    for (const method of ['PUT', 'PATCH', 'DELETE', 'POST']) {
      const res = await fetch(`${url}/api/access-log`, { method, headers: owner });
      expect(res.status, method).toBe(404);
    }
  });

  it('process owners search it by case and export it as CSV whose rows match the search; others get 403', async () => {
    const id = cases.get('given')!;
    const owner = await as(processOwner('sth'));
    const search = await get(url, `/api/access-log?caseId=${id}&limit=1000`, owner);
    expect(search.status).toBe(200);
    expect(search.body.total).toBeGreaterThan(READERS.length);
    expect(search.body.items.every((e: { caseIds: string[] }) => e.caseIds.includes(id))).toBe(true);
    const readers = new Set(search.body.items.filter((e: { action: string }) => e.action === 'read').map((e: { userId: string }) => e.userId));
    for (const reader of READERS) expect(readers.has(principalOf(reader).id), reader).toBe(true);
    const csv = await fetch(`${url}/api/access-log.csv?caseId=${id}`, { headers: owner });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toMatch(/^id;tid;användare/);
    // The export also lists the search just made (a read of this case's log).
    expect(lines.length - 1).toBe(search.body.total + 1);
    expect(lines[1]).toMatch(/;log-search;GET \/api\/access-log;200;/);
    expect(lines.slice(2).map((l) => Number(l.split(';')[0]))).toEqual(search.body.items.map((e: { id: number }) => e.id));
    expect(lastLog()).toMatchObject({ action: 'export', userId: 'test-owner-sth' });
    for (const path of ['/api/access-log', '/api/access-log.csv']) {
      const res = await get(url, path, await as(solna('slutenvard')));
      expect(res.status).toBe(403);
    }
  });
});

describe('injection strings in every text field', () => {
  const NASTY = [`Robert'); DROP TABLE cases;--`, '<script>alert(1)</script>', '" OR 1=1 --', '${7*7}{{7*7}}', '\u202Eevil', '../../etc/passwd', '=HYPERLINK("x")'];

  it('are stored and returned verbatim and harm nothing', async () => {
    for (const nasty of NASTY) {
      const created = await post(url, '/api/cases', caseBody({ patient: { personnummer: '19400107-9120', name: nasty, address: nasty }, kommun: nasty, placeringskommun: nasty }), await as(solna('slutenvard')));
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      expect(created.body.patient).toMatchObject({ name: nasty, address: nasty });
      expect(created.body.kommun).toBe(nasty);
      const ward = await as(solna('slutenvard'));
      for (const event of [{ type: 'RECORD_CONSENT', given: true }, { type: 'ASSESS_NEEDS', kommun: true, oppenvard: true }, { type: 'SEND_ADMISSION_NOTICE' }]) {
        expect((await post(url, `/api/cases/${id}/events`, event, ward)).status).toBe(200);
      }
      // The recipients of a case in kommun `nasty`:
      const fvk = staff('oppenvard', 'sth', [nasty]);
      const appointed = await post(url, `/api/cases/${id}/events`, { type: 'APPOINT_CARE_CONTACT', name: nasty, phone: nasty, profession: nasty, licensedPhysician: false }, await as(fvk));
      expect(appointed.status).toBe(200);
      expect(appointed.body.careContact).toMatchObject({ name: nasty, phone: nasty, profession: nasty });
      const called = await post(url, `/api/cases/${id}/events`, { type: 'CALL_SIP', meetingAt: '2026-03-09T10:00:00Z', place: nasty }, await as(fvk));
      expect(called.status).toBe(200);
      expect(called.body.sip.place).toBe(nasty);
      const read = await get(url, `/api/cases/${id}`, ward);
      expect(read.body.patient.name).toBe(nasty);
      const found = await get(url, `/api/cases?limit=500`, await as(fvk));
      expect(found.body.items.map((c: { id: string }) => c.id)).toContain(id);
    }
    const db = server.engine.store.db;
    expect((db.pragma('integrity_check') as { integrity_check: string }[])[0]!.integrity_check).toBe('ok');
    expect(server.engine.store.caseCount()).toBeGreaterThan(NASTY.length);
    // CSV cells that a spreadsheet would run as formulas are defused.
    const csv = await (await fetch(`${url}/api/access-log.csv`, { headers: await as(processOwner('sth')) })).text();
    expect(csv).not.toMatch(/(^|;)=HYPERLINK/m);
  });
});

describe('hardening', () => {
  it('answers carry security headers', async () => {
    const res = await fetch(`${url}/api/health`);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('limits requests per user (429 with Retry-After) and never logs a token', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
    const limited = await startServer({
      port: 0, dbPath: join(dir, 'limited.db'), demo: false, schedulerMs: 3_600_000, logger: pino({ level: 'debug' }, sink), auth: await testAuthConfig(), rateLimit: 60,
    });
    try {
      const header = await as(solna('slutenvard'));
      const statuses: number[] = [];
      for (let i = 0; i < 30; i += 1) statuses.push((await fetch(`${limited.url}/api/pathways`, { headers: header })).status);
      expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
      expect(statuses).toContain(429);
      const last = await fetch(`${limited.url}/api/pathways`, { headers: header });
      expect(last.status).toBe(429);
      expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
      expectErrorShape(await last.json(), 'RATE_LIMITED');
      // Another user is not held back.
      expect((await fetch(`${limited.url}/api/pathways`, { headers: await as(solna('oppenvard')) })).status).toBe(200);
      const token = header.authorization!.replace('Bearer ', '');
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.join('\n')).not.toContain(token.split('.')[2]!);
    } finally {
      await limited.close();
    }
  });

  it('an internal error answers a bare 500 without a stack or SQL', async () => {
    const original = server.engine.view.bind(server.engine);
    server.engine.view = () => { throw new Error('SQLITE_ERROR: near "SELECT": syntax error at /work/main/engine/store.ts:1'); };
    try {
      const res = await get(url, `/api/cases/${cases.get('given')}`, await as(solna('slutenvard')));
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ error: { code: 'INTERNAL', message: 'Ett internt fel inträffade' } });
    } finally {
      server.engine.view = original;
    }
  });
});
