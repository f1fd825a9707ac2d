import { compileErrors, validate } from '@readme/openapi-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteDoc } from '@learner/common/openapi';
import { createTestDatabase, type TestDatabase } from '@learner/common/testing';
import { routes as chatRoutes } from '@learner/chat/openapi';
import { routes as documentRoutes } from '@learner/document/openapi';
import { routes as quizRoutes } from '@learner/quiz/openapi';
import { routes as sttRoutes } from '@learner/stt/openapi';
import { routes as ttsRoutes } from '@learner/tts/openapi';
import { routes as gatewayRoutes } from '../src/openapi.js';
import { buildGateway, freshIp, newSecrets, testRedis, uniquePrefix, type TestGateway } from './gateway-harness.js';
import type { Redis } from 'ioredis';

// Every route of the public API contract (API.md), path parameters written as {}.
const CONTRACT = [
  'GET /health',
  'GET /ready',
  'GET /docs',
  'GET /openapi.json',
  'GET /metrics',
  'POST /api/v1/auth/register',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/refresh',
  'POST /api/v1/auth/logout',
  'GET /api/v1/auth/me',
  'DELETE /api/v1/auth/me',
  'GET /api/v1/auth/erasures/{}',
  'GET /api/v1/auth/verify',
  'GET /api/v1/tts/voices',
  'POST /api/v1/tts/synthesize',
  'GET /api/v1/tts/audio',
  'GET /api/v1/tts/audio/{}',
  'DELETE /api/v1/tts/audio/{}',
  'POST /api/v1/stt/transcribe',
  'GET /api/v1/stt/status/{}',
  'GET /api/v1/stt/transcriptions/{}',
  'GET /api/v1/stt/transcriptions',
  'DELETE /api/v1/stt/transcriptions/{}',
  'POST /api/v1/stt/transcriptions/{}/document',
  // Read-aloud practice, added to the API since this contract was written.
  'POST /api/v1/stt/practice',
  'POST /api/v1/chat/sessions',
  'GET /api/v1/chat/sessions',
  'GET /api/v1/chat/sessions/{}',
  'PATCH /api/v1/chat/sessions/{}',
  'DELETE /api/v1/chat/sessions/{}',
  'POST /api/v1/chat/sessions/{}/messages',
  'GET /api/v1/chat/sessions/{}/messages',
  'POST /api/v1/documents/upload',
  'POST /api/v1/documents',
  'POST /api/v1/documents/{}/process',
  'GET /api/v1/documents',
  'GET /api/v1/documents/{}',
  'GET /api/v1/documents/{}/text',
  'GET /api/v1/documents/{}/download',
  'GET /api/v1/documents/{}/notes',
  'PUT /api/v1/documents/{}/notes/{}',
  'GET /api/v1/documents/search',
  'DELETE /api/v1/documents/{}',
  'POST /api/v1/quizzes/generate',
  'POST /api/v1/quizzes',
  'GET /api/v1/quizzes',
  'GET /api/v1/quizzes/{}',
  'DELETE /api/v1/quizzes/{}',
  'POST /api/v1/quizzes/{}/submit',
  'GET /api/v1/quizzes/{}/results',
];

const PUBLIC_API = ['POST /api/v1/auth/register', 'POST /api/v1/auth/login', 'POST /api/v1/auth/refresh', 'GET /api/v1/auth/erasures/{}'];

type Json = Record<string, any>;

let db: TestDatabase;
let redis: Redis;
let gateway: TestGateway;
let document: Json;

beforeAll(async () => {
  db = await createTestDatabase({ database: 'gateway', fromDir: import.meta.dirname });
  redis = await testRedis();
  gateway = buildGateway({ db, secrets: newSecrets(), redis, prefix: uniquePrefix() });
  const res = await request(gateway.app).get('/openapi.json').set('X-Forwarded-For', freshIp());
  expect(res.status).toBe(200);
  document = res.body;
});

afterAll(async () => {
  redis?.disconnect();
  await db?.drop();
});

function operations(doc: Json): Map<string, Json> {
  const out = new Map<string, Json>();
  for (const [path, item] of Object.entries<Json>(doc.paths)) {
    for (const [method, op] of Object.entries<Json>(item)) out.set(`${method.toUpperCase()} ${path.replace(/\{[^}]+\}/g, '{}')}`, op);
  }
  return out;
}

function requestSchema(method: string, path: string): Json {
  const op = document.paths[path]?.[method];
  const content = op?.requestBody?.content;
  const schema = content?.['application/json']?.schema ?? content?.['multipart/form-data']?.schema;
  if (!schema) throw new Error(`${method} ${path} documents no body`);
  return schema;
}

function queryParameterSchema(path: string, name: string): Json {
  const param = (document.paths[path]?.get?.parameters as Json[] | undefined)?.find((p) => p.in === 'query' && p.name === name);
  if (!param) throw new Error(`GET ${path} documents no query parameter ${name}`);
  return param.schema;
}

describe('GET /openapi.json', () => {
  it('answers without a token with a document that the OpenAPI validator accepts as 3.1', async () => {
    expect(document.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(document) as never);
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
  });

  it('documents every route of the public API contract, and no other', () => {
    const documented = [...operations(document).keys()].sort();
    expect(documented).toEqual([...CONTRACT].sort());
  });

  it('asks for the bearer token on every /api/v1 route but register, login and refresh', () => {
    for (const [route, op] of operations(document)) {
      const needsToken = route.includes(' /api/v1/') && !PUBLIC_API.includes(route);
      expect(op.security, route).toEqual(needsToken ? [{ bearerAuth: [] }] : []);
      if (needsToken) expect(Object.keys(op.responses), route).toContain('401');
    }
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('groups the routes by service and answers list routes with the pagination component', () => {
    expect(document.tags.map((t: Json) => t.name)).toEqual(['auth', 'documents', 'chat', 'quizzes', 'tts', 'stt', 'probes']);
    const list = document.paths['/api/v1/quizzes'].get.responses['200'].content['application/json'].schema;
    expect(list.properties.pagination).toEqual({ $ref: '#/components/schemas/Pagination' });
    expect(document.paths['/api/v1/quizzes/{id}'].get.responses['404'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/ErrorBody',
    });
  });

  it('is counted against the per-IP rate limit like every other public route', async () => {
    const res = await request(gateway.app).get('/openapi.json').set('X-Forwarded-For', freshIp());
    expect(res.headers['x-ratelimit-limit']).toBe('100');
    expect(res.headers['x-ratelimit-remaining']).toBe('99');
  });
});

describe('the documented request schemas', () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const documentedVerdict = (schema: Json, value: unknown): boolean => ajv.validate(schema, value);

  const bodies: { route: string; body: unknown; valid: boolean }[] = [
    { route: 'POST /api/v1/quizzes/generate', body: { document_id: 1, num_questions: 20 }, valid: true },
    { route: 'POST /api/v1/quizzes/generate', body: { document_id: 1, num_questions: 21 }, valid: false },
    { route: 'POST /api/v1/quizzes/generate', body: { document_id: 1, difficulty: 'extreme' }, valid: false },
    { route: 'POST /api/v1/chat/sessions', body: { title: 'Revision', document_ids: [1, 2] }, valid: true },
    { route: 'POST /api/v1/chat/sessions', body: { title: 'x'.repeat(201) }, valid: false },
    { route: 'POST /api/v1/chat/sessions/{id}/messages', body: { message: 'x'.repeat(4001) }, valid: false },
    { route: 'POST /api/v1/tts/synthesize', body: { text: 'Hello', format: 'ogg_vorbis', speed: 1.5 }, valid: true },
    { route: 'POST /api/v1/tts/synthesize', body: { text: 'Hello', format: 'wav' }, valid: false },
    { route: 'POST /api/v1/tts/synthesize', body: { text: 'Hello', speed: 3 }, valid: false },
    { route: 'POST /api/v1/auth/register', body: { email: 'ada@example.com', password: 'long enough' }, valid: true },
    { route: 'POST /api/v1/auth/register', body: { email: 'ada@example.com', password: 'short' }, valid: false },
    { route: 'POST /api/v1/auth/register', body: { email: 'ada@example.com', password: 'long enough', role: 'admin' }, valid: false },
    { route: 'PUT /api/v1/documents/{id}/notes/{note_id}', body: { content: 'Edited' }, valid: true },
    { route: 'PUT /api/v1/documents/{id}/notes/{note_id}', body: { content: '' }, valid: false },
    { route: 'POST /api/v1/stt/transcriptions/{id}/document', body: { title: 'x'.repeat(501) }, valid: false },
    { route: 'POST /api/v1/stt/transcribe', body: { audio: 'bytes', speaker_labels: 'maybe' }, valid: false },
    { route: 'POST /api/v1/stt/transcribe', body: { audio: 'bytes', language: 'en-US', speaker_labels: 'true' }, valid: true },
    { route: 'POST /api/v1/documents/upload', body: { title: 'Notes' }, valid: false },
  ];

  const allRoutes: RouteDoc[] = [...gatewayRoutes, ...chatRoutes, ...documentRoutes, ...quizRoutes, ...sttRoutes, ...ttsRoutes];

  it.each(bodies)('judge $route with $body as valid=$valid, as the service\'s own schema does', ({ route, body, valid }) => {
    const [method, path] = route.split(' ') as [string, string];
    expect(documentedVerdict(requestSchema(method.toLowerCase(), path), body)).toBe(valid);
    const validatedWith = allRoutes.find((r) => r.method === method.toLowerCase() && r.path === path)?.body;
    if (validatedWith) expect(validatedWith.safeParse(body).success).toBe(valid);
  });

  const queries: { path: string; name: string; value: unknown; valid: boolean }[] = [
    { path: '/api/v1/documents', name: 'status', value: 'completed', valid: true },
    { path: '/api/v1/documents', name: 'status', value: 'archived', valid: false },
    { path: '/api/v1/quizzes', name: 'limit', value: 101, valid: false },
    { path: '/api/v1/stt/transcriptions', name: 'page', value: 0, valid: false },
    { path: '/api/v1/documents/search', name: 'limit', value: 50, valid: true },
    { path: '/api/v1/tts/voices', name: 'language', value: 'en-US', valid: true },
    { path: '/api/v1/tts/voices', name: 'language', value: 'english!', valid: false },
  ];

  it.each(queries)('judge ?$name=$value on $path as valid=$valid', ({ path, name, value, valid }) => {
    expect(documentedVerdict(queryParameterSchema(path, name), value)).toBe(valid);
  });

  it('marks the fields a client may leave out as optional, and defaults as defaults', () => {
    const generate = requestSchema('post', '/api/v1/quizzes/generate');
    expect(generate.required).toEqual(['document_id']);
    expect(generate.properties.num_questions).toMatchObject({ minimum: 1, maximum: 20, default: 10 });
    expect(generate.additionalProperties).toBe(false);
    expect(document.paths['/api/v1/auth/logout'].post.requestBody.required).toBe(false);
  });
});

describe('GET /docs', () => {
  it('answers 200 with the Swagger UI page over /openapi.json, without a token', async () => {
    const page = await request(gateway.app).get('/docs').set('X-Forwarded-For', freshIp());
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('<div id="swagger-ui"></div>');
    const init = await request(gateway.app).get('/docs/docs-init.js').set('X-Forwarded-For', freshIp());
    expect(init.status).toBe(200);
    expect(init.text).toContain("url: '/openapi.json'");
  });

  it('serves the Swagger UI assets the page loads, and nothing else of that package', async () => {
    for (const asset of ['swagger-ui-bundle.js', 'swagger-ui.css']) {
      const res = await request(gateway.app).get(`/docs/${asset}`).set('X-Forwarded-For', freshIp());
      expect(res.status, asset).toBe(200);
    }
    const other = await request(gateway.app).get('/docs/package.json').set('X-Forwarded-For', freshIp());
    expect(other.status).toBe(404);
    expect(other.body.error).toBe('NotFound');
  });

  it('lets the page load its own scripts and inline styles, and nothing from elsewhere', async () => {
    const csp = (await request(gateway.app).get('/docs').set('X-Forwarded-For', freshIp())).headers['content-security-policy'] as string;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    const api = await request(gateway.app).get('/health');
    expect(api.headers['content-security-policy']).toContain('upgrade-insecure-requests');
  });
});
