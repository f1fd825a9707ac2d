import { z } from 'zod';
import type { RouteDoc, RouteResponse } from './route-doc.js';

type JsonSchema = Record<string, unknown>;

export interface OpenApiInfo {
  title: string;
  version: string;
  description?: string;
}

export interface OpenApiOptions {
  info: OpenApiInfo;
  servers?: { url: string; description?: string }[];
  /** Descriptions of the tags the routes use; tags without one are listed in the order they appear. */
  tags?: { name: string; description?: string }[];
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: OpenApiInfo;
  servers?: { url: string; description?: string }[];
  tags: { name: string; description?: string }[];
  paths: Record<string, Record<string, unknown>>;
  components: Record<string, Record<string, unknown>>;
}

const ERROR_REF = { $ref: '#/components/schemas/ErrorBody' };
const PAGINATION_REF = { $ref: '#/components/schemas/Pagination' };

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'The request is not valid; `details` names each bad field',
  401: 'No valid Bearer token (missing, expired, revoked or logged out)',
  429: 'Too many requests; `Retry-After` says when to try again',
};

/** The error body every service answers with (seed §10.4). */
const errorBodySchema: JsonSchema = {
  type: 'object',
  required: ['error', 'message', 'details', 'request_id', 'timestamp'],
  properties: {
    error: { type: 'string', description: 'The error type, e.g. ValidationError, NotFound, Conflict' },
    message: { type: 'string', description: 'What went wrong, for a person' },
    details: { type: 'object', additionalProperties: true, description: 'Per-field messages or other facts' },
    request_id: { type: 'string', description: 'The X-Request-ID of the request, to quote when reporting it' },
    timestamp: { type: 'string', format: 'date-time' },
  },
};

const paginationComponent: JsonSchema = {
  type: 'object',
  required: ['page', 'limit', 'total', 'pages'],
  properties: {
    page: { type: 'integer', minimum: 1 },
    limit: { type: 'integer', minimum: 1, maximum: 100 },
    total: { type: 'integer', minimum: 0 },
    pages: { type: 'integer', minimum: 0 },
  },
};

/**
 * JSON Schema of a zod schema, as zod 4 converts it. Requests are documented as their input (what a
 * client sends, before defaults and transforms), responses as their output. Parts JSON Schema cannot
 * say (refinements, transforms' results) become `{}`, i.e. anything, rather than failing the document.
 */
export function toSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    reused: 'inline',
    target: 'draft-2020-12',
    override: io === 'input' ? carryStringLimitsThroughPipe : undefined,
  }) as JsonSchema;
  delete json.$schema;
  return json;
}

const STRING_LIMITS = ['minLength', 'maxLength', 'pattern', 'format'] as const;

/**
 * `refinedString.pipe(z.string().max(500))` is documented by zod as its input, the refined string
 * alone, which would drop the limits a client must keep to; when both ends are strings, the limits
 * of the output end are the input's too.
 */
function carryStringLimitsThroughPipe(ctx: { zodSchema: unknown; jsonSchema: JsonSchema }): void {
  const def = (ctx.zodSchema as { _zod: { def: { type: string; out?: z.ZodType } } })._zod.def;
  if (def.type !== 'pipe' || !def.out || ctx.jsonSchema.type !== 'string') return;
  const out = toSchema(def.out, 'output');
  if (out.type !== 'string') return;
  for (const key of STRING_LIMITS) if (out[key] !== undefined && ctx.jsonSchema[key] === undefined) ctx.jsonSchema[key] = out[key];
}

function envelope(data: JsonSchema, list: boolean): JsonSchema {
  return {
    type: 'object',
    required: list ? ['status', 'data', 'pagination', 'timestamp'] : ['status', 'data', 'timestamp'],
    properties: {
      status: { type: 'string', const: 'success' },
      data: list ? { type: 'array', items: data } : data,
      ...(list ? { pagination: PAGINATION_REF } : {}),
      timestamp: { type: 'string', format: 'date-time' },
    },
  };
}

function responseObject(status: number, response: RouteResponse): JsonSchema {
  if (status >= 400) {
    const schema = response.schema ? toSchema(response.schema, 'output') : ERROR_REF;
    return { description: response.description, content: { 'application/json': { schema } } };
  }
  const links = response.links ? { links: response.links } : {};
  if (!response.schema) return { description: response.description, ...links };
  const body = toSchema(response.schema, 'output');
  const kind = response.envelope ?? 'data';
  const schema = kind === 'raw' ? body : envelope(body, kind === 'list');
  return { description: response.description, content: { [response.contentType ?? 'application/json']: { schema } }, ...links };
}

interface ObjectSchema {
  properties: Record<string, JsonSchema>;
  required: string[];
}

function objectParts(schema: z.ZodObject): ObjectSchema {
  const json = toSchema(schema, 'input');
  return {
    properties: (json.properties ?? {}) as Record<string, JsonSchema>,
    required: (json.required ?? []) as string[],
  };
}

function parameters(route: RouteDoc): JsonSchema[] {
  const out: JsonSchema[] = [];
  const pathNames = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const documented = route.params ? objectParts(route.params).properties : {};
  for (const name of pathNames) {
    out.push({ name, in: 'path', required: true, schema: documented[name] ?? { type: 'string' } });
  }
  for (const name of Object.keys(documented)) {
    if (!pathNames.includes(name)) throw new Error(`${route.method} ${route.path}: parameter ${name} is not in the path`);
  }
  for (const [where, schemaOf] of [['query', route.query], ['header', route.headers]] as const) {
    if (!schemaOf) continue;
    const { properties, required } = objectParts(schemaOf);
    for (const [name, schema] of Object.entries(properties)) {
      const { description, ...rest } = schema;
      out.push({
        name,
        in: where,
        required: required.includes(name),
        schema: rest,
        ...(typeof description === 'string' ? { description } : {}),
      });
    }
  }
  return out;
}

function requestBody(route: RouteDoc): JsonSchema | undefined {
  if (route.body) {
    // parseInput reads a missing body as {}, so a body is optional exactly when {} is valid.
    return {
      required: !route.body.safeParse({}).success,
      content: { 'application/json': { schema: toSchema(route.body, 'input') } },
    };
  }
  if (route.multipart) {
    const fields = route.multipart.fields ? objectParts(route.multipart.fields) : { properties: {}, required: [] };
    const properties: Record<string, JsonSchema> = { ...fields.properties };
    const required = [...fields.required];
    for (const [name, part] of Object.entries(route.multipart.files)) {
      properties[name] = { type: 'string', format: 'binary', contentMediaType: 'application/octet-stream', description: part.description };
      if (part.required !== false) required.push(name);
    }
    return {
      required: true,
      content: { 'multipart/form-data': { schema: { type: 'object', properties, required } } },
    };
  }
  return undefined;
}

export function operationIdOf(route: Pick<RouteDoc, 'method' | 'path'>): string {
  const words = route.path
    .split('/')
    .filter(Boolean)
    .map((part) => (part.startsWith('{') ? `by ${part.slice(1, -1)}` : part))
    .join(' ')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return [route.method, ...words].map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join('');
}

function operation(route: RouteDoc): JsonSchema {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, response] of Object.entries(route.responses)) responses[status] = responseObject(Number(status), response);
  const implied: number[] = [];
  if (route.body || route.query || route.headers || route.multipart || route.params) implied.push(400);
  if (route.security === 'bearer') implied.push(401);
  if (route.path.startsWith('/api/')) implied.push(429);
  for (const status of implied) {
    responses[status] ??= { description: ERROR_DESCRIPTIONS[status], content: { 'application/json': { schema: ERROR_REF } } };
  }
  const params = parameters(route);
  const body = requestBody(route);
  return {
    operationId: route.operationId ?? operationIdOf(route),
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: route.tags,
    ...(params.length ? { parameters: params } : {}),
    ...(body ? { requestBody: body } : {}),
    responses,
    security: route.security === 'bearer' ? [{ bearerAuth: [] }] : [],
  };
}

/** An OpenAPI 3.1 document of the given routes, their schemas converted from the zod schemas. */
export function buildOpenApiDocument(options: OpenApiOptions, routes: readonly RouteDoc[]): OpenApiDocument {
  const paths: Record<string, Record<string, unknown>> = {};
  const operationIds = new Set<string>();
  for (const route of routes) {
    const item = (paths[route.path] ??= {});
    if (item[route.method]) throw new Error(`${route.method.toUpperCase()} ${route.path} is documented twice`);
    const op = operation(route);
    if (operationIds.has(op.operationId as string)) throw new Error(`operationId ${String(op.operationId)} is used twice`);
    operationIds.add(op.operationId as string);
    item[route.method] = op;
  }
  for (const route of routes) {
    for (const response of Object.values(route.responses)) {
      for (const link of Object.values(response.links ?? {})) {
        if (!operationIds.has(link.operationId)) {
          throw new Error(`${route.method.toUpperCase()} ${route.path} links to ${link.operationId}, which is not documented`);
        }
      }
    }
  }
  const described = new Map((options.tags ?? []).map((t) => [t.name, t]));
  for (const name of routes.flatMap((r) => r.tags)) if (!described.has(name)) described.set(name, { name });
  return {
    openapi: '3.1.0',
    info: options.info,
    ...(options.servers ? { servers: options.servers } : {}),
    tags: [...described.values()],
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The token from register, login or refresh' },
      },
      schemas: { ErrorBody: errorBodySchema, Pagination: paginationComponent },
    },
  };
}
