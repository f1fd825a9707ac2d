import { routes as chatRoutes } from '@learner/chat/openapi';
import { routes as documentRoutes } from '@learner/document/openapi';
import { buildOpenApiDocument, type OpenApiDocument } from '@learner/common/openapi';
import { routes as quizRoutes } from '@learner/quiz/openapi';
import { routes as sttRoutes } from '@learner/stt/openapi';
import { routes as ttsRoutes } from '@learner/tts/openapi';
import { routes as gatewayRoutes } from '../openapi.js';

/** The version of the public contract (the /api/v1 routes), not of any one service. */
const API_VERSION = '1.0.0';

const DESCRIPTION = [
  'Every route of the platform, as the gateway serves it. Routes under /api/v1, except register, login and',
  'refresh, need `Authorization: Bearer <token>` (the token from register or login).',
  '',
  'Success bodies are `{status: "success", data, timestamp}`; lists add `pagination` and take `?page=` (from 1)',
  'and `?limit=` (1–100, default 20). Errors are `{error, message, details, request_id, timestamp}`.',
  'Every answer carries `X-Request-ID` and the rate-limit headers `X-RateLimit-Limit`, `X-RateLimit-Remaining`',
  'and `X-RateLimit-Reset`: 100 requests a minute per user, per IP before sign-in.',
].join('\n');

const TAGS = [
  { name: 'auth', description: 'Accounts, tokens and sessions (the gateway)' },
  { name: 'documents', description: 'Uploads, text extraction, notes and search (document service)' },
  { name: 'chat', description: 'Tutor sessions grounded in your documents (chat service)' },
  { name: 'quizzes', description: 'Quizzes from your documents, grading and results (quiz service)' },
  { name: 'tts', description: 'Text to speech (tts service)' },
  { name: 'stt', description: 'Speech to text (stt service)' },
  { name: 'probes', description: 'Health, readiness, metrics and this documentation' },
];

let built: OpenApiDocument | undefined;

/** The OpenAPI document of every public route: the gateway's own and each service's, from their zod schemas. */
export function buildApiDocument(): OpenApiDocument {
  built ??= buildOpenApiDocument(
    {
      info: { title: 'Learner Platform API', version: API_VERSION, description: DESCRIPTION },
      servers: [{ url: '/', description: 'This gateway' }],
      tags: TAGS,
    },
    [...gatewayRoutes, ...documentRoutes, ...chatRoutes, ...quizRoutes, ...ttsRoutes, ...sttRoutes],
  );
  return built;
}
