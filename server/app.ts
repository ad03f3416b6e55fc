/**
 * HTTP only: parse with zod, call the engine, shape the answer. Every error is
 * `{ error: { code, message, details? } }` and writes nothing.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { CaseEngine, EngineChange, EngineResult } from '../engine/engine.ts';
import { ruleLocations } from '../engine/ruleIndex.ts';
import { DEADLINE_SPECS } from '../machines/deadlines.ts';
import { EVENT_LABELS, EVENT_TYPES, eventJsonSchema, PATHWAY_IDS } from '../machines/events.ts';
import { PARTY_IDS, PARTY_LABELS, PHASE_IDS, PHASE_LABELS } from '../machines/parties.ts';
import { isPathwayId, PATHWAYS } from '../machines/pathways.ts';
import { RULES, getRule } from '../machines/rules.ts';
import { openApiDocument } from './openapi.ts';
import { listQuerySchema, positionsQuerySchema } from './schemas.ts';

export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: unknown) {
    super(message);
  }
}



function parse<T extends z.ZodType>(schema: T, value: unknown, where: string): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const field = [where, ...issue.path.map(String)].join('.');
    throw new HttpError(400, 'VALIDATION', `${field}: ${issue.message}`, { field });
  }
  return result.data;
}

/** If-Match: `"3"`, `W/"3"` or `3`; or `expectedVersion` (an integer) in the body. */
function expectedVersion(req: Request): number | undefined {
  const header = req.get('if-match');
  if (header !== undefined) {
    const raw = header.replace(/^W\//, '').replace(/"/g, '').trim();
    if (!/^\d{1,15}$/.test(raw)) throw new HttpError(400, 'VALIDATION', 'If-Match: ärendets version, ett heltal ≥ 0', { field: 'If-Match' });
    return Number(raw);
  }
  const body = req.body as Record<string, unknown> | undefined;
  if (!body || typeof body !== 'object' || !Object.hasOwn(body, 'expectedVersion')) return undefined;
  const value = body.expectedVersion;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new HttpError(400, 'VALIDATION', 'expectedVersion: ett heltal ≥ 0', { field: 'expectedVersion' });
  }
  return value;
}

function idempotencyKey(req: Request): string | undefined {
  const key = req.get('idempotency-key');
  if (key === undefined) return undefined;
  if (!/^[\w.:-]{1,200}$/.test(key)) throw new HttpError(400, 'VALIDATION', 'Idempotency-Key: 1–200 tecken (bokstäver, siffror, . _ : -)', { field: 'Idempotency-Key' });
  return key;
}

function answer(res: Response, result: EngineResult, okStatus: number): void {
  if (result.ok) {
    res.status(okStatus).set('ETag', `"${result.view.version}"`);
    if (result.replayed) res.set('Idempotent-Replayed', 'true');
    res.json(result.view);
    return;
  }
  switch (result.kind) {
    case 'invalid':
      throw new HttpError(400, 'VALIDATION', `${result.field}: ${result.message}`, { field: result.field });
    case 'not_found':
      throw new HttpError(404, 'NOT_FOUND', 'Ärendet finns inte');
    case 'conflict':
      throw new HttpError(409, 'VERSION_CONFLICT', 'Ärendet har ändrats sedan du läste det', { currentVersion: result.currentVersion });
    case 'idempotency_mismatch':
      throw new HttpError(409, 'IDEMPOTENCY_KEY_REUSED', 'Idempotency-Key har redan använts för ett annat anrop');
    case 'rejected':
      throw new HttpError(409, result.rejected.code, result.rejected.message, { rules: result.rejected.rules, reasons: result.rejected.reasons });
  }
}

function pathwaySummary(id: (typeof PATHWAY_IDS)[number]) {
  const d = PATHWAYS[id];
  return { id: d.id, version: d.version, region: d.policy.region, label: d.label, labelEn: d.labelEn, colour: d.colour, description: d.description };
}

export interface AppOptions {
  engine: CaseEngine;
  logger: Logger;
  /** Requests in flight, for draining on shutdown. */
  inFlight?: { count: number };
}

export function createApp({ engine, logger, inFlight }: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    if (inFlight) inFlight.count += 1;
    res.set({ 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' });
    res.on('close', () => {
      if (inFlight) inFlight.count -= 1;
      // Access log: method, route and status only — no bodies, no identities, no tokens.
      logger.info({ method: req.method, path: req.originalUrl.split('?')[0], status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 }, 'request');
    });
    next();
  });
  app.use(express.json({ limit: '64kb', strict: false }));

  const api = express.Router();

  api.get('/health', (_req, res) => {
    res.json({ status: 'ok', schemaVersion: engine.store.schemaVersion(), cases: engine.store.caseCount(), time: engine.clock.now() });
  });

  api.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });

  api.get('/pathways', (_req, res) => {
    res.json(PATHWAY_IDS.map(pathwaySummary));
  });

  api.get('/pathways/:id', (req, res) => {
    const id = req.params.id;
    if (!isPathwayId(id)) throw new HttpError(404, 'NOT_FOUND', `Processen ${id} finns inte`);
    const definition = PATHWAYS[id];
    res.json({
      ...definition,
      parties: PARTY_IDS.map((p) => ({ id: p, ...PARTY_LABELS[p] })),
      phases: PHASE_IDS.map((p) => ({ id: p, ...PHASE_LABELS[p] })),
      ruleCatalogue: definition.rules.map(getRule),
      deadlines: DEADLINE_SPECS,
    });
  });

  api.get('/rules', (_req, res) => {
    const locations = ruleLocations();
    res.json(RULES.map((r) => ({ ...r, implementedIn: locations.get(r.id) ?? [] })));
  });

  api.get('/event-types', (_req, res) => {
    res.json(EVENT_TYPES.map((type) => ({ type, ...EVENT_LABELS[type], schema: eventJsonSchema(type) })));
  });

  api.post('/cases', (req, res) => {
    answer(res, engine.create(req.body, { idempotencyKey: idempotencyKey(req) }), 201);
  });

  api.get('/cases', (req, res) => {
    const q = parse(listQuerySchema, req.query, 'query');
    const { items, total } = engine.list({ ...q, overdue: q.overdue === 'true', limit: q.limit, offset: q.offset });
    res.json({ items, total, limit: q.limit, offset: q.offset });
  });

  api.get('/cases/:id', (req, res) => {
    const view = engine.view(req.params.id);
    if (!view) throw new HttpError(404, 'NOT_FOUND', 'Ärendet finns inte');
    res.set('ETag', `"${view.version}"`).json(view);
  });

  api.post('/cases/:id/events', (req, res) => {
    const body = req.body as Record<string, unknown> | undefined;
    const event = body && typeof body === 'object' && !Array.isArray(body) ? Object.fromEntries(Object.entries(body).filter(([k]) => k !== 'expectedVersion')) : body;
    const options = { idempotencyKey: idempotencyKey(req), expectedVersion: expectedVersion(req) };
    answer(res, engine.send(req.params.id, event, options), 200);
  });

  api.get('/positions', (req, res) => {
    const { pathway } = parse(positionsQuerySchema, req.query, 'query');
    res.json(engine.positions(pathway));
  });

  api.get('/stream', (req, res) => {
    res.set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.flushHeaders();
    res.write(`retry: 2000\n\n`);
    const send = (change: EngineChange) => {
      if (change.kind === 'case' && change.sandbox) return;
      res.write(`event: ${change.kind}\ndata: ${JSON.stringify(change)}\n\n`);
    };
    const heartbeat = setInterval(() => res.write(': ping\n\n'), 15_000);
    const end = () => res.end();
    engine.changes.on('change', send);
    engine.changes.once('shutdown', end);
    req.on('close', () => {
      clearInterval(heartbeat);
      engine.changes.off('change', send);
      engine.changes.off('shutdown', end);
    });
  });

  api.use((req) => {
    throw new HttpError(404, 'NOT_FOUND', `Okänd resurs: ${req.method} ${req.path}`);
  });

  app.use('/api', api);

  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof HttpError) {
      res.status(error.status).json({ error: { code: error.code, message: error.message, ...(error.details !== undefined ? { details: error.details } : {}) } });
      return;
    }
    const e = error as { type?: string; status?: number };
    if (e.type === 'entity.too.large') {
      res.status(413).json({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'Anropets innehåll får vara högst 64 KiB' } });
      return;
    }
    if (e.type === 'entity.parse.failed') {
      res.status(400).json({ error: { code: 'INVALID_JSON', message: 'Innehållet är inte giltig JSON', details: { field: 'body' } } });
      return;
    }
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      res.status(e.status).json({ error: { code: 'BAD_REQUEST', message: 'Felaktigt anrop' } });
      return;
    }
    logger.error({ err: error }, 'unhandled error');
    res.status(500).json({ error: { code: 'INTERNAL', message: 'Ett internt fel inträffade' } });
  });

  return app;
}
