import { z } from 'zod';
import { documentStudyPack } from '@learner/common/contracts';
import { deletedResult, defineRoutes, integerIdParams, isoTimestamp, linksToId, type RouteDoc } from '@learner/common/openapi';
import { listQuery, textQuery, uploadFields } from './documents/documents-routes.js';
import { noteEdit } from './notes/notes-routes.js';
import { searchQuery } from './search/search-routes.js';

const TAG = 'documents';
const STATUSES = ['uploaded', 'processing', 'completed', 'failed'] as const;

const document = z.object({
  id: z.int(),
  title: z.string(),
  filename: z.string(),
  file_type: z.enum(['pdf', 'txt', 'md', 'png', 'jpg']).describe('Decided from the file’s bytes'),
  content_type: z.string(),
  file_size: z.int(),
  source: z.string().describe('upload, or the service that saved it (e.g. transcription)'),
  status: z.enum(STATUSES),
  error: z.string().nullable().describe('Why processing failed, for a person'),
  pages: z.int().nullable(),
  text_length: z.int().nullable(),
  created_at: isoTimestamp,
  updated_at: isoTimestamp,
  processed_at: isoTimestamp.nullable(),
  study_pack: documentStudyPack
    .nullable()
    .optional()
    .describe(
      'Uploaded with study_pack=true: the steps made by themselves after processing (notes, quiz, audio), each with its ' +
        'status and, when it failed, why; quiz_id and audio_id once made (GET /api/v1/quizzes/{id}, GET /api/v1/tts/audio/{id}). ' +
        'Null without a study pack.',
    ),
});

const hit = z.object({
  document_id: z.int(),
  title: z.string(),
  page: z.int(),
  passage_id: z.int(),
  text: z.string().describe('The whole passage: a few sentences of one page'),
  snippet: z.string().describe('The matching words highlighted with <b>…</b>; the passage’s start when it matched by meaning only'),
  rank: z
    .number()
    .describe('What the list is ordered by: the reciprocal-rank-fusion score (hybrid), or the full-text rank (full_text)'),
  similarity: z.number().nullable().describe('Cosine similarity of the passage to the question; null when the passage has no vector'),
});

const searchAnswer = z.object({
  status: z.literal('success'),
  data: z.array(hit),
  meta: z.object({
    retrieval: z
      .enum(['hybrid', 'full_text'])
      .describe('hybrid: full text and vector similarity fused (k = 60); full_text: words only'),
    reason: z.string().optional().describe('Why the ranking is by full text only, e.g. the embedding server is unavailable'),
    model: z.string().optional().describe('hybrid only: the embedding model the similarities come from (each model has its own scale)'),
  }),
  timestamp: isoTimestamp,
});

const note = z.object({
  id: z.int(),
  document_id: z.int(),
  kind: z.enum(['summary', 'key_points', 'key_terms']),
  content: z.string().describe('The note as text (markdown lists for key points and terms); editable'),
  items: z
    .array(z.object({ text: z.string(), page: z.int(), term: z.string().optional() }))
    .describe('The sentences the note is made of, with their pages'),
  generator: z.string(),
  edited: z.boolean(),
  created_at: isoTimestamp,
  updated_at: isoTimestamp,
});

const notFound = { description: 'No such document of yours' };

const upload = (path: string, summary: string): RouteDoc => ({
  method: 'post',
  path,
  summary,
  description:
    'Stores the file and queues it for processing, which starts by itself: poll GET /api/v1/documents/{id} until ' +
    'its status is completed or failed. The type is decided from the bytes: PDF, UTF-8 text or markdown, PNG, JPEG. ' +
    'With study_pack=true, processing (which makes the notes) is followed by a quiz and an audio summary of the notes, ' +
    'made by themselves: study_pack in GET /api/v1/documents/{id} shows each step, then quiz_id and audio_id.',
  tags: [TAG],
  multipart: { files: { file: { description: 'The document' } }, fields: uploadFields },
  responses: {
    201: {
      description: 'The document, status uploaded',
      schema: document,
      links: linksToId([
        'getApiV1DocumentsById',
        'getApiV1DocumentsByIdText',
        'getApiV1DocumentsByIdDownload',
        'getApiV1DocumentsByIdNotes',
        'postApiV1DocumentsByIdProcess',
        'deleteApiV1DocumentsById',
      ]),
    },
    413: { description: 'The file is larger than MAX_FILE_SIZE (10 MB by default)' },
    415: { description: 'The file is not a PDF, UTF-8 text, markdown, PNG or JPEG' },
  },
  security: 'bearer',
});

export const routes: RouteDoc[] = defineRoutes([
  upload('/api/v1/documents/upload', 'Upload a document'),
  upload('/api/v1/documents', 'Upload a document (same as /upload)'),
  {
    method: 'get',
    path: '/api/v1/documents',
    summary: 'List your documents, newest first',
    tags: [TAG],
    query: listQuery,
    responses: { 200: { description: 'A page of documents', schema: document, envelope: 'list' } },
    security: 'bearer',
  },
  {
    method: 'get',
    path: '/api/v1/documents/search',
    summary: 'Search the text of your documents',
    description:
      'Search over page passages of your processed documents, best first. It fuses two rankings by reciprocal ' +
      'rank fusion: full text (all the words; when no passage has them all, any of them) and the meaning of the ' +
      'question (vector similarity), so a question worded differently from the text still finds it. Without an ' +
      'embedding server (or before the passages are embedded) it ranks by full text alone and says so in meta.',
    tags: [TAG],
    query: searchQuery,
    responses: { 200: { description: 'Matching passages, best first', schema: searchAnswer, envelope: 'raw' } },
    security: 'bearer',
  },
  {
    method: 'get',
    path: '/api/v1/documents/{id}',
    summary: 'One document with its processing status',
    tags: [TAG],
    params: integerIdParams,
    responses: { 200: { description: 'The document', schema: document }, 404: notFound },
    security: 'bearer',
  },
  {
    method: 'post',
    path: '/api/v1/documents/{id}/process',
    summary: 'Process a document again',
    description: 'Re-runs text extraction, notes and search passages. Poll the status URL.',
    tags: [TAG],
    params: integerIdParams,
    responses: {
      202: { description: 'Queued', schema: document.extend({ status_url: z.string() }) },
      404: notFound,
    },
    security: 'bearer',
  },
  {
    method: 'get',
    path: '/api/v1/documents/{id}/text',
    summary: 'The extracted text, by page',
    tags: [TAG],
    params: integerIdParams,
    query: textQuery,
    responses: {
      200: {
        description: 'The pages (one, with ?page=)',
        schema: z.object({
          id: z.int(),
          title: z.string(),
          status: z.enum(STATUSES),
          pages: z.array(z.object({ page: z.int(), text: z.string(), method: z.enum(['text', 'ocr']) })),
        }),
      },
      404: { description: 'No such document of yours, or no such page' },
      409: { description: 'The document is not processed (yet)' },
    },
    security: 'bearer',
  },
  {
    method: 'get',
    path: '/api/v1/documents/{id}/download',
    summary: 'A link that downloads the file as uploaded',
    tags: [TAG],
    params: integerIdParams,
    responses: {
      200: { description: 'A presigned or signed link and when it expires', schema: z.object({ url: z.string(), expires_at: isoTimestamp }) },
      404: notFound,
    },
    security: 'bearer',
  },
  {
    method: 'get',
    path: '/api/v1/documents/{id}/notes',
    summary: 'Study notes made from the document',
    description: 'A summary, key points and key terms, each with the pages they come from.',
    tags: [TAG],
    params: integerIdParams,
    responses: {
      200: {
        description: 'The notes',
        schema: z.array(note),
        links: {
          putApiV1DocumentsByIdNotesByNoteId: {
            operationId: 'putApiV1DocumentsByIdNotesByNoteId',
            parameters: { id: '$response.body#/data/0/document_id', note_id: '$response.body#/data/0/id' },
          },
        },
      },
      404: notFound,
      409: { description: 'The document is not processed (yet)' },
    },
    security: 'bearer',
  },
  {
    method: 'put',
    path: '/api/v1/documents/{id}/notes/{note_id}',
    summary: 'Edit a note',
    tags: [TAG],
    params: integerIdParams.extend({ note_id: z.coerce.number().int().min(1).max(2_147_483_647) }),
    body: noteEdit,
    responses: { 200: { description: 'The note as saved', schema: note }, 404: { description: 'No such document or note of yours' } },
    security: 'bearer',
  },
  {
    method: 'delete',
    path: '/api/v1/documents/{id}',
    summary: 'Delete a document with its file, text, passages and notes',
    tags: [TAG],
    params: integerIdParams,
    responses: { 200: { description: 'Deleted', schema: deletedResult(z.int()) }, 404: notFound },
    security: 'bearer',
  },
]);
