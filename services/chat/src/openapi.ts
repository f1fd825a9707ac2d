import { z } from 'zod';
import { paginationSchema } from '@learner/common/http';
import { deletedResult, defineRoutes, isoTimestamp, linksToId, type RouteDoc } from '@learner/common/openapi';
import { messageBody } from './messages/messages-routes.js';
import { createSessionBody, idParams, renameBody } from './sessions/sessions-routes.js';

const TAG = 'chat';
const NOT_FOUND = { description: 'No such session of yours' };

const session = z.object({
  id: z.int(),
  title: z.string(),
  document_ids: z.array(z.int()).describe('The documents answers are drawn from; empty means all of yours'),
  message_count: z.int(),
  created_at: isoTimestamp,
  updated_at: isoTimestamp,
});

const message = z.object({
  id: z.int(),
  session_id: z.int(),
  role: z.enum(['user', 'assistant']),
  content: z.string(),
  citations: z.array(
    z.object({
      document_id: z.int(),
      title: z.string(),
      page: z.int().nullable(),
      snippet: z.string(),
      document_deleted: z.boolean().describe('The cited document was deleted since; its title and the quoted snippet stay'),
    }),
  ),
  answer_source: z.string().nullable().describe('How the answer was made (assistant messages)'),
  retrieval: z
    .string()
    .nullable()
    .describe('How the passages behind the answer were found: hybrid (words and meaning) or full_text (words only); null for user messages'),
  retrieval_reason: z.string().nullable().describe('Why the search fell back to words only (e.g. the embedding server is unavailable)'),
  created_at: isoTimestamp,
});

const sessionRoute = (method: 'get' | 'patch' | 'delete', summary: string, extra: Partial<RouteDoc>): RouteDoc => ({
  method,
  path: '/api/v1/chat/sessions/{id}',
  summary,
  tags: [TAG],
  params: idParams,
  responses: { 200: { description: 'The session', schema: session }, 404: NOT_FOUND },
  security: 'bearer',
  ...extra,
});

export const routes: RouteDoc[] = defineRoutes([
  {
    method: 'post',
    path: '/api/v1/chat/sessions',
    summary: 'Start a chat session, optionally focused on some of your documents',
    tags: [TAG],
    body: createSessionBody,
    responses: {
      201: {
        description: 'The session',
        schema: session,
        links: linksToId([
          'getApiV1ChatSessionsById',
          'patchApiV1ChatSessionsById',
          'postApiV1ChatSessionsByIdMessages',
          'getApiV1ChatSessionsByIdMessages',
          'deleteApiV1ChatSessionsById',
        ]),
      },
      404: { description: 'A document is not yours or does not exist' },
    },
    security: 'bearer',
  },
  {
    method: 'get',
    path: '/api/v1/chat/sessions',
    summary: 'List your sessions, most recent first',
    tags: [TAG],
    query: paginationSchema,
    responses: { 200: { description: 'A page of sessions', schema: session, envelope: 'list' } },
    security: 'bearer',
  },
  sessionRoute('get', 'One session', {}),
  sessionRoute('patch', 'Rename a session', { body: renameBody }),
  sessionRoute('delete', 'Delete a session and its messages', {
    responses: { 200: { description: 'Deleted', schema: deletedResult(z.int()) }, 404: NOT_FOUND },
  }),
  {
    method: 'post',
    path: '/api/v1/chat/sessions/{id}/messages',
    summary: 'Ask the tutor',
    description: "The answer is grounded in the passages of your documents that match the question, with citations.",
    tags: [TAG],
    params: idParams,
    body: messageBody,
    responses: {
      201: {
        description: 'Your message and the answer',
        schema: z.object({ user_message: message, ai_response: message }),
      },
      404: NOT_FOUND,
    },
    security: 'bearer',
  },
  {
    method: 'get',
    path: '/api/v1/chat/sessions/{id}/messages',
    summary: 'The history of a session, oldest first',
    tags: [TAG],
    params: idParams,
    query: paginationSchema,
    responses: { 200: { description: 'A page of messages', schema: message, envelope: 'list' }, 404: NOT_FOUND },
    security: 'bearer',
  },
]);
