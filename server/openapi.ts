/**
 * The OpenAPI document, generated from the same zod schemas that validate requests.
 */
import { z } from 'zod';
import { createCaseSchema } from '../engine/cases.ts';
import { EVENT_LABELS, EVENT_TYPES, eventPayloadSchema } from '../machines/events.ts';
import { accessLogQuerySchema, demoLoginSchema, migrationSchema, listQuerySchema, positionsQuerySchema, reportQuerySchema, worklistQuerySchema } from './schemas.ts';

const json = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' });

function queryParameters(schema: z.ZodObject) {
  return Object.entries(schema.shape).map(([name, field]) => ({
    name, in: 'query', required: !(field as z.ZodType).safeParse(undefined).success, schema: json(field as z.ZodType),
  }));
}

const error = { $ref: '#/components/schemas/Error' };
const errors = (...codes: number[]) => Object.fromEntries(codes.map((code) => [String(code), { description: String(code), content: { 'application/json': { schema: error } } }]));

let cached: unknown;

const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };

export function openApiDocument(): unknown {
  if (cached) return cached;
  const events = EVENT_TYPES.map((type) => {
    const payload = json(eventPayloadSchema(type)) as { properties?: Record<string, unknown>; required?: string[] };
    return {
      title: type,
      description: EVENT_LABELS[type].sv,
      type: 'object',
      required: ['type', ...(payload.required ?? [])],
      properties: {
        type: { type: 'string', enum: [type] },
        at: { type: 'string', format: 'date-time', description: 'Tidpunkt (ISO 8601); saknas den gäller motorns klocka' },
        expectedVersion: { type: 'integer', minimum: 0, description: 'Optimistisk låsning, som If-Match' },
        ...(payload.properties ?? {}),
      },
    };
  });
  cached = {
    openapi: '3.0.3',
    info: { title: 'Samverkan API', version: '1', description: 'Ärenden för samverkan vid utskrivning (lag 2017:612): händelser, ärendevy, processer och lägen.' },
    paths: {
      '/api/health': { get: { summary: 'Hälsa', security: [], responses: { 200: { description: 'ok' } } } },
      '/api/pathways': { get: { summary: 'Processerna', responses: { 200: { description: 'Lista' } } } },
      '/api/pathways/{id}': { get: { summary: 'En process som data', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { 200: { description: 'Definition' }, ...errors(404) } } },
      '/api/rules': { get: { summary: 'Regelkatalogen', responses: { 200: { description: 'Regler med rutinens mening och var de implementeras' } } } },
      '/api/event-types': { get: { summary: 'Händelsekatalogen med JSON Schema', responses: { 200: { description: 'Lista' } } } },
      '/api/cases': {
        post: {
          summary: 'Skapa ärende',
          parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string' } }],
          requestBody: { required: true, content: { 'application/json': { schema: json(createCaseSchema) } } },
          responses: { 201: { description: 'Ärendevyn' }, ...errors(400, 409, 413) },
        },
        get: { summary: 'Sök ärenden', parameters: queryParameters(listQuerySchema), responses: { 200: { description: '{ items, total, limit, offset }' }, ...errors(400) } },
      },
      '/api/cases/{id}': {
        get: { summary: 'Ärendevyn', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { 200: { description: 'Ärendevyn' }, ...errors(404) } },
      },
      '/api/cases/{id}/events': {
        post: {
          summary: 'Skicka en händelse',
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'If-Match', in: 'header', required: false, schema: { type: 'string' }, description: 'Ärendets version' },
            { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string' } },
          ],
          requestBody: { required: true, content: { 'application/json': { schema: { oneOf: events, discriminator: { propertyName: 'type' } } } } },
          responses: { 200: { description: 'Ärendevyn' }, ...errors(400, 404, 409, 413) },
        },
      },
      '/api/positions': { get: { summary: 'Antal aktiva ärenden per läge', parameters: queryParameters(positionsQuerySchema), responses: { 200: { description: '{ pathway, version, states }' }, ...errors(400) } } },
      '/api/stream': { get: { summary: 'Ändringar som server-sent events (case, deadline), samtyckesstyrda som ärendevyn', responses: { 200: { description: 'text/event-stream' }, ...errors(401) } } },
      '/api/me': { get: { summary: 'Den inloggade användaren (enhet, part, roller)', responses: { 200: { description: '{ user, demo }' }, ...errors(401) } } },
      '/api/demo/users': { get: { summary: 'Demoanvändare (endast demoläge)', security: [], responses: { 200: { description: 'Lista' }, ...errors(404) } } },
      '/api/demo/login': {
        post: {
          summary: 'Logga in som demoanvändare (endast demoläge)', security: [],
          requestBody: { required: true, content: { 'application/json': { schema: json(demoLoginSchema) } } },
          responses: { 200: { description: '{ token, user }' }, ...errors(400, 404, 429) },
        },
      },
      '/api/worklist': { get: { summary: 'Att göra: enhetens tidsgränser och hinder (personal)', parameters: queryParameters(worklistQuerySchema), responses: { 200: { description: '{ unit, generatedAt, counts, items }' }, ...errors(400, 401, 403) } } },
      '/api/worklist/escalation': { get: { summary: 'Försenade uppgifter per enhet och regel (processägare)', responses: { 200: { description: '{ generatedAt, total, rows }' }, ...errors(401, 403) } } },
      '/api/pathway-catalogue': { get: { summary: 'Villkor, åtgärder, parametrar och händelser som definitioner kan använda', responses: { 200: { description: '{ guards, actions, parameters, events }' }, ...errors(401) } } },
      '/api/pathways/{id}/versions': {
        get: { summary: 'Publicerade versioner', parameters: [idParam], responses: { 200: { description: 'Lista, nyast först' }, ...errors(401, 404) } },
        post: { summary: 'Publicera utkastet som ny version (processägare)', parameters: [idParam], requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['comment'], properties: { comment: { type: 'string' }, definition: { type: 'object' } } } } } }, responses: { 201: { description: '{ version }' }, ...errors(400, 401, 403, 409) } },
      },
      '/api/pathways/{id}/draft': {
        get: { summary: 'Utkastet (processägare)', parameters: [idParam], responses: { 200: { description: '{ baseVersion, definition, saved, validation }' }, ...errors(401, 403) } },
        put: { summary: 'Spara utkastet (processägare)', parameters: [idParam], requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } }, responses: { 200: { description: 'Utkastet med validering' }, ...errors(400, 401, 403) } },
        delete: { summary: 'Kasta utkastet (processägare)', parameters: [idParam], responses: { 204: { description: 'Borta' }, ...errors(401, 403) } },
      },
      '/api/pathways/{id}/import': { post: { summary: 'Importera JSON som utkast (processägare)', parameters: [idParam], responses: { 200: { description: 'Utkastet med validering' }, ...errors(400, 401, 403) } } },
      '/api/pathways/{id}/validate': { post: { summary: 'Validera en definition', parameters: [idParam], responses: { 200: { description: '{ ok, issues }' }, ...errors(401) } } },
      '/api/pathways/{id}/compare': { get: { summary: 'Skillnader mellan versioner (from, to = nummer eller draft)', parameters: [idParam], responses: { 200: { description: '{ changes, states }' }, ...errors(400, 401, 404) } } },
      '/api/pathways/{id}/export': { get: { summary: 'Exportera som JSON, BPMN 2.0 eller SCXML', parameters: [idParam], responses: { 200: { description: 'Fil' }, ...errors(400, 401, 404) } } },
      '/api/pathways/{id}/impact': { post: { summary: 'Konsekvens av utkastet för pågående ärenden (processägare)', parameters: [idParam], responses: { 200: { description: '{ published, draft, changed }' }, ...errors(400, 401, 403) } } },
      '/api/pathways/{id}/migrations': { post: { summary: 'Flytta pågående ärenden till en annan version, med provkörning (processägare)', parameters: [idParam], requestBody: { required: true, content: { 'application/json': { schema: json(migrationSchema) } } }, responses: { 200: { description: '{ dryRun, moved, refused, results }' }, ...errors(400, 401, 403, 404) } } },
      '/api/reports/liability': { get: { summary: 'Betalningsansvar per kommun och period (processägare)', parameters: queryParameters(reportQuerySchema), responses: { 200: { description: '{ from, to, rows, totals } eller CSV' }, ...errors(400, 401, 403) } } },
      '/api/reports/liability/cases': { get: { summary: 'Ärendena bakom betalningsansvaret (processägare)', parameters: queryParameters(reportQuerySchema), responses: { 200: { description: '{ from, to, items } eller CSV' }, ...errors(400, 401, 403) } } },
      '/api/reports/compliance': { get: { summary: 'Följsamhet till tidsgränser per enhet, regel och månad (processägare)', parameters: queryParameters(reportQuerySchema), responses: { 200: { description: '{ from, to, rules, rows, byRule } eller CSV' }, ...errors(400, 401, 403) } } },
      '/api/access-log': { get: { summary: 'Åtkomstloggen (processägare)', parameters: queryParameters(accessLogQuerySchema.in), responses: { 200: { description: '{ items, total }' }, ...errors(400, 401, 403) } } },
      '/api/access-log.csv': { get: { summary: 'Åtkomstloggen som CSV (processägare)', parameters: queryParameters(accessLogQuerySchema.in), responses: { 200: { description: 'text/csv' }, ...errors(400, 401, 403) } } },
    },
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Claims: sub, name, unit { id, name, party, region, kommuner }, roles' } },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} } } },
        },
      },
    },
  };
  return cached;
}
