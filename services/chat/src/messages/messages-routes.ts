import { Router } from 'express';
import { z } from 'zod';
import { currentUser } from '@learner/common/auth';
import { paginationSchema, parseInput, sendData, sendList } from '@learner/common/http';
import { sessionIdOf } from '../sessions/sessions-routes.js';
import type { ChatMessage } from './messages-repository.js';
import type { MessagesService } from './messages-service.js';

export const messageBody = z.strictObject({
  message: z.string().trim().min(1, 'must not be empty').max(4000, 'must be at most 4000 characters'),
});

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

/** `/api/v1/chat/sessions/:id/messages`; identity comes only from req.user. */
export function createMessagesRouter(service: MessagesService): Router {
  const router = Router();

  router.post('/sessions/:id/messages', async (req, res) => {
    const id = sessionIdOf(req.params);
    const body = parseInput(messageBody, req.body);
    const { userMessage, reply } = await service.postMessage(currentUser(req), id, body.message, req.requestId);
    sendData(res, { user_message: messageJson(userMessage), ai_response: messageJson(reply) }, 201);
  });

  router.get('/sessions/:id/messages', async (req, res) => {
    const id = sessionIdOf(req.params);
    const page = parseInput(paginationSchema, req.query, 'query');
    const { items, total } = await service.listMessages(currentUser(req), id, page);
    sendList(res, items.map(messageJson), page, total);
  });

  return router;
}
