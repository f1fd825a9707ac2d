import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '@learner/common/openapi';
import { routes } from './openapi.js';

describe('the document service’s API description', () => {
  it('describes every public documents route, with the upload as a multipart form', () => {
    const doc = buildOpenApiDocument({ info: { title: 'documents', version: '1' } }, routes);
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/v1/documents',
      '/api/v1/documents/search',
      '/api/v1/documents/upload',
      '/api/v1/documents/{id}',
      '/api/v1/documents/{id}/download',
      '/api/v1/documents/{id}/notes',
      '/api/v1/documents/{id}/notes/{note_id}',
      '/api/v1/documents/{id}/process',
      '/api/v1/documents/{id}/text',
    ]);
    const upload = doc.paths['/api/v1/documents/upload']!.post as { requestBody: { content: Record<string, unknown> }; responses: Record<string, unknown> };
    expect(Object.keys(upload.requestBody.content)).toEqual(['multipart/form-data']);
    expect(Object.keys(upload.responses)).toEqual(expect.arrayContaining(['201', '400', '413', '415']));
  });
});
