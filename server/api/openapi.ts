// The OpenAPI 3.1 document, generated from the route table's zod schemas —
// the same schemas that validate requests, so the two cannot drift apart.
import { z } from 'zod';
import type { Route } from './route.js';

type JsonSchema = Record<string, unknown>;

const toSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  return rest;
};

const errorSchema: JsonSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', enum: ['invalid', 'unauthorized', 'forbidden', 'not_found', 'conflict', 'insufficient_funds', 'payment_declined', 'internal'] },
        message: { type: 'string' },
        field: { type: 'string', description: 'the request field at fault, dotted for nested ones' },
      },
    },
  },
};

function parametersOf(schema: z.ZodType | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const json = toSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: s,
    ...(typeof s.description === 'string' ? { description: s.description } : {}),
  }));
}

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

export function openApiDocument(routes: Route[], version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const responses: Record<string, unknown> = {
      [String(r.status)]:
        r.status === 204 || !r.response
          ? { description: 'done' }
          : { description: 'success', content: { 'application/json': { schema: toSchema(r.response, 'output') } } },
      '400': errorResponse('a field is invalid; `field` names it'),
      '401': errorResponse('missing, invalid or expired token'),
      '403': errorResponse('your role does not allow this'),
      '404': errorResponse('not found (or belongs to another tenant)'),
      '409': errorResponse('conflict on a unique field; `field` names it'),
    };
    paths[r.path] ??= {};
    paths[r.path]![r.method] = {
      operationId: r.operationId,
      summary: r.summary,
      tags: [r.tag],
      ...(r.isPublic ? { security: [] } : {}),
      parameters: [...parametersOf(r.params, 'path'), ...parametersOf(r.query, 'query')],
      ...(r.body ? { requestBody: { required: true, content: { [r.bodyType ?? 'application/json']: { schema: toSchema(r.body, 'input') } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'callplane API', version, description: 'Multi-tenant SIP PBX control plane' },
    servers: [{ url: '/api/v1' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Error: errorSchema },
    },
    paths,
  };
}
