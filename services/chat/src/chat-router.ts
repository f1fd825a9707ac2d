import { Router } from 'express';
import { z } from 'zod';
import { currentUser } from '@learner/common/auth';
import { paginationSchema, parseInput, sendData, sendList } from '@learner/common/http';
import type { ChatMessage, ChatSession } from './chat-repository.js';
import type { ChatService } from './chat-service.js';

const DEFAULT_TITLE = 'New chat';

export const idParams = z.object({
  id: z
    .string()
    .regex(/^\d{1,15}$/, 'must be a positive whole number')
    .transform(Number)
    .refine((n) => n > 0, 'must be a positive whole number'),
});

const title = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

export const createSessionBody = z.strictObject({
  title: title.nullable().optional(),
  document_ids: z
    .array(z.number().int('must be whole numbers').positive('must be positive').max(2_147_483_647, 'is not a document id'))
    .max(50, 'at most 50 documents')
    .optional(),
});

export const renameBody = z.strictObject({ title });

export const messageBody = z.strictObject({
  message: z.string().trim().min(1, 'must not be empty').max(4000, 'must be at most 4000 characters'),
});

function sessionJson(s: ChatSession) {
  return {
    id: s.id,
    title: s.title ?? DEFAULT_TITLE,
    document_ids: s.documentIds,
    message_count: s.messageCount,
    created_at: s.createdAt.toISOString(),
    updated_at: s.updatedAt.toISOString(),
  };
}

function messageJson(m: ChatMessage) {
  return {
    id: m.id,
    session_id: m.sessionId,
    role: m.role,
    content: m.content,
    citations: m.citations.map((c) => ({
      document_id: c.documentId,
      title: c.title,
      page: c.page,
      snippet: c.snippet,
      document_deleted: c.documentDeleted,
    })),
    answer_source: typeof m.metadata.answer_source === 'string' ? m.metadata.answer_source : null,
    retrieval: typeof m.metadata.retrieval === 'string' ? m.metadata.retrieval : null,
    retrieval_reason: typeof m.metadata.retrieval_reason === 'string' ? m.metadata.retrieval_reason : null,
    created_at: m.createdAt.toISOString(),
  };
}

/** `/api/v1/chat/...`; identity comes only from req.user. */
export function createChatRouter(service: ChatService): Router {
  const router = Router();
  const sessionId = (params: unknown) => parseInput(idParams, params, 'session id').id;

  router.post('/sessions', async (req, res) => {
    const body = parseInput(createSessionBody, req.body);
    const session = await service.createSession(
      currentUser(req),
      { title: body.title ?? null, documentIds: body.document_ids ?? [] },
      req.requestId,
    );
    sendData(res, sessionJson(session), 201);
  });

  router.get('/sessions', async (req, res) => {
    const page = parseInput(paginationSchema, req.query, 'query');
    const { items, total } = await service.listSessions(currentUser(req), page);
    sendList(res, items.map(sessionJson), page, total);
  });

  router.get('/sessions/:id', async (req, res) => {
    sendData(res, sessionJson(await service.getSession(currentUser(req), sessionId(req.params))));
  });

  router.patch('/sessions/:id', async (req, res) => {
    const id = sessionId(req.params);
    const body = parseInput(renameBody, req.body);
    sendData(res, sessionJson(await service.renameSession(currentUser(req), id, body.title)));
  });

  router.delete('/sessions/:id', async (req, res) => {
    const id = sessionId(req.params);
    await service.deleteSession(currentUser(req), id);
    sendData(res, { id, deleted: true });
  });

  router.post('/sessions/:id/messages', async (req, res) => {
    const id = sessionId(req.params);
    const body = parseInput(messageBody, req.body);
    const { userMessage, reply } = await service.postMessage(currentUser(req), id, body.message, req.requestId);
    sendData(res, { user_message: messageJson(userMessage), ai_response: messageJson(reply) }, 201);
  });

  router.get('/sessions/:id/messages', async (req, res) => {
    const id = sessionId(req.params);
    const page = parseInput(paginationSchema, req.query, 'query');
    const { items, total } = await service.listMessages(currentUser(req), id, page);
    sendList(res, items.map(messageJson), page, total);
  });

  return router;
}
