import { randomBytes } from 'node:crypto';
import { dereference } from '@readme/openapi-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, startPlatform, type Platform } from './platform-harness.js';

type Json = Record<string, any>;

let platform: Platform;
let api: ReturnType<typeof apiClient>;
let doc: Json;
let token: string;

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);

beforeAll(async () => {
  platform = await startPlatform();
  api = apiClient(platform.gatewayUrl);
  const res = await api('GET', '/openapi.json');
  expect(res.status).toBe(200);
  // $refs inlined, so each schema can be checked on its own.
  doc = (await dereference(structuredClone(res.body))) as Json;
  const email = `openapi-${randomBytes(4).toString('hex')}@example.com`;
  const registered = await api('POST', '/api/v1/auth/register', { json: { email, password: 'correct horse battery' } });
  expect(registered.status).toBe(201);
  token = registered.body.data.token;
}, 240_000);

afterAll(async () => {
  await platform?.stop();
}, 60_000);

const operation = (method: string, path: string): Json => {
  const op = doc.paths[path]?.[method.toLowerCase()];
  if (!op) throw new Error(`${method} ${path} is not documented`);
  return op;
};

function documentedBodyAccepts(method: string, path: string, body: unknown): boolean {
  const content = operation(method, path).requestBody.content;
  const schema = content['application/json']?.schema ?? content['multipart/form-data']?.schema;
  return ajv.validate(schema, body);
}

function documentedQueryAccepts(path: string, query: Record<string, string>): boolean {
  const params = (operation('GET', path).parameters ?? []) as Json[];
  return Object.entries(query).every(([name, raw]) => {
    const param = params.find((p) => p.in === 'query' && p.name === name);
    if (!param) return false;
    // As an OpenAPI client serialises it: numbers travel as their digits.
    const value = /^-?\d+$/.test(raw) && ['integer', 'number'].includes(param.schema.type) ? Number(raw) : raw;
    return ajv.validate(param.schema, value);
  });
}

/** The documented success body of a route, checked against what the platform really answered. */
function expectDocumentedResponse(method: string, path: string, res: { status: number; body: unknown }): void {
  const schema = operation(method, path).responses[String(res.status)]?.content?.['application/json']?.schema;
  expect(schema, `${method} ${path} documents no ${res.status}`).toBeDefined();
  const valid = ajv.validate(schema, res.body);
  expect(valid, `${method} ${path} ${res.status}: ${ajv.errorsText(ajv.errors)}`).toBe(true);
}

describe('the OpenAPI document served by the gateway, against the running platform', () => {
  const bodies: { service: string; method: string; path: string; send: string; body: Json; valid: boolean }[] = [
    { service: 'gateway', method: 'POST', path: '/api/v1/auth/register', send: '/api/v1/auth/register', body: { email: 'x@example.com', password: 'short' }, valid: false },
    { service: 'quiz', method: 'POST', path: '/api/v1/quizzes/generate', send: '/api/v1/quizzes/generate', body: { document_id: 2_000_000_000, num_questions: 21 }, valid: false },
    { service: 'quiz', method: 'POST', path: '/api/v1/quizzes/generate', send: '/api/v1/quizzes/generate', body: { document_id: 2_000_000_000, num_questions: 20 }, valid: true },
    { service: 'quiz', method: 'POST', path: '/api/v1/quizzes', send: '/api/v1/quizzes', body: { document_id: 2_000_000_000, difficulty: 'extreme' }, valid: false },
    { service: 'chat', method: 'POST', path: '/api/v1/chat/sessions', send: '/api/v1/chat/sessions', body: { title: 'x'.repeat(201) }, valid: false },
    { service: 'chat', method: 'POST', path: '/api/v1/chat/sessions', send: '/api/v1/chat/sessions', body: { title: 'Revision', colour: 'red' }, valid: false },
    { service: 'chat', method: 'POST', path: '/api/v1/chat/sessions', send: '/api/v1/chat/sessions', body: { title: 'Revision' }, valid: true },
    { service: 'tts', method: 'POST', path: '/api/v1/tts/synthesize', send: '/api/v1/tts/synthesize', body: { text: 'Hello', format: 'wav' }, valid: false },
    { service: 'tts', method: 'POST', path: '/api/v1/tts/synthesize', send: '/api/v1/tts/synthesize', body: { text: 'Hello', speed: 2.5 }, valid: false },
    { service: 'stt', method: 'POST', path: '/api/v1/stt/transcriptions/{id}/document', send: `/api/v1/stt/transcriptions/00000000-0000-4000-8000-000000000000/document`, body: { title: 'x'.repeat(501) }, valid: false },
    { service: 'stt', method: 'POST', path: '/api/v1/stt/transcriptions/{id}/document', send: `/api/v1/stt/transcriptions/00000000-0000-4000-8000-000000000000/document`, body: { title: 'Lecture' }, valid: true },
  ];

  it.each(bodies)('$service: $method $path with $body is refused by both the document and the service exactly when valid=$valid is false', async ({ method, path, send, body, valid }) => {
    expect(documentedBodyAccepts(method, path, body)).toBe(valid);
    const res = await api(method, send, { token, json: body });
    if (valid) expect(res.status).not.toBe(400);
    else expect(res.status).toBe(400);
  });

  const queries: { service: string; path: string; query: Record<string, string>; valid: boolean }[] = [
    { service: 'document', path: '/api/v1/documents', query: { status: 'archived' }, valid: false },
    { service: 'document', path: '/api/v1/documents', query: { status: 'completed', limit: '100' }, valid: true },
    { service: 'document', path: '/api/v1/documents/search', query: { q: 'cells', limit: '51' }, valid: false },
    { service: 'stt', path: '/api/v1/stt/transcriptions', query: { limit: '101' }, valid: false },
    { service: 'stt', path: '/api/v1/stt/transcriptions', query: { page: '2' }, valid: true },
    { service: 'tts', path: '/api/v1/tts/voices', query: { language: 'english!' }, valid: false },
    { service: 'quiz', path: '/api/v1/quizzes', query: { page: '0' }, valid: false },
  ];

  it.each(queries)('$service: GET $path?$query is refused by both exactly when valid=$valid is false', async ({ path, query, valid }) => {
    expect(documentedQueryAccepts(path, query)).toBe(valid);
    const res = await api('GET', `${path}?${new URLSearchParams(query)}`, { token });
    expect(res.status).toBe(valid ? 200 : 400);
  });

  it('stt: a multipart upload with a bad field is refused by both', async () => {
    expect(documentedBodyAccepts('POST', '/api/v1/stt/transcribe', { audio: 'bytes', speaker_labels: 'maybe' })).toBe(false);
    const form = new FormData();
    form.append('speaker_labels', 'maybe');
    form.append('audio', new Blob([new Uint8Array(64)]), 'a.wav');
    expect((await api('POST', '/api/v1/stt/transcribe', { token, form })).status).toBe(400);
  });

  it('answers in the documented shapes: sessions, documents, chat, quizzes, voices, transcriptions and errors', async () => {
    const email = `shape-${randomBytes(4).toString('hex')}@example.com`;
    expectDocumentedResponse('POST', '/api/v1/auth/register', await api('POST', '/api/v1/auth/register', { json: { email, password: 'long enough pass' } }));
    expectDocumentedResponse('GET', '/api/v1/auth/me', await api('GET', '/api/v1/auth/me', { token }));

    const form = new FormData();
    form.append('file', new Blob(['Mitochondria are the powerhouse of the cell. They make ATP.']), 'cells.txt');
    const upload = await api('POST', '/api/v1/documents', { token, form });
    expectDocumentedResponse('POST', '/api/v1/documents', upload);
    expectDocumentedResponse('GET', '/api/v1/documents', await api('GET', '/api/v1/documents', { token }));
    expectDocumentedResponse('GET', '/api/v1/documents/{id}', await api('GET', `/api/v1/documents/${upload.body.data.id}`, { token }));

    const session = await api('POST', '/api/v1/chat/sessions', { token, json: { title: 'Shapes' } });
    expectDocumentedResponse('POST', '/api/v1/chat/sessions', session);
    expectDocumentedResponse('GET', '/api/v1/chat/sessions/{id}/messages', await api('GET', `/api/v1/chat/sessions/${session.body.data.id}/messages`, { token }));
    expectDocumentedResponse('GET', '/api/v1/quizzes', await api('GET', '/api/v1/quizzes', { token }));
    expectDocumentedResponse('GET', '/api/v1/tts/voices', await api('GET', '/api/v1/tts/voices?language=en', { token }));
    expectDocumentedResponse('GET', '/api/v1/stt/transcriptions', await api('GET', '/api/v1/stt/transcriptions', { token }));

    const missing = await api('GET', '/api/v1/quizzes/2000000000', { token });
    expect(missing.status).toBe(404);
    expectDocumentedResponse('GET', '/api/v1/quizzes/{id}', missing);
    const health = await api('GET', '/health');
    expect(ajv.validate(operation('GET', '/health').responses['200'].content['application/json'].schema, health.body)).toBe(true);
  });

  it('serves the Swagger UI page at /docs', async () => {
    const res = await fetch(`${platform.gatewayUrl}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toContain('swagger-ui-bundle.js');
  });
});
