/** Query schemas of the HTTP routes: they validate requests and generate the OpenAPI document. */
import { z } from 'zod';
import { PATHWAY_IDS } from '../machines/events.ts';
import { PARTY_IDS } from '../machines/parties.ts';

export const listQuerySchema = z.object({
  pathway: z.enum(PATHWAY_IDS).optional(),
  state: z.string().max(120).optional(),
  party: z.enum(PARTY_IDS).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  status: z.enum(['active', 'closed']).optional(),
  personnummer: z.string().max(20).optional(),
  /** Developers' sandbox cases instead of real ones. */
  sandbox: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
});

export const positionsQuerySchema = z.object({ pathway: z.enum(PATHWAY_IDS) });

export const demoLoginSchema = z.object({ userId: z.string().min(1).max(100) });

const isoQuery = z.iso.datetime({ offset: true }).or(z.iso.date());

export const accessLogQuerySchema = z.object({
  caseId: z.string().max(100).optional(),
  userId: z.string().max(200).optional(),
  unitId: z.string().max(100).optional(),
  action: z.string().max(40).optional(),
  from: isoQuery.optional(),
  to: isoQuery.optional(),
  /** Default 100 rows as JSON, everything (up to 100,000) as CSV. */
  limit: z.coerce.number().int().min(1).max(100_000).optional(),
  offset: z.coerce.number().int().min(0).max(100_000_000).default(0),
}).transform(({ from, to, ...rest }) => ({
  ...rest,
  // Instants are stored as UTC ISO strings: compare like with like.
  ...(from ? { from: new Date(from).toISOString() } : {}),
  ...(to ? { to: new Date(to).toISOString() } : {}),
}));

export const worklistQuerySchema = z.object({
  pathway: z.enum(PATHWAY_IDS).optional(),
  kommun: z.string().trim().min(1).max(100).optional(),
  /** `today`: overdue or due before midnight (Stockholm time); `overdue`: past due only. */
  due: z.enum(['today', 'overdue']).optional(),
});

const localDate = z.iso.date();

/** Reports: a period of local dates (both inclusive), filters, and CSV on request. */
export const reportQuerySchema = z.object({
  from: localDate.optional(),
  to: localDate.optional(),
  pathway: z.enum(PATHWAY_IDS).optional(),
  kommun: z.string().trim().min(1).max(100).optional(),
  party: z.enum(PARTY_IDS).optional(),
  rule: z.string().max(10).optional(),
  format: z.enum(['json', 'csv']).default('json'),
}).refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from måste ligga före to', path: ['from'] });

/** Moving open cases of a pathway to a newer version (issue 6). */
export const migrationSchema = z.object({
  to: z.number().int().min(1),
  from: z.number().int().min(1).optional(),
  caseIds: z.array(z.string().min(1).max(100)).max(100_000).optional(),
  /** Old leaf state (`lane.state`) → the state it should land in. */
  mapping: z.record(z.string().max(120), z.string().max(120)).optional(),
  dryRun: z.boolean().default(true),
});
