import { compileErrors, validate } from '@readme/openapi-parser';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { paginationSchema } from '../http/responses.js';
import { buildOpenApiDocument, operationIdOf } from './build-openapi-document.js';
import { defineRoutes, linksToId } from './route-doc.js';
import { deletedResult, isoTimestamp } from './response-schemas.js';

const noteBody = z.strictObject({
  title: z.string().trim().min(1).max(200),
  tags: z.array(z.enum(['a', 'b'])).default([]),
  level: z.number().int().min(1).max(20).default(3),
});
const note = z.object({ id: z.number().int(), title: z.string(), created_at: isoTimestamp });

const routes = defineRoutes([
  {
    method: 'post',
    path: '/api/v1/notes',
    summary: 'Create a note',
    tags: ['notes'],
    body: noteBody,
    responses: { 201: { description: 'The note', schema: note }, 409: { description: 'Taken' } },
    security: 'bearer',
  },
  {
    method: 'get',
    path: '/api/v1/notes',
    summary: 'List notes',
    tags: ['notes'],
    query: paginationSchema.extend({ q: z.string().max(10).optional().describe('Words of the title') }),
    responses: { 200: { description: 'A page of notes', schema: note, envelope: 'list' } },
    security: 'bearer',
  },
  {
    method: 'delete',
    path: '/api/v1/notes/{id}',
    summary: 'Delete a note',
    tags: ['notes'],
    params: z.object({ id: z.string().regex(/^\d+$/).transform(Number) }),
    responses: { 200: { description: 'Gone', schema: deletedResult(z.number().int()) } },
    security: 'bearer',
  },
  {
    method: 'post',
    path: '/api/v1/notes/{id}/file',
    summary: 'Attach a file',
    tags: ['notes'],
    multipart: { files: { file: { description: 'The file' } }, fields: z.strictObject({ caption: z.string().max(50).optional() }) },
    responses: { 201: { description: 'Attached' } },
    security: 'bearer',
  },
  {
    method: 'get',
    path: '/health',
    summary: 'The process answers',
    tags: ['probes'],
    responses: { 200: { description: 'Healthy', schema: z.object({ status: z.literal('healthy') }), envelope: 'raw' } },
    security: 'none',
  },
]);

const build = () =>
  buildOpenApiDocument({ info: { title: 'Notes', version: '1.0.0' }, tags: [{ name: 'probes', description: 'Liveness' }] }, routes);

type Json = Record<string, any>;
const op = (doc: Json, method: string, path: string): Json => doc.paths[path][method];

describe('buildOpenApiDocument', () => {
  it('produces a document that a validator accepts as OpenAPI 3.1', async () => {
    const result = await validate(structuredClone(build()) as never);
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
  });

  it('documents a JSON body as what a client sends: defaults make a field optional, limits are kept', () => {
    const body = op(build(), 'post', '/api/v1/notes').requestBody;
    expect(body.required).toBe(true);
    const schema = body.content['application/json'].schema;
    expect(schema.required).toEqual(['title']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.level).toMatchObject({ type: 'integer', minimum: 1, maximum: 20, default: 3 });
    expect(schema.properties.tags.items.enum).toEqual(['a', 'b']);
  });

  it('wraps success bodies in the envelope and points errors at the shared error body', () => {
    const created = op(build(), 'post', '/api/v1/notes').responses;
    const body = created['201'].content['application/json'].schema;
    expect(body.required).toEqual(['status', 'data', 'timestamp']);
    expect(body.properties.data.properties.created_at).toMatchObject({ type: 'string', format: 'date-time' });
    expect(created['409'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ErrorBody' });
    expect(Object.keys(created).sort()).toEqual(['201', '400', '401', '409', '429']);
  });

  it('lists with the pagination component and documents each query field as a parameter', () => {
    const list = op(build(), 'get', '/api/v1/notes');
    const body = list.responses['200'].content['application/json'].schema;
    expect(body.properties.data.type).toBe('array');
    expect(body.properties.pagination).toEqual({ $ref: '#/components/schemas/Pagination' });
    expect(list.parameters.map((p: Json) => [p.name, p.in, p.required])).toEqual([
      ['page', 'query', false],
      ['limit', 'query', false],
      ['q', 'query', false],
    ]);
    expect(list.parameters[2].description).toBe('Words of the title');
  });

  it('documents path parameters from their schema, and multipart uploads with their file parts', () => {
    const doc = build();
    const del = op(doc, 'delete', '/api/v1/notes/{id}');
    expect(del.parameters).toEqual([{ name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^\\d+$' } }]);
    const upload = op(doc, 'post', '/api/v1/notes/{id}/file');
    expect(upload.parameters[0]).toMatchObject({ name: 'id', in: 'path', schema: { type: 'string' } });
    const form = upload.requestBody.content['multipart/form-data'].schema;
    expect(form.required).toEqual(['file']);
    expect(form.properties.file).toMatchObject({ type: 'string', format: 'binary' });
    expect(form.properties.caption).toMatchObject({ type: 'string', maxLength: 50 });
  });

  it('marks public routes as needing no token and the others as needing the bearer token', () => {
    const doc = build();
    expect(op(doc, 'get', '/health').security).toEqual([]);
    expect(op(doc, 'get', '/health').responses['200'].content['application/json'].schema.properties.status.const).toBe('healthy');
    expect(op(doc, 'get', '/api/v1/notes').security).toEqual([{ bearerAuth: [] }]);
    expect(doc.components.securitySchemes?.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.tags).toEqual([{ name: 'probes', description: 'Liveness' }, { name: 'notes' }]);
  });

  it('falls back to any value where JSON Schema cannot say what zod checks', () => {
    const doc = buildOpenApiDocument({ info: { title: 't', version: '1' } }, [
      {
        method: 'post',
        path: '/x',
        summary: 'x',
        tags: ['x'],
        body: z.strictObject({ when: z.date(), n: z.bigint() }),
        responses: { 200: { description: 'ok', schema: z.object({ size: z.string().transform((s) => s.length) }) } },
        security: 'none',
      },
    ]);
    const schema = op(doc, 'post', '/x').requestBody.content['application/json'].schema;
    expect(schema.properties.when).toEqual({});
    expect(schema.properties.n).toEqual({});
    expect(op(doc, 'post', '/x').responses['200'].content['application/json'].schema.properties.data.properties.size).toEqual({});
  });

  it('keeps the length limits of a checked string piped into a limited one', () => {
    const clean = z.string().refine((v) => !v.includes('\u0000'), 'no NUL');
    const doc = buildOpenApiDocument({ info: { title: 't', version: '1' } }, [
      {
        method: 'post',
        path: '/x',
        summary: 'x',
        tags: ['x'],
        body: z.strictObject({ title: clean.pipe(z.string().trim().min(1).max(500)).optional() }),
        responses: { 201: { description: 'ok' } },
        security: 'none',
      },
    ]);
    const body = op(doc, 'post', '/x').requestBody;
    expect(body.required).toBe(false);
    expect(body.content['application/json'].schema.properties.title).toEqual({ type: 'string', minLength: 1, maxLength: 500 });
  });

  it('carries the links of an answer to the operations its id serves, and refuses a link to an undocumented one', () => {
    const created = { ...routes[0]!, responses: { 201: { description: 'The note', schema: note, links: linksToId(['deleteApiV1NotesById']) } } };
    const doc = buildOpenApiDocument({ info: { title: 't', version: '1' } }, [created, ...routes.slice(1)]);
    expect(op(doc, 'post', '/api/v1/notes').responses['201'].links).toEqual({
      deleteApiV1NotesById: { operationId: 'deleteApiV1NotesById', parameters: { id: '$response.body#/data/id' } },
    });
    const typo = { ...created, responses: { 201: { description: 'The note', links: linksToId(['deleteApiV1NoteById']) } } };
    expect(() => buildOpenApiDocument({ info: { title: 't', version: '1' } }, [typo, ...routes.slice(1)])).toThrow(
      'POST /api/v1/notes links to deleteApiV1NoteById, which is not documented',
    );
  });

  it('refuses a route documented twice, so a copy-paste slip does not hide one', () => {
    const route = routes[0]!;
    expect(() => buildOpenApiDocument({ info: { title: 't', version: '1' } }, [route, { ...route, summary: 'again' }])).toThrow(
      /documented twice/,
    );
  });

  it('derives readable operation ids from the method and path', () => {
    expect(operationIdOf({ method: 'get', path: '/api/v1/quizzes/{id}/results' })).toBe('getApiV1QuizzesByIdResults');
    expect(operationIdOf({ method: 'post', path: '/api/v1/auth/login' })).toBe('postApiV1AuthLogin');
  });
});
