import { z } from 'zod';
import { storedAudio as audio, synthesizeRequest } from '@learner/common/contracts';
import { paginationSchema } from '@learner/common/http';
import { deletedResult, defineRoutes, linksToId, uuidIdParams, type RouteDoc } from '@learner/common/openapi';
import { voicesQuery } from './audio/audio-routes.js';

const TAG = 'tts';
const NOT_FOUND = { description: 'No such audio of yours' };

const voice = z.object({
  id: z.string(),
  name: z.string(),
  language: z.string().describe('BCP 47 tag, e.g. en-US'),
  gender: z.enum(['female', 'male', 'neutral']),
  engine: z.string().describe('Which engine speaks it: Polly standard or neural, hibari (the local neural voice), flite, espeak-ng'),
  available: z.boolean().describe('Whether it can speak right now; the local neural voice is not while its server is down'),
  stand_in_voice_id: z.string().nullable().optional().describe('Only when unavailable: the voice that speaks in its place'),
  unavailable_reason: z.string().nullable().optional().describe('Only when unavailable: why'),
});

export const routes: RouteDoc[] = defineRoutes([
  {
    method: 'get',
    path: '/api/v1/tts/voices',
    summary: 'The voices that can speak, optionally of one language',
    tags: [TAG],
    query: voicesQuery,
    responses: {
      200: {
        description: 'The voices',
        schema: z.object({
          voices: z.array(voice),
          default_voice_id: z.string().nullable().describe('The voice used when a request names none'),
        }),
      },
    },
    security: 'bearer',
  },
  {
    method: 'post',
    path: '/api/v1/tts/synthesize',
    summary: 'Turn text (or SSML) into speech',
    description:
      'Give exactly one of `text` and `ssml`. The audio is stored and kept in your history. Without `voice_id`, English is read ' +
      'by the default voice (`default_voice_id` of GET /api/v1/tts/voices). A voice that is unavailable right now (the local ' +
      'neural voice while its server is down) is spoken by its stand-in, and `voice_id` in the answer names the voice that spoke.',
    tags: [TAG],
    body: synthesizeRequest,
    responses: {
      201: {
        description: 'The stored audio with a download link',
        schema: audio,
        links: linksToId(['getApiV1TtsAudioById', 'deleteApiV1TtsAudioById']),
      },
    },
    security: 'bearer',
  },
  {
    method: 'get',
    path: '/api/v1/tts/audio',
    summary: 'Your synthesis history, newest first',
    tags: [TAG],
    query: paginationSchema,
    responses: { 200: { description: 'A page of audio', schema: audio, envelope: 'list' } },
    security: 'bearer',
  },
  {
    method: 'get',
    path: '/api/v1/tts/audio/{id}',
    summary: 'One audio, with a fresh download link',
    tags: [TAG],
    params: uuidIdParams,
    responses: { 200: { description: 'The audio', schema: audio }, 404: NOT_FOUND },
    security: 'bearer',
  },
  {
    method: 'delete',
    path: '/api/v1/tts/audio/{id}',
    summary: 'Delete an audio and its file',
    tags: [TAG],
    params: uuidIdParams,
    responses: { 200: { description: 'Deleted', schema: deletedResult(z.string()) }, 404: NOT_FOUND },
    security: 'bearer',
  },
]);
