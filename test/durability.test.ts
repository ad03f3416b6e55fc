/**
 * Durability: optimistic concurrency under parallel requests (no lost update), a SIGKILL in the
 * middle of a stream of events (every acknowledged event survives, the file is intact, every case
 * replays to its snapshot), the startup catch-up of deadlines that passed while the server was
 * down (K-7), and a SIGTERM that drains and exits 0.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../engine/store.ts';
import type { RunningServer } from '../server/main.ts';
import {
  call, caseBody, checkDatabase, get, gulPlan, manualClock, post, serverOn, spawnServer, tempDir, type Answer,
} from './support/httpKit.ts';
import { authHeader, staff } from './support/authKit.ts';

const dir = tempDir('durability');
const DAY = 86_400_000;
const futureDate = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('concurrency: optimistic locking over HTTP', () => {
  let server: RunningServer;
  let url: string;

  beforeAll(async () => {
    server = await serverOn(join(dir, 'concurrency.db'));
    url = server.url;
  });

  afterAll(async () => {
    await server?.close();
  });

  async function noticedCase(): Promise<string> {
    const created = await post(url, '/api/cases', caseBody({ admittedAt: new Date(Date.now() - 3_600_000).toISOString() }));
    expect(created.status).toBe(201);
    for (const event of gulPlan().slice(0, 3)) expect((await post(url, `/api/cases/${created.body.id}/events`, event)).status).toBe(200);
    return created.body.id as string;
  }

  it('1,000 pairs of conflicting events with the same If-Match: exactly one 200 and one 409 each, no lost update', { timeout: 60_000 }, async () => {
    const cases = await Promise.all(Array.from({ length: 5 }, () => noticedCase()));
    const version = new Map(cases.map((id) => [id, 3]));
    const wins = new Map(cases.map((id) => [id, 0]));
    let round = 0;
    while (round < 1_000) {
      const batch = cases.map((id) => {
        const v = version.get(id)!;
        const r = round++;
        const attempt = (n: number) => post(url, `/api/cases/${id}/events`, { type: 'SET_EXPECTED_DISCHARGE', date: futureDate(3 + ((r + n) % 20)) }, { 'If-Match': `"${v}"` });
        return Promise.all([attempt(0), attempt(1)]).then((pair) => ({ id, v, pair }));
      });
      for (const { id, v, pair } of await Promise.all(batch)) {
        const statuses = pair.map((a) => a.status).sort();
        expect(statuses).toEqual([200, 409]);
        const won = pair.find((a) => a.status === 200)!;
        const lost = pair.find((a) => a.status === 409)!;
        expect(won.body.version).toBe(v + 1);
        expect(lost.body.error.code).toBe('VERSION_CONFLICT');
        expect(lost.body.error.details.currentVersion).toBe(v + 1);
        version.set(id, v + 1);
        wins.set(id, wins.get(id)! + 1);
      }
    }
    const totalWins = [...wins.values()].reduce((a, b) => a + b, 0);
    expect(totalWins).toBe(1_000);
    const db = server.engine.store.db;
    for (const id of cases) {
      const view = (await get(url, `/api/cases/${id}`)).body;
      expect(view.version).toBe(3 + wins.get(id)!);
      expect(view.history).toHaveLength(view.version);
      expect(view.history.map((h: { seq: number }) => h.seq)).toEqual(Array.from({ length: view.version }, (_, i) => i + 1));
      const row = db.prepare('SELECT c.version AS version, (SELECT COUNT(*) FROM events e WHERE e.case_id = c.id) AS events FROM cases c WHERE c.id = ?').get(id) as { version: number; events: number };
      expect(row).toEqual({ version: view.version, events: view.version });
      expect(server.engine.verify(id)).toBe(true);
    }
  });

  it('two DECLARE_READY in parallel without If-Match: one 200, one 409 NOT_EXPECTED (C-5 once)', { timeout: 30_000 }, async () => {
    const plan = gulPlan();
    const ready = plan.findIndex((e) => e.type === 'DECLARE_READY');
    for (let i = 0; i < 10; i++) {
      const id = await noticedCase();
      for (const event of plan.slice(3, ready)) expect((await post(url, `/api/cases/${id}/events`, event)).status).toBe(200);
      const pair = await Promise.all([0, 1].map(() => post(url, `/api/cases/${id}/events`, { type: 'DECLARE_READY' })));
      expect(pair.map((a) => a.status).sort()).toEqual([200, 409]);
      expect(pair.find((a) => a.status === 409)!.body.error.code).toBe('NOT_EXPECTED');
      const view = (await get(url, `/api/cases/${id}`)).body;
      expect(view.version).toBe(ready + 1);
      expect(view.history.filter((h: { type: string }) => h.type === 'DECLARE_READY')).toHaveLength(1);
      expect(view.phase).toBe('utskrivningsklar');
    }
  });

  it('the same Idempotency-Key twice in parallel: both 200 with the same body, applied once', { timeout: 30_000 }, async () => {
    const id = await noticedCase();
    for (let i = 0; i < 50; i++) {
      const key = `parallel-${id}-${i}`;
      const pair = await Promise.all([0, 1].map(() => post(url, `/api/cases/${id}/events`, { type: 'SET_EXPECTED_DISCHARGE', date: futureDate(4 + (i % 9)) }, { 'Idempotency-Key': key })));
      expect(pair.map((a) => a.status)).toEqual([200, 200]);
      expect(pair[0]!.body).toEqual(pair[1]!.body);
      expect(pair.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(1);
    }
    const view = (await get(url, `/api/cases/${id}`)).body;
    expect(view.version).toBe(3 + 50);
    expect(view.history).toHaveLength(53);
  });
});

describe('crash: SIGKILL mid-stream, restart on the same database', () => {
  it('every acknowledged event survives; retries with their Idempotency-Key apply once; cases carry on; integrity ok; every case replays to its snapshot', { timeout: 60_000 }, async () => {
    const dbPath = join(dir, 'crash.db');
    const first = await spawnServer(dbPath);
    const CASES = 24;
    const KILL_AFTER = 160;
    const ids: string[] = [];
    for (let i = 0; i < CASES; i++) {
      // The whole plan (consent … CLOSE) is valid on each of these pathways.
      const pathway = ['sth-gul', 'sth-gron', 'vrm-gul', 'vrm-rod', 'vrm-gron'][i % 5];
      const created = await post(first.url, '/api/cases', caseBody({ admittedAt: new Date(Date.now() - 3_600_000).toISOString(), pathway }));
      expect(created.status).toBe(201);
      ids.push(created.body.id);
    }
    const plan = gulPlan();
    const acked: { id: string; seq: number; type: string }[] = [];
    const inFlight = new Map<string, { seq: number; event: Record<string, unknown>; key: string }>();
    const failures: Answer[] = [];
    let killed = false;

    const worker = async (id: string) => {
      for (let i = 0; i < plan.length; i++) {
        const event = plan[i]!;
        const key = `crash-${id}-${i}`;
        inFlight.set(id, { seq: i + 1, event, key });
        let res: Answer;
        try {
          res = await post(first.url, `/api/cases/${id}/events`, event, { 'Idempotency-Key': key, 'If-Match': `"${i}"` });
        } catch {
          return; // the server is gone: this one stays in flight
        }
        inFlight.delete(id);
        if (res.status !== 200) {
          failures.push(res);
          return;
        }
        acked.push({ id, seq: res.body.version, type: event.type as string });
        if (!killed && acked.length >= KILL_AFTER) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(ids.map(worker));
    const exit = await first.exited;
    expect(exit.signal).toBe('SIGKILL');
    expect(failures).toEqual([]);
    expect(acked.length).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(acked.length).toBeLessThan(CASES * plan.length); // killed mid-stream
    expect(inFlight.size).toBeGreaterThan(0);

    const second = await spawnServer(dbPath);
    try {
      // Every acknowledged (200) event is in its case's history, at its version, with its type.
      const views = new Map<string, any>();
      for (const id of ids) views.set(id, (await get(second.url, `/api/cases/${id}`)).body);
      for (const a of acked) {
        const history = views.get(a.id).history;
        expect(history[a.seq - 1], `${a.id} #${a.seq}`).toMatchObject({ seq: a.seq, type: a.type });
      }
      // Nothing else: each history is a prefix of the plan (no duplicates, no gaps), at most one beyond the acknowledgements.
      for (const id of ids) {
        const view = views.get(id);
        const ackedHere = acked.filter((a) => a.id === id).length;
        expect(view.history.map((h: { type: string }) => h.type)).toEqual(plan.slice(0, view.version).map((e) => e.type));
        expect(view.version - ackedHere).toBeGreaterThanOrEqual(0);
        expect(view.version - ackedHere).toBeLessThanOrEqual(inFlight.has(id) ? 1 : 0);
      }
      // The requests cut off by the crash, retried with the same key and If-Match, are applied exactly once.
      for (const [id, pending] of inFlight) {
        const res = await post(second.url, `/api/cases/${id}/events`, pending.event, { 'Idempotency-Key': pending.key, 'If-Match': `"${pending.seq - 1}"` });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body.version).toBe(pending.seq);
        const after = (await get(second.url, `/api/cases/${id}`)).body;
        expect(after.version).toBe(pending.seq);
        expect(after.history.at(-1)).toMatchObject({ seq: pending.seq, type: pending.event.type });
      }
      // Snapshots restored from the file carry on like live ones: every case runs to the end of its plan.
      await Promise.all(ids.map(async (id) => {
        let view = (await get(second.url, `/api/cases/${id}`)).body;
        for (let i = view.version; i < plan.length; i++) {
          const res = await post(second.url, `/api/cases/${id}/events`, plan[i]!, { 'If-Match': `"${i}"` });
          expect(res.status, `${id} ${String(plan[i]!.type)}: ${JSON.stringify(res.body).slice(0, 300)}`).toBe(200);
          view = res.body;
        }
        expect(view).toMatchObject({ version: plan.length, status: 'closed' });
      }));
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }

    const check = checkDatabase(dbPath);
    expect(check.integrity).toBe('ok');
    expect(check.ids).toHaveLength(CASES); // SAMVERKAN_DEMO=0: no demo cases
    expect(check.failed).toEqual([]);
  });
});

describe('restart: deadlines that passed while the server was down (K-7)', () => {
  it('are overdue in the view and were noted by the startup catch-up', { timeout: 20_000 }, async () => {
    const dbPath = join(dir, 'restart.db');
    // Friday 14:30, half an hour after admission: C-1 is due Saturday 14:00.
    const before = manualClock('2026-03-06T13:30:00Z');
    const first = await serverOn(dbPath, before);
    const created = await post(first.url, '/api/cases', caseBody());
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body.deadlines).toContainEqual(expect.objectContaining({ id: 'C-1', status: 'pending', due: '2026-03-07T13:00:00.000Z' }));
    expect((await get(first.url, '/api/cases?overdue=true')).body.total).toBe(0);
    await first.close();

    // While down, Sunday came: C-1 passed, unnoted.
    const sunday = manualClock('2026-03-08T09:00:00Z');
    const offline = new Store(dbPath);
    expect(offline.dueDeadlines(sunday.now()).map((d) => [d.caseId, d.id])).toEqual([[id, 'C-1']]);
    offline.close();

    // The scheduler runs hourly here, so only the startup catch-up can have noted it.
    const second = await serverOn(dbPath, sunday, 3_600_000);
    try {
      expect(second.engine.store.dueDeadlines(sunday.now())).toEqual([]);
      const row = second.engine.store.db.prepare('SELECT overdue_noted_at FROM deadlines WHERE case_id = ? AND id = ?').get(id, 'C-1') as { overdue_noted_at: string };
      expect(row.overdue_noted_at).toBe(sunday.now());
      const view = (await get(second.url, `/api/cases/${id}`)).body;
      expect(view.deadlines).toContainEqual(expect.objectContaining({ id: 'C-1', status: 'overdue', overdueMinutes: (Date.parse(sunday.now()) - Date.parse('2026-03-07T13:00:00Z')) / 60_000 }));
      const overdue = (await get(second.url, '/api/cases?overdue=true')).body;
      expect(overdue.items.map((i: { id: string }) => i.id)).toEqual([id]);
      expect(second.engine.tick()).toBe(0);
    } finally {
      await second.close();
    }
  });
});

describe('SIGTERM drains', () => {
  it('the server finishes its requests, ends its streams, exits 0, and leaves a consistent database', { timeout: 40_000 }, async () => {
    const dbPath = join(dir, 'sigterm.db');
    const child = await spawnServer(dbPath);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const created = await post(child.url, '/api/cases', caseBody({ admittedAt: new Date(Date.now() - 3_600_000).toISOString() }));
      ids.push(created.body.id);
      for (const event of gulPlan().slice(0, 3)) expect((await post(child.url, `/api/cases/${created.body.id}/events`, event)).status).toBe(200);
    }
    // An open event stream must not hold the shutdown up.
    const stream = await fetch(`${child.url}/api/stream`, { headers: await authHeader(staff('slutenvard')) });
    const streamEnded = (async () => {
      const reader = stream.body!.getReader();
      try {
        for (;;) if ((await reader.read()).done) return 'ended';
      } catch {
        return 'aborted';
      }
    })();

    const acked: { id: string; version: number }[] = [];
    const answers: number[] = [];
    let stop = false;
    const worker = async (id: string, n: number) => {
      for (let i = 0; !stop; i++) {
        let res: Answer;
        try {
          res = await call(child.url, 'POST', `/api/cases/${id}/events`, { type: 'SET_EXPECTED_DISCHARGE', date: futureDate(3 + ((i + n) % 10)) });
        } catch {
          return; // refused: the server has stopped listening
        }
        answers.push(res.status);
        if (res.status === 200) acked.push({ id, version: res.body.version });
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    const workers = Promise.all(ids.map((id, n) => worker(id, n)));
    await new Promise((r) => setTimeout(r, 300));
    const sentAt = Date.now();
    child.child.kill('SIGTERM');
    const exit = await Promise.race([
      child.exited,
      new Promise<{ code: null; signal: null; timeout: true }>((done) => setTimeout(() => done({ code: null, signal: null, timeout: true }), 12_000)),
    ]);
    const took = Date.now() - sentAt;
    stop = true;
    await workers;
    if ('timeout' in exit) child.child.kill('SIGKILL');
    expect(exit, child.stderr()).toEqual({ code: 0, signal: null });
    // Well inside the 10 s after which close() cuts every connection.
    expect(took).toBeLessThan(7_000);
    expect(await streamEnded).toBe('ended');
    expect(acked.length).toBeGreaterThan(0);
    expect(answers.every((s) => s === 200), String(answers)).toBe(true);

    const check = checkDatabase(dbPath);
    expect(check.integrity).toBe('ok');
    expect(check.failed).toEqual([]);
    const store = new Store(dbPath);
    try {
      for (const { id, version } of acked) {
        const stored = store.loadCase(id)!;
        expect(stored.version).toBeGreaterThanOrEqual(version);
        expect(stored.state.log[version - 1]).toMatchObject({ seq: version, type: 'SET_EXPECTED_DISCHARGE' });
      }
    } finally {
      store.close();
    }
  });
});
