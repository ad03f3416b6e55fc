/**
 * Helpers for the HTTP, durability and fuzz tests: a server per test file on a temp database,
 * small fetch wrappers, the error-shape check, a digest of every table, and a child-process
 * server started through the real entry point (`bin/samverkan.mjs serve`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import pino from 'pino';
import { expect } from 'vitest';
import { shippedPathways } from '../../engine/cases.ts';
import { CaseEngine, ManualClock, type Clock } from '../../engine/engine.ts';
import { Store } from '../../engine/store.ts';
import { startServer, type RunningServer } from '../../server/main.ts';
import { actingParty, authHeader, staff, testAuthConfig, testAuthEnv } from './authKit.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const PATIENT = { personnummer: '19400107-9120', name: 'Test Testsson', address: 'Testgatan 1' };
export const ADMITTED_AT = '2026-03-06T14:00:00+01:00';

export function caseBody(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { pathway: 'sth-gul', patient: { ...PATIENT }, kommun: 'Solna', admittedAt: ADMITTED_AT, ...extra };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `samverkan-${prefix}-`));
}

/** A ManualClock given a UTC instant (the engine compares instants as normalised ISO strings). */
export function manualClock(instant: string): ManualClock {
  return new ManualClock(new Date(instant).toISOString());
}

export const silent = pino({ level: 'silent' });

export async function serverOn(dbPath: string, clock?: Clock, schedulerMs = 3_600_000): Promise<RunningServer> {
  return startServer({ port: 0, dbPath, ...(clock ? { clock } : {}), demo: false, schedulerMs, logger: silent, auth: await testAuthConfig(), rateLimit: 0 });
}

/**
 * The token a test request carries unless it sets `authorization` itself (`''` for none): the
 * ward for reads and new cases, and for an event the party whose move it is.
 */
async function defaultAuth(method: string, path: string, body: unknown): Promise<Record<string, string>> {
  if (!path.startsWith('/api/') || path === '/api/health' || path.startsWith('/api/demo/')) return {};
  const parsed = typeof body === 'string' ? (() => { try { return JSON.parse(body) as unknown; } catch { return null; } })() : body;
  if (method === 'POST' && /^\/api\/cases\/[^/]+\/events/.test(path)) return authHeader(staff(actingParty(parsed)));
  const pathway = (parsed as { pathway?: unknown } | null)?.pathway;
  return authHeader(staff('slutenvard', typeof pathway === 'string' && pathway.startsWith('vrm') ? 'vrm' : 'sth'));
}

export interface Answer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export async function call<T = any>(url: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> {
  const auth = Object.hasOwn(headers, 'authorization') ? {} : await defaultAuth(method, path, body);
  const init: RequestInit = { method, headers: { ...auth, ...headers } };
  if ((init.headers as Record<string, string>).authorization === '') delete (init.headers as Record<string, string>).authorization;
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
  }
  const res = await fetch(url + path, init);
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: left as text
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

export const get = <T = any>(url: string, path: string, headers?: Record<string, string>) => call<T>(url, 'GET', path, undefined, headers);
export const post = <T = any>(url: string, path: string, body: unknown, headers?: Record<string, string>) => call<T>(url, 'POST', path, body, headers);

/** `{ error: { code, message, details? } }` and nothing else. */
export function expectErrorShape(body: unknown, code?: string): void {
  expect(body).toBeTypeOf('object');
  expect(body).not.toBeNull();
  expect(Object.keys(body as object)).toEqual(['error']);
  const error = (body as { error: Record<string, unknown> }).error;
  expect(error).toBeTypeOf('object');
  for (const key of Object.keys(error)) expect(['code', 'message', 'details']).toContain(key);
  expect(error.code).toBeTypeOf('string');
  expect(error.message).toBeTypeOf('string');
  if (code !== undefined) expect(error.code).toBe(code);
}

/** True when the shape holds (for property tests, which must not throw mid-run). */
export function hasErrorShape(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const keys = Object.keys(body);
  if (keys.length !== 1 || keys[0] !== 'error') return false;
  const error = (body as { error: unknown }).error;
  if (typeof error !== 'object' || error === null) return false;
  if (!Object.keys(error).every((k) => k === 'code' || k === 'message' || k === 'details')) return false;
  const e = error as Record<string, unknown>;
  return typeof e.code === 'string' && typeof e.message === 'string';
}

const TABLES = ['cases', 'events', 'deadlines', 'case_states', 'case_todo', 'case_access', 'idempotency', 'schema_migrations'];

/** SHA-256 over a full dump of every table, in primary-key order. */
export function digest(db: Database.Database): string {
  const hash = createHash('sha256');
  for (const table of TABLES) {
    const rows = db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).raw().all();
    hash.update(`${table}\n${JSON.stringify(rows)}\n`);
  }
  return hash.digest('hex');
}

/** A valid sth-gul run (RECORD_CONSENT … CLOSE) with instants relative to `now` (the system clock). */
export function gulPlan(now = Date.now()): Record<string, unknown>[] {
  const later = (days: number) => new Date(now + days * 86_400_000).toISOString();
  return [
    { type: 'RECORD_CONSENT', given: true },
    { type: 'ASSESS_NEEDS', kommun: true, oppenvard: true },
    { type: 'SEND_ADMISSION_NOTICE' },
    { type: 'ACKNOWLEDGE', party: 'socialtjanst', of: 'ADMISSION_NOTICE' },
    { type: 'ACKNOWLEDGE', party: 'kommunal_hsl', of: 'ADMISSION_NOTICE' },
    { type: 'APPOINT_CARE_CONTACT', name: 'Test Sjuksköterska', phone: '08-1', profession: 'sjuksköterska', licensedPhysician: false },
    { type: 'SET_EXPECTED_DISCHARGE', date: later(5).slice(0, 10) },
    { type: 'SEND_STATUS', party: 'socialtjanst', phase: 'admission' },
    { type: 'CALL_SIP', meetingAt: later(7) },
    { type: 'ACKNOWLEDGE', party: 'socialtjanst', of: 'SIP_CALL' },
    { type: 'CONFIRM', item: 'written_information' },
    { type: 'CONFIRM', item: 'information_transferred' },
    { type: 'CONFIRM', item: 'aids_available' },
    { type: 'DECLARE_READY' },
    { type: 'ACKNOWLEDGE', party: 'socialtjanst', of: 'READY' },
    { type: 'DISCHARGE' },
    { type: 'FOLLOW_UP_CONTACT' },
    { type: 'ESTABLISH_SIP', followUpAt: later(30) },
    { type: 'CLOSE', reason: 'Klar' },
  ];
}

export interface ChildServer {
  child: ChildProcess;
  url: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

/**
 * `node bin/samverkan.mjs serve` on an ephemeral port with demo seeding off (SAMVERKAN_DEMO=0);
 * resolves once GET /api/health answers.
 */
export async function spawnServer(dbPath: string, timeoutMs = 15_000): Promise<ChildServer> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'samverkan.mjs'), 'serve'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', SAMVERKAN_DB: dbPath, SAMVERKAN_DEMO: '0', LOG_LEVEL: 'silent', SAMVERKAN_RATE_LIMIT: '0', ...(await testAuthEnv()) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.once('exit', (code, signal) => done({ code, signal })));
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start in ${timeoutMs} ms: ${err}`)), timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        done(match[1]!);
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      fail(new Error(`server exited before listening (${code ?? signal}): ${err}`));
    });
  });
  const started = Date.now();
  for (;;) {
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.status === 200) break;
    } catch {
      // not yet
    }
    if (Date.now() - started > timeoutMs) throw new Error('health never answered');
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, url, exited, stderr: () => err };
}

/** Opens the database after every server is gone: integrity, and every case replays to its snapshot. */
export function checkDatabase(dbPath: string): { integrity: string; ids: string[]; failed: string[] } {
  const store = new Store(dbPath);
  try {
    const integrity = (store.db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join(';');
    const engine = new CaseEngine(store, shippedPathways, { now: () => new Date().toISOString() });
    const ids = store.allCaseIds();
    const failed = ids.filter((id) => {
      try {
        return !engine.verify(id);
      } catch {
        return true;
      }
    });
    return { integrity, ids, failed };
  } finally {
    store.close();
  }
}
