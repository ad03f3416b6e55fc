/**
 * HTTP only: parse with zod, call the engine, shape the answer. Every error is
 * `{ error: { code, message, details? } }` and writes nothing.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import {
  eventAuthority, gateView, lensFor, mayAct, principalKeys, regionOf, type GatedCaseView, type Lens, type Principal,
} from '../engine/access.ts';
import { addDays, addMonths, localDateOf, startOfLocalDay } from '../engine/calendar.ts';
import { compliance, COMPLIANCE_RULES, inPopulation, liabilityByKommun } from '../engine/reports.ts';
import { DEMO_UNITS, DEMO_USERS } from '../engine/demoDirectory.ts';
import type { CaseEngine, EngineChange, EngineResult } from '../engine/engine.ts';
import { ruleLocations } from '../engine/ruleIndex.ts';
import type { VersionedRegistry } from '../engine/versions.ts';
import { compareDefinitions, PARAMETER_LABELS } from '../machines/compare.ts';
import type { PathwayDefinition } from '../machines/definition.ts';
import { toBpmn, toScxml } from '../machines/export.ts';
import { validateDefinition } from '../machines/validate.ts';
import type { AccessEntry } from '../engine/store.ts';
import { DEADLINE_SPECS } from '../machines/deadlines.ts';
import { EVENT_LABELS, EVENT_TYPES, eventJsonSchema, parseEvent, PATHWAY_IDS } from '../machines/events.ts';
import { PARTY_IDS, PARTY_LABELS, PHASE_IDS, PHASE_LABELS } from '../machines/parties.ts';
import { isPathwayId } from '../machines/pathways.ts';
import { GUARDS, type GuardSpec } from '../machines/guards.ts';
import { ACTIONS, type ActionSpec } from '../machines/actions.ts';
import { RULES, getRule } from '../machines/rules.ts';
import { AuthError, bearerToken, RateLimiter, type Authenticator } from './auth.ts';
import { openApiDocument } from './openapi.ts';
import { accessLogQuerySchema, demoLoginSchema, migrationSchema, listQuerySchema, positionsQuerySchema, reportQuerySchema, worklistQuerySchema } from './schemas.ts';

/** Ward names known to this installation (the demo directory); other wards show by id. */
const DEMO_UNIT_NAMES = new Map<string, string>(Object.values(DEMO_UNITS).map((u) => [u.id, u.name]));

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

function answer(res: Response, result: EngineResult, okStatus: number, gate: (view: EngineResult & { ok: true }) => GatedCaseView): void {
  if (result.ok) {
    res.status(okStatus).set('ETag', `"${result.view.version}"`);
    if (result.replayed) res.set('Idempotent-Replayed', 'true');
    res.json(gate(result));
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

/** A CSV cell (semicolon-separated, as Swedish spreadsheets expect); formulas are defused. */
function csvCell(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[";\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function pathwaySummary(d: PathwayDefinition) {
  return { id: d.id, version: d.version, region: d.policy.region, label: d.label, labelEn: d.labelEn, colour: d.colour, description: d.description };
}

export interface AppOptions {
  engine: CaseEngine;
  /** The pathway versions the engine runs on (issue 6). */
  versions: VersionedRegistry;
  logger: Logger;
  auth: Authenticator;
  /** Requests per user and minute (0: no limit). */
  rateLimit?: number;
  /** Content-Security-Policy script sources beyond 'self' (hashes of the designer's inline scripts). */
  scriptHashes?: string[];
  /** Requests in flight, for draining on shutdown. */
  inFlight?: { count: number };
}

/** What a request did with case data, for the access log (written as the answer goes out). */
interface Audit {
  /** Why: the route, as `GET /api/cases/:id`. */
  route: string;
  action: string;
  caseIds: string[];
  detail: string | null;
}

interface Locals {
  principal?: Principal;
  audit?: Audit;
  /** Writes the access log entry now (once). */
  flushAudit?: () => void;
}

const locals = (res: Response) => res.locals as Locals;

function principalOf(res: Response): Principal {
  const principal = locals(res).principal;
  if (!principal) throw new HttpError(401, 'UNAUTHENTICATED', 'Inloggning krävs');
  return principal;
}

function audit(req: Request, res: Response, action: string, caseIds: string[] = [], detail: string | null = null): void {
  const route = `${req.method} ${req.baseUrl}${typeof req.route?.path === 'string' ? req.route.path : req.path}`;
  locals(res).audit = { route, action, caseIds, detail };
}

function requireRole(principal: Principal, role: Principal['roles'][number], message: string): void {
  if (!principal.roles.includes(role)) throw new HttpError(403, 'FORBIDDEN_ROLE', message, { roles: [role] });
}

const describeLens = (lens: Lens | null, gated: boolean) => (lens === null ? 'ingen åtkomst' : lens.kind === 'party' ? `${lens.party}${gated ? ' (I-3: begränsad)' : ''}` : lens.kind);

export function createApp({ engine, versions, logger, auth, rateLimit = 600, scriptHashes = [], inFlight }: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  const limiter = new RateLimiter(rateLimit);
  const loginLimiter = new RateLimiter(60);
  const csp = [
    "default-src 'self'", `script-src 'self'${scriptHashes.map((h) => ` '${h}'`).join('')}`, "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:", "font-src 'self' data:", "connect-src 'self'", "worker-src 'self' blob:", "object-src 'none'",
    "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'",
  ].join('; ');

  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    if (inFlight) inFlight.count += 1;
    res.set({
      'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store', 'Content-Security-Policy': csp,
      'X-Frame-Options': 'DENY', 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Resource-Policy': 'same-origin',
      'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()', 'Strict-Transport-Security': 'max-age=31536000',
    });
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

  api.get('/demo/users', (_req, res) => {
    if (!auth.demo) throw new HttpError(404, 'NOT_FOUND', 'Demoläget är inte påslaget');
    // The contract lists each user's unit, party and role; `roles` has all of them.
    res.json(DEMO_USERS.map((u) => ({ ...u, party: u.unit.party, role: u.roles[0] })));
  });

  api.post('/demo/login', async (req, res) => {
    if (!auth.demo) throw new HttpError(404, 'NOT_FOUND', 'Demoläget är inte påslaget');
    const limited = loginLimiter.take(`login:${req.ip}`);
    if (!limited.ok) throw new HttpError(429, 'RATE_LIMITED', 'För många inloggningar: vänta en stund', { retryAfter: limited.retryAfter });
    const { userId } = parse(demoLoginSchema, req.body, 'body');
    const user = DEMO_USERS.find((u) => u.id === userId);
    if (!user) throw new HttpError(400, 'VALIDATION', `body.userId: okänd demoanvändare`, { field: 'body.userId' });
    res.json({ token: await auth.issue(user), user });
  });

  // Everything below needs a valid bearer token.
  api.use(async (req, res, next) => {
    const token = bearerToken(req.get('authorization'));
    if (!token) {
      res.set('WWW-Authenticate', 'Bearer');
      throw new HttpError(401, 'UNAUTHENTICATED', 'Inloggning krävs: Authorization: Bearer <token>');
    }
    try {
      locals(res).principal = await auth.verify(token);
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      res.set('WWW-Authenticate', `Bearer error="invalid_token"`);
      throw new HttpError(401, error.code === 'TOKEN_EXPIRED' ? 'TOKEN_EXPIRED' : 'UNAUTHENTICATED', error.message);
    }
    const principal = locals(res).principal!;
    const limited = limiter.take(principal.id);
    if (!limited.ok) {
      res.set('Retry-After', String(limited.retryAfter));
      throw new HttpError(429, 'RATE_LIMITED', `För många anrop: försök igen om ${limited.retryAfter} s`, { retryAfter: limited.retryAfter });
    }
    // The access log entry is written just before the answer leaves, with its status (a stream's
    // as it opens).
    let logged = false;
    const flush = () => {
      const entry = locals(res).audit;
      if (!entry || logged) return;
      logged = true;
      const row: AccessEntry = {
        at: engine.clock.now(), userId: principal.id, userName: principal.name, unitId: principal.unit.id, unitName: principal.unit.name,
        party: principal.unit.party, roles: principal.roles, action: entry.action, route: entry.route, status: res.statusCode, detail: entry.detail, caseIds: entry.caseIds,
      };
      try {
        engine.store.logAccess(row);
      } catch (error) {
        logger.error({ err: error }, 'access log write failed');
      }
    };
    locals(res).flushAudit = flush;
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    res.end = ((...args: unknown[]) => {
      flush();
      return end(...args);
    }) as typeof res.end;
    next();
  });

  api.get('/me', (_req, res) => {
    res.json({ user: principalOf(res), demo: auth.demo });
  });

  api.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });

  api.get('/pathways', (_req, res) => {
    res.json(PATHWAY_IDS.map((id) => pathwaySummary(versions.definition(id))));
  });

  const pathwayParam = (req: Request) => {
    const id = String(req.params.id);
    if (!isPathwayId(id)) throw new HttpError(404, 'NOT_FOUND', `Processen ${id} finns inte`);
    return id;
  };
  const versionParam = (id: (typeof PATHWAY_IDS)[number], raw: unknown): number => {
    if (raw === undefined) return versions.latestVersion(id);
    const version = Number(raw);
    if (!Number.isSafeInteger(version) || !versions.has(id, version)) throw new HttpError(404, 'NOT_FOUND', `Version ${String(raw)} av ${id} finns inte`, { field: 'version' });
    return version;
  };
  /** Editing a pathway is its region's process owners' business. */
  const ownerOf = (res: Response, id: (typeof PATHWAY_IDS)[number]): Principal => {
    const principal = principalOf(res);
    requireRole(principal, 'process_owner', 'Processer ändras av regionens processägare');
    if (principal.unit.region !== regionOf(id)) throw new HttpError(403, 'FORBIDDEN_REGION', `Processen ${id} hör till en annan region`);
    return principal;
  };
  const invalid = (validation: ReturnType<typeof validateDefinition>) => {
    const first = validation.issues.find((i) => i.severity === 'error')!;
    return new HttpError(400, 'INVALID_DEFINITION', first.message, { field: first.path, ...(first.state ? { state: first.state } : {}), issues: validation.issues });
  };

  api.get('/pathways/:id', (req, res) => {
    const id = pathwayParam(req);
    const definition = versions.definition(id, versionParam(id, req.query.version));
    res.json({
      ...definition,
      latestVersion: versions.latestVersion(id),
      parties: PARTY_IDS.map((p) => ({ id: p, ...PARTY_LABELS[p] })),
      phases: PHASE_IDS.map((p) => ({ id: p, ...PHASE_LABELS[p] })),
      ruleCatalogue: definition.rules.map(getRule),
      deadlines: DEADLINE_SPECS,
    });
  });

  api.get('/pathways/:id/versions', (req, res) => {
    const id = pathwayParam(req);
    const counts = new Map(engine.store.casesPerVersion(id).map((c) => [c.version, c]));
    res.json(versions.versions(id).map((v) => ({ ...v, activeCases: counts.get(v.version)?.active ?? 0, cases: counts.get(v.version)?.total ?? 0 })).reverse());
  });

  api.get('/pathway-catalogue', (_req, res) => {
    res.json({
      guards: Object.entries(GUARDS as Record<string, GuardSpec>).map(([name, g]) => ({ name, rule: g.rule, party: g.party, kind: g.kind, reason: g.reason, reasonEn: g.reasonEn, milestone: g.milestone ?? false })),
      actions: Object.entries(ACTIONS as Record<string, ActionSpec>).map(([name, a]) => ({ name, label: a.label, rules: a.rules })),
      parameters: Object.entries(PARAMETER_LABELS).map(([name, label]) => ({ name, ...label })),
      events: EVENT_TYPES.map((type) => ({ type, ...EVENT_LABELS[type] })),
    });
  });

  api.post('/pathways/:id/validate', (req, res) => {
    const id = pathwayParam(req);
    const body = req.body as object | undefined;
    res.json(validateDefinition(body && typeof body === 'object' ? { ...body, id } : body));
  });

  api.get('/pathways/:id/draft', (req, res) => {
    const id = pathwayParam(req);
    ownerOf(res, id);
    const draft = versions.draft(id);
    res.json({ ...draft, validation: validateDefinition(draft.definition) });
  });

  const saveDraft = (req: Request, res: Response) => {
    const id = pathwayParam(req);
    const principal = ownerOf(res, id);
    const body = req.body as unknown;
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'VALIDATION', 'body: en processdefinition (JSON-objekt)', { field: 'body' });
    const validation = versions.saveDraft(id, body, principal.name, engine.clock.now());
    res.json({ ...versions.draft(id), validation });
  };
  api.put('/pathways/:id/draft', saveDraft);
  api.post('/pathways/:id/import', saveDraft);

  api.delete('/pathways/:id/draft', (req, res) => {
    const id = pathwayParam(req);
    ownerOf(res, id);
    versions.discardDraft(id);
    res.status(204).end();
  });

  api.post('/pathways/:id/versions', (req, res) => {
    const id = pathwayParam(req);
    const principal = ownerOf(res, id);
    const body = (req.body ?? {}) as { comment?: unknown; definition?: unknown };
    const comment = typeof body.comment === 'string' ? body.comment.trim() : '';
    if (comment.length < 3 || comment.length > 2000) throw new HttpError(400, 'VALIDATION', 'comment: en kommentar om ändringen (3–2000 tecken)', { field: 'comment' });
    const draft = versions.draft(id);
    if (body.definition === undefined && !draft.saved) throw new HttpError(409, 'NO_DRAFT', 'Det finns inget utkast att publicera');
    const result = versions.publish(id, body.definition ?? draft.definition, { author: principal.name, comment, at: engine.clock.now() });
    if (!result.ok) throw invalid(result.validation);
    res.status(201).json({ id, version: result.version, author: principal.name, comment });
  });

  /** A version number, or `draft` (the saved draft) — for compare, export and impact. */
  const definitionAt = (id: (typeof PATHWAY_IDS)[number], which: unknown, needs: 'valid' | 'shape' = 'valid'): PathwayDefinition => {
    if (which === 'draft') {
      const draft = versions.draft(id);
      const validation = validateDefinition(draft.definition);
      // Comparing and exporting need only the shape; replaying cases needs a valid definition.
      const blocking = needs === 'valid' ? !validation.ok : validation.issues.some((i) => i.code === 'schema');
      if (blocking) throw invalid(validation);
      return draft.definition as PathwayDefinition;
    }
    return versions.definition(id, versionParam(id, which));
  };

  api.get('/pathways/:id/compare', (req, res) => {
    const id = pathwayParam(req);
    const latest = versions.latestVersion(id);
    res.json(compareDefinitions(definitionAt(id, req.query.from ?? String(latest), 'shape'), definitionAt(id, req.query.to ?? 'draft', 'shape')));
  });

  api.get('/pathways/:id/export', (req, res) => {
    const id = pathwayParam(req);
    const definition = definitionAt(id, req.query.version ?? String(versions.latestVersion(id)), 'shape');
    const format = req.query.format ?? 'json';
    const name = `${id}-v${definition.version}`;
    if (format === 'json') res.set('Content-Disposition', `attachment; filename="${name}.json"`).json(definition);
    else if (format === 'bpmn') res.set({ 'Content-Type': 'application/xml; charset=utf-8', 'Content-Disposition': `attachment; filename="${name}.bpmn"` }).send(toBpmn(definition));
    else if (format === 'scxml') res.set({ 'Content-Type': 'application/xml; charset=utf-8', 'Content-Disposition': `attachment; filename="${name}.scxml"` }).send(toScxml(definition));
    else throw new HttpError(400, 'VALIDATION', 'format: json, bpmn eller scxml', { field: 'format' });
  });

  api.post('/pathways/:id/impact', (req, res) => {
    const id = pathwayParam(req);
    ownerOf(res, id);
    const body = req.body as { definition?: unknown } | undefined;
    let draft: PathwayDefinition;
    if (body?.definition !== undefined) {
      const candidate = typeof body.definition === 'object' && body.definition ? { ...body.definition, id, version: versions.latestVersion(id) + 1 } : body.definition;
      const validation = validateDefinition(candidate);
      if (!validation.ok) throw invalid(validation);
      draft = candidate as PathwayDefinition;
    } else {
      draft = definitionAt(id, 'draft');
    }
    audit(req, res, 'impact', [], `${id} utkast`);
    res.json(engine.impact(id, draft));
  });

  api.post('/pathways/:id/migrations', (req, res) => {
    const id = pathwayParam(req);
    const principal = ownerOf(res, id);
    const q = parse(migrationSchema, req.body, 'body');
    if (!versions.has(id, q.to)) throw new HttpError(404, 'NOT_FOUND', `Version ${q.to} av ${id} finns inte`, { field: 'body.to' });
    const results = engine.migrate(id, { ...q, by: principal.name });
    audit(req, res, q.dryRun ? 'migrate-dry-run' : 'migrate', results.map((r) => r.caseId), `${id} → v${q.to}`);
    res.json({ dryRun: q.dryRun, to: q.to, moved: results.filter((r) => r.ok).length, refused: results.filter((r) => !r.ok).length, results });
  });

  api.get('/rules', (_req, res) => {
    const locations = ruleLocations();
    res.json(RULES.map((r) => ({ ...r, implementedIn: locations.get(r.id) ?? [] })));
  });

  api.get('/event-types', (_req, res) => {
    res.json(EVENT_TYPES.map((type) => ({ type, ...EVENT_LABELS[type], schema: eventJsonSchema(type) })));
  });

  /** The reader's lens on a case, or 404 (a case one is not part of is not revealed). */
  const lensOn = (principal: Principal, id: string): Lens => {
    const access = engine.accessOf(id);
    const lens = access && lensFor(principal, access);
    if (!lens) throw new HttpError(404, 'NOT_FOUND', 'Ärendet finns inte');
    return lens;
  };

  const gated = (principal: Principal, fallback: Lens) => ({ view }: { view: Parameters<typeof gateView>[0] }) => {
    const access = engine.accessOf(view.id);
    return gateView(view, (access && lensFor(principal, access)) ?? fallback);
  };

  api.post('/cases', (req, res) => {
    const principal = principalOf(res);
    audit(req, res, 'create');
    const { unit } = principal;
    const ward = principal.roles.includes('staff') && unit.party === 'slutenvard';
    const sandbox = principal.roles.includes('developer') && (!ward || req.query.sandbox === 'true');
    if (!ward && !sandbox) {
      throw new HttpError(403, 'FORBIDDEN_ROLE', 'Ärenden skapas av den inskrivande slutenvårdsenheten (C-1); utvecklare skapar sandlådeärenden', { rules: ['C-1'] });
    }
    const pathway = (req.body as { pathway?: unknown } | undefined)?.pathway;
    if (!sandbox && typeof pathway === 'string' && isPathwayId(pathway) && regionOf(pathway) !== unit.region) {
      throw new HttpError(403, 'FORBIDDEN_REGION', `Processen ${pathway} hör till en annan region än enheten ${unit.name}`, { field: 'pathway' });
    }
    const result = engine.create(req.body, { idempotencyKey: idempotencyKey(req), sandbox, ward: sandbox ? null : unit.id, scope: `${principal.id} ` });
    if (result.ok) audit(req, res, 'create', [result.view.id], sandbox ? 'sandlåda' : null);
    answer(res, result, 201, gated(principal, sandbox ? { kind: 'developer' } : { kind: 'party', party: 'slutenvard' }));
  });

  api.get('/cases', (req, res) => {
    const principal = principalOf(res);
    const q = parse(listQuerySchema, req.query, 'query');
    const developerOnly = principal.roles.includes('developer') && !principal.roles.includes('staff') && !principal.roles.includes('process_owner');
    const sandbox = q.sandbox === 'true' || developerOnly;
    if (sandbox) requireRole(principal, 'developer', 'Sandlådeärenden är utvecklarnas');
    const owner = principal.roles.includes('process_owner');
    const pathways = owner ? PATHWAY_IDS.filter((id) => regionOf(id) === principal.unit.region) : [];
    const { items, total } = engine.list({
      ...q, overdue: q.overdue === 'true', sandbox, limit: q.limit, offset: q.offset,
      ...(sandbox ? {} : { visibleTo: { keys: principalKeys(principal), pathways } }),
    });
    const filters = Object.entries(q).filter(([k, v]) => v !== undefined && k !== 'limit' && k !== 'offset' && k !== 'personnummer').map(([k, v]) => `${k}=${String(v)}`);
    audit(req, res, 'list', items.map((i) => i.id), [...filters, ...(q.personnummer ? ['personnummer=…'] : [])].join(' ') || null);
    res.json({ items, total, limit: q.limit, offset: q.offset });
  });

  api.get('/cases/:id', (req, res) => {
    const principal = principalOf(res);
    const id = req.params.id;
    audit(req, res, 'read', [id], 'ingen åtkomst');
    const lens = lensOn(principal, id);
    const view = engine.view(id);
    if (!view) throw new HttpError(404, 'NOT_FOUND', 'Ärendet finns inte');
    const out = gateView(view, lens);
    audit(req, res, 'read', [id], describeLens(lens, out.access.rule !== null));
    res.set('ETag', `"${view.version}"`).json(out);
  });

  api.post('/cases/:id/events', (req, res) => {
    const principal = principalOf(res);
    const id = req.params.id;
    const body = req.body as Record<string, unknown> | undefined;
    const event = body && typeof body === 'object' && !Array.isArray(body) ? Object.fromEntries(Object.entries(body).filter(([k]) => k !== 'expectedVersion')) : body;
    const type = event && typeof event === 'object' && typeof (event as { type?: unknown }).type === 'string' ? String((event as { type: string }).type).slice(0, 60) : null;
    audit(req, res, 'write', [id], type);
    const lens = lensOn(principal, id);
    // A malformed event is a 400 naming the field for anyone who may see the case; a well-formed
    // one from a party the routine does not give it to is a 403 with the rule.
    const parsed = parseEvent(event);
    if (!parsed.ok) throw new HttpError(400, 'VALIDATION', `${parsed.field}: ${parsed.message}`, { field: parsed.field });
    const verdict = mayAct(lens, eventAuthority(engine.definitionOf(id)!, parsed.event as unknown as { type: string }));
    if (!verdict.ok) throw new HttpError(403, verdict.code, verdict.message, { rules: verdict.rules, parties: verdict.parties });
    const { unit } = principal;
    const options = {
      idempotencyKey: idempotencyKey(req), expectedVersion: expectedVersion(req), scope: `${principal.id} `,
      actor: { user: principal.id, unit: unit.id, unitName: unit.name },
    };
    answer(res, engine.send(id, event, options), 200, gated(principal, lens));
  });

  api.get('/positions', (req, res) => {
    const { pathway } = parse(positionsQuerySchema, req.query, 'query');
    res.json(engine.positions(pathway));
  });

  api.get('/worklist', (req, res) => {
    const principal = principalOf(res);
    requireRole(principal, 'staff', 'Arbetslistan visar vad en vårdenhet eller kommunal enhet har att göra');
    const q = parse(worklistQuerySchema, req.query, 'query');
    const now = engine.clock.now();
    const endOfToday = startOfLocalDay(addDays(localDateOf(now), 1));
    const all = engine.worklist(principal, q);
    const items = all.filter((i) => (q.due === 'overdue' ? i.status === 'overdue' : q.due === 'today' ? i.status === 'overdue' || (i.due !== null && i.due < endOfToday) : true));
    audit(req, res, 'worklist', [...new Set(items.map((i) => i.caseId))], q.due ?? null);
    res.json({
      unit: { id: principal.unit.id, name: principal.unit.name, party: principal.unit.party }, generatedAt: now,
      counts: {
        total: all.length, overdue: all.filter((i) => i.status === 'overdue').length,
        dueToday: all.filter((i) => i.status === 'pending' && i.due !== null && i.due < endOfToday).length, blocked: all.filter((i) => i.status === 'blocked').length,
      },
      items,
    });
  });

  api.get('/worklist/escalation', (req, res) => {
    const principal = principalOf(res);
    requireRole(principal, 'process_owner', 'Eskaleringsvyn är processägarnas');
    const now = engine.clock.now();
    const rows = engine.store.escalation(PATHWAY_IDS.filter((id) => regionOf(id) === principal.unit.region), now).map((r) => ({
      ...r, overdueMinutes: Math.round((Date.parse(now) - Date.parse(r.oldestDue)) / 60_000),
      unitLabel: r.party === 'slutenvard' ? (DEMO_UNIT_NAMES.get(r.unit) ?? r.unit) : `${PARTY_LABELS[r.party as keyof typeof PARTY_LABELS]?.sv ?? r.party}, ${r.unit}`,
    }));
    audit(req, res, 'escalation', [...new Set(rows.flatMap((r) => r.caseIds))], null);
    res.json({ generatedAt: now, total: rows.reduce((n, r) => n + r.count, 0), rows });
  });

  /** A report's period and scope: local dates (to inclusive; default the last twelve months), the reader's region. */
  const reportScope = (req: Request, res: Response) => {
    const principal = principalOf(res);
    requireRole(principal, 'process_owner', 'Rapporterna är processägarnas');
    const q = parse(reportQuerySchema, req.query, 'query');
    const today = localDateOf(engine.clock.now());
    const from = q.from ?? addMonths(`${today.slice(0, 7)}-01`, -11);
    const to = q.to ?? today;
    const pathways = PATHWAY_IDS.filter((id) => regionOf(id) === principal.unit.region && (!q.pathway || q.pathway === id));
    return { q, from, to, toExclusive: addDays(to, 1), pathways };
  };

  const sendReport = (res: Response, q: { format: 'json' | 'csv' }, name: string, json: object, header: string[], rows: (string | number | null)[][]) => {
    if (q.format === 'csv') {
      res.set({ 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${name}.csv"` });
      res.send(`\uFEFF${[header, ...rows].map((r) => r.map((c) => csvCell(c ?? '')).join(';')).join('\r\n')}\r\n`);
      return;
    }
    res.json(json);
  };

  const unitLabel = (party: string, unit: string) =>
    party === 'slutenvard' ? (DEMO_UNIT_NAMES.get(unit) ?? (unit || 'okänd avdelning')) : `${PARTY_LABELS[party as keyof typeof PARTY_LABELS]?.sv ?? party}, ${unit}`;

  api.get('/reports/liability', (req, res) => {
    const { q, from, to, toExclusive, pathways } = reportScope(req, res);
    const rows = liabilityByKommun(engine.store.liabilityRows({ from, to: toExclusive, pathways, ...(q.kommun ? { kommun: q.kommun } : {}) }));
    audit(req, res, 'report', [], `betalningsansvar ${from}–${to}`);
    const totals = {
      cases: rows.reduce((n, r) => n + r.cases, 0), chargeableDays: rows.reduce((n, r) => n + r.chargeableDays, 0),
      liableDays: rows.reduce((n, r) => n + r.liableDays, 0), liableKommuner: rows.filter((r) => r.liable).length,
    };
    sendReport(res, q, `betalningsansvar-${from}-${to}`, { from, to, rows, totals },
      ['kommun', 'ärenden', 'medeldagar', 'tröskel', 'betalningsansvar', 'ärenden där ansvar gäller', 'debiterbara dagar', 'ansvarsdagar'],
      rows.map((r) => [r.kommun, r.cases, r.averageDays.toFixed(2), r.thresholdDays, r.liable ? 'ja' : 'nej', r.applicableCases, r.chargeableDays, r.liableDays]));
  });

  api.get('/reports/liability/cases', (req, res) => {
    const { q, from, to, toExclusive, pathways } = reportScope(req, res);
    const rows = engine.store.liabilityRows({ from, to: toExclusive, pathways, ...(q.kommun ? { kommun: q.kommun } : {}) }).filter(inPopulation);
    audit(req, res, 'report', rows.map((r) => r.caseId), `betalningsansvar per ärende ${from}–${to}${q.kommun ? ` ${q.kommun}` : ''}`);
    // Process owners see no identity: the case id, the figures and the rules behind them.
    const items = rows.map((r) => ({
      caseId: r.caseId, pathway: r.pathway, kommun: r.kommun, dayZero: r.dayZero, dischargedOn: r.endedOn, readyDays: r.readyDays,
      applies: r.applies, chargeableDays: r.chargeableDays, thresholdDays: r.threshold, rules: [...new Set(r.reasons.map((x) => x.split(':')[0]!))],
    }));
    sendReport(res, q, `betalningsansvar-arenden-${from}-${to}`, { from, to, items },
      ['ärende', 'process', 'kommun', 'dag noll', 'utskriven', 'dagar', 'ansvar gäller', 'debiterbara dagar', 'regler'],
      items.map((i) => [i.caseId, i.pathway, i.kommun, i.dayZero, i.dischargedOn, i.readyDays, i.applies ? 'ja' : 'nej', i.chargeableDays, i.rules.join(' ')]));
  });

  api.get('/reports/compliance', (req, res) => {
    const { q, from, to, toExclusive, pathways } = reportScope(req, res);
    const rules = COMPLIANCE_RULES.filter((r) => !q.rule || r === q.rule);
    const raw = engine.store.complianceRows({ from: startOfLocalDay(from), to: startOfLocalDay(toExclusive), pathways, rules })
      .filter((r) => (!q.party || r.party === q.party) && (!q.kommun || r.kommun === q.kommun));
    const rows = compliance(raw, engine.clock.now()).map((r) => ({ ...r, unitLabel: unitLabel(r.party, r.unit) }));
    audit(req, res, 'report', [], `följsamhet ${from}–${to}`);
    const byRule = rules.map((rule) => {
      const of = rows.filter((r) => r.rule === rule);
      const total = of.reduce((n, r) => n + r.total, 0);
      const inTime = of.reduce((n, r) => n + r.inTime, 0);
      return { rule, total, inTime, share: total ? inTime / total : null };
    });
    sendReport(res, q, `foljsamhet-${from}-${to}`, { from, to, rules, rows, byRule },
      ['månad', 'regel', 'part', 'enhet', 'antal', 'i tid', 'sena', 'andel i tid', 'median försening (h)'],
      rows.map((r) => [r.month, r.rule, r.party, r.unitLabel, r.total, r.inTime, r.late, (r.share * 100).toFixed(1), r.medianLateMinutes === null ? null : (r.medianLateMinutes / 60).toFixed(1)]));
  });

  api.get('/access-log', (req, res) => {
    const principal = principalOf(res);
    requireRole(principal, 'process_owner', 'Åtkomstloggen följs upp av processägare');
    const q = parse(accessLogQuerySchema, req.query, 'query');
    audit(req, res, 'log-search', q.caseId ? [q.caseId] : [], null);
    res.json(engine.store.searchAccess({ ...q, limit: q.limit ?? 100 }));
  });

  api.get('/access-log.csv', (req, res) => {
    const principal = principalOf(res);
    requireRole(principal, 'process_owner', 'Åtkomstloggen följs upp av processägare');
    const q = parse(accessLogQuerySchema, req.query, 'query');
    const { items } = engine.store.searchAccess({ ...q, limit: q.limit ?? 100_000 });
    audit(req, res, 'export', q.caseId ? [q.caseId] : [], `${items.length} rader`);
    const header = ['id', 'tid', 'användare', 'namn', 'enhet', 'enhetsnamn', 'part', 'roller', 'åtgärd', 'väg', 'status', 'detalj', 'ärenden'];
    const rows = items.map((e) => [e.id, e.at, e.userId, e.userName, e.unitId, e.unitName, e.party ?? '', e.roles.join(' '), e.action, e.route, e.status, e.detail ?? '', e.caseIds.join(' ')]);
    res.set({ 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="atkomstlogg.csv"' });
    res.send(`\uFEFF${[header, ...rows].map((r) => r.map(csvCell).join(';')).join('\r\n')}\r\n`);
  });

  api.get('/stream', (req, res) => {
    const principal = principalOf(res);
    audit(req, res, 'stream', [], null);
    res.set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.flushHeaders();
    locals(res).flushAudit?.();
    res.write(`retry: 2000\n\n`);
    const send = (change: EngineChange) => {
      const visible = streamChange(change, principal);
      if (visible) res.write(`event: ${change.kind}\ndata: ${JSON.stringify(visible)}\n\n`);
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

  /** Access of the case a change concerns, computed once per change for all subscribers. */
  const changeAccess = new WeakMap<EngineChange, ReturnType<CaseEngine['accessOf']> & { laneParty: Map<string, string> } | null>();
  const accessFor = (change: EngineChange) => {
    if (!changeAccess.has(change)) {
      const id = change.kind === 'case' ? change.id : change.caseId;
      const access = engine.accessOf(id);
      const definition = access && engine.definitionOf(id);
      changeAccess.set(change, access && definition ? { ...access, laneParty: new Map(Object.entries(definition.lanes).map(([k, r]) => [k, r.meta.party])) } : null);
    }
    return changeAccess.get(change)!;
  };

  /**
   * What one subscriber may see of a change (consent-gated like the case view): the whole change
   * for a reader of the case, only the reader's own and the ward's lanes without disclosure, and
   * for others the movement alone (no case id), which keeps live counts right.
   */
  const streamChange = (change: EngineChange, principal: Principal): object | null => {
    const access = accessFor(change);
    if (!access) return null;
    const lens = lensFor(principal, access);
    if (access.sandbox && !lens) return null;
    const restricted = lens?.kind === 'party' && !access.disclosure && lens.party !== 'slutenvard' ? new Set(['slutenvard', 'individ', lens.party]) : null;
    if (change.kind === 'deadline') {
      if (!lens) return { kind: change.kind, pathway: change.pathway, rule: change.rule, party: change.party, due: change.due, at: change.at };
      if (restricted && !restricted.has(change.party)) return null;
      return change;
    }
    const { sandbox: _sandbox, ...rest } = change;
    if (!lens) {
      const { id: _id, version: _version, ...anonymous } = rest;
      return anonymous;
    }
    if (!restricted) return rest;
    const keep = (states: string[]) => states.filter((s) => restricted.has(access.laneParty.get(s.split('.')[0]!) ?? 'slutenvard'));
    return { ...rest, states: keep(rest.states), previousStates: keep(rest.previousStates) };
  };

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
