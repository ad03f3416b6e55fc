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
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
});

export const positionsQuerySchema = z.object({ pathway: z.enum(PATHWAY_IDS) });
