import { z } from 'zod';
import { paginationSchema } from '@learner/common/http';
import { deletedResult, defineRoutes, isoTimestamp, uuidIdParams, type RouteDoc } from '@learner/common/openapi';
import { saveBody } from './documents/document.routes.js';
import { AUDIO_KINDS } from './recognizers/recognizer.js';
import { uploadFields } from './transcriptions/stt.routes.js';

const TAG = 'stt';
const NOT_FOUND = { description: 'No such transcription of yours' };

const transcription = z.object({
  id: z.uuid(),
  task_id: z.uuid().describe('The same as id'),
  status: z.enum(['queued', 'in_progress', 'completed', 'failed']),
  status_url: z.string(),
  filename: z.string(),
  media_format: z.enum(AUDIO_KINDS),
  size_bytes: z.int(),
  language: z.string(),
  speaker_labels: z.boolean(),
  engine: z.string(),
  transcript: z.string().nullable(),
  confidence: z.number().nullable(),
  segments: z.array(
    z.object({ start: z.number(), end: z.number(), speaker: z.string().nullable(), text: z.string(), confidence: z.number().nullable() }),
  ),
  duration_seconds: z.number().nullable(),
  error: z.string().nullable(),
  document_id: z.int().nullable().describe('The document the transcript was saved as'),
  created_at: isoTimestamp,
  started_at: isoTimestamp.nullable(),
  completed_at: isoTimestamp.nullable(),
});

const readOne = (path: string, summary: string): RouteDoc => ({
  method: 'get',
  path,
  summary,
  tags: [TAG],
  params: uuidIdParams,
  responses: { 200: { description: 'The transcription; poll until status is completed or failed', schema: transcription }, 404: NOT_FOUND },
  security: 'bearer',
});

export const routes: RouteDoc[] = defineRoutes([
  {
    method: 'post',
    path: '/api/v1/stt/transcribe',
    summary: 'Upload a recording to be transcribed in the background',
    tags: [TAG],
    multipart: {
      files: { audio: { description: `The recording: ${AUDIO_KINDS.join(', ')} (checked by content, not by name)` } },
      fields: uploadFields,
    },
    responses: {
      202: { description: 'Queued; poll status_url (also in the Location header)', schema: transcription },
      413: { description: 'The file is larger than MAX_FILE_SIZE' },
      415: { description: 'The file is not audio of an accepted type' },
    },
    security: 'bearer',
  },
  readOne('/api/v1/stt/status/{id}', 'The status (and, once completed, the transcript) of a transcription'),
  readOne('/api/v1/stt/transcriptions/{id}', 'One transcription'),
  {
    method: 'get',
    path: '/api/v1/stt/transcriptions',
    summary: 'Your transcriptions, newest first',
    tags: [TAG],
    query: paginationSchema,
    responses: { 200: { description: 'A page of transcriptions', schema: transcription, envelope: 'list' } },
    security: 'bearer',
  },
  {
    method: 'delete',
    path: '/api/v1/stt/transcriptions/{id}',
    summary: 'Delete a transcription and its recording',
    tags: [TAG],
    params: uuidIdParams,
    responses: { 200: { description: 'Deleted', schema: deletedResult(z.string()) }, 404: NOT_FOUND },
    security: 'bearer',
  },
  {
    method: 'post',
    path: '/api/v1/stt/transcriptions/{id}/document',
    summary: 'Save a completed transcript as a document',
    description: 'The document is then processed like any upload: poll GET /api/v1/documents/{id}.',
    tags: [TAG],
    params: uuidIdParams,
    body: saveBody,
    responses: {
      201: {
        description: 'The new document, as GET /api/v1/documents/{id} answers it',
        schema: z.looseObject({ id: z.int(), title: z.string(), status: z.string() }),
      },
      404: NOT_FOUND,
      409: { description: 'The transcription is not completed, or recognized no speech' },
      503: { description: 'The document service is unavailable' },
    },
    security: 'bearer',
  },
]);
