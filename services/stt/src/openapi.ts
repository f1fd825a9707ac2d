import { z } from 'zod';
import { studyPackStatus, studyPackStep } from '@learner/common/contracts';
import { paginationSchema } from '@learner/common/http';
import { deletedResult, defineRoutes, isoTimestamp, linksToId, uuidIdParams, type RouteDoc } from '@learner/common/openapi';
import { saveBody } from './documents/documents-routes.js';
import { AUDIO_KINDS } from './recognizers/recognizer.js';
import { practiceFields } from './practice/practice-routes.js';
import { uploadFields } from './transcriptions/transcriptions-routes.js';

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
  study_pack: z
    .object({
      status: studyPackStatus,
      title: z.string().describe('The title of the document made from the transcript'),
      steps: z.array(studyPackStep).describe('transcribe, document, notes and quiz, in order'),
      document_id: z.int().nullable(),
      quiz_id: z.int().nullable().describe('GET /api/v1/quizzes/{id} once the quiz step is done'),
    })
    .nullable()
    .describe('Asked for with study_pack=true: the document, notes and quiz made from the transcript by themselves; null otherwise'),
  created_at: isoTimestamp,
  started_at: isoTimestamp.nullable(),
  completed_at: isoTimestamp.nullable(),
});

const recording = { audio: { description: `The recording: ${AUDIO_KINDS.join(', ')} (checked by content, not by name)` } };
const uploadRefusals = {
  413: { description: 'The file is larger than MAX_FILE_SIZE' },
  415: { description: 'The file is not audio of an accepted type' },
};

const readOne = (path: string, summary: string): RouteDoc => ({
  method: 'get',
  path,
  summary,
  tags: [TAG],
  params: uuidIdParams,
  responses: { 200: { description: 'The transcription; poll until status is completed or failed', schema: transcription }, 404: NOT_FOUND },
  security: 'bearer',
});

const seconds = z.number().nullable();
const practiceResult = z.object({
  score: z.number().describe('Words read right over the words of the text that could be checked, 0 to 1'),
  counts: z.object({ right: z.int(), missed: z.int(), added: z.int(), misread: z.int(), unchecked: z.int() }),
  words_per_minute: z.int().nullable().describe('Words of the text read per minute, from the first to the last word heard'),
  words: z.array(
    z.object({
      expected: z.string().nullable().describe('The word of the text as written; null for an added word'),
      heard: z.string().nullable().describe('What was heard; null for a missed word'),
      status: z
        .enum(['right', 'missed', 'added', 'misread', 'unchecked'])
        .describe('unchecked: a word the local recogniser has no pronunciation for, left out of the score'),
      start: seconds,
      end: seconds,
      confidence: z.number().nullable(),
    }),
  ),
  expected_text: z.string(),
  source: z.object({
    type: z.enum(['text', 'passage']),
    document_id: z.int().optional(),
    passage_id: z.int().optional(),
    title: z.string().optional(),
    page: z.int().nullable().optional(),
  }),
  engine: z.enum(['pocketsphinx', 'transcribe']),
  language: z.string(),
  media_format: z.enum(AUDIO_KINDS),
  duration_seconds: seconds,
});

export const routes: RouteDoc[] = defineRoutes([
  {
    method: 'post',
    path: '/api/v1/stt/practice',
    summary: 'Score a recording of a text read aloud, word by word',
    description:
      'Send the recording with the text that was to be read, or with document_id and passage_id of one of your documents ' +
      '(search results give passage ids). Each word of the text is marked right, missed or misread, words not in the text ' +
      'as added, with their times in the recording. The local recogniser decodes against a language model of the text; ' +
      'with AWS configured, Amazon Transcribe transcribes it. The answer comes when the scoring is done; nothing is kept.',
    tags: [TAG],
    multipart: { files: recording, fields: practiceFields },
    responses: {
      200: { description: 'The score and every word with its fate and times', schema: practiceResult },
      400: { description: 'No recording, no text or an empty one, a text over 3,000 characters, or audio that does not decode' },
      404: { description: 'No such document or passage of yours' },
      409: { description: 'The document is not processed yet' },
      ...uploadRefusals,
      503: { description: 'Scoring is busy (Retry-After) or took too long, or the document service is unavailable' },
    },
    security: 'bearer',
  },
  {
    method: 'post',
    path: '/api/v1/stt/transcribe',
    summary: 'Upload a recording to be transcribed in the background',
    description:
      'With study_pack=true and a title, the transcript then becomes a document of that title, which is processed ' +
      '(notes) and made into a quiz, all by itself: study_pack in the status shows each step and, at the end, ' +
      'document_id and quiz_id; a failed step says why.',
    tags: [TAG],
    multipart: { files: recording, fields: uploadFields },
    responses: {
      202: {
        description: 'Queued; poll status_url (also in the Location header)',
        schema: transcription,
        links: linksToId([
          'getApiV1SttStatusById',
          'getApiV1SttTranscriptionsById',
          'postApiV1SttTranscriptionsByIdDocument',
          'deleteApiV1SttTranscriptionsById',
        ]),
      },
      ...uploadRefusals,
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
