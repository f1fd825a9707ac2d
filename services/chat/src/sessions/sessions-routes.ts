import { Router } from 'express';
import { z } from 'zod';
import { currentUser } from '@learner/common/auth';
import { paginationSchema, parseInput, sendData, sendList } from '@learner/common/http';
import type { ChatSession } from './sessions-repository.js';
import type { SessionsService } from './sessions-service.js';

const DEFAULT_TITLE = 'New chat';

export const idParams = z.object({
  id: z
    .string()
    .regex(/^\d{1,15}$/, 'must be a positive whole number')
    .transform(Number)
    .refine((n) => n > 0, 'must be a positive whole number'),
});

/** The session id of a `/sessions/:id…` path; 400 when it is not one. */
export function sessionIdOf(params: unknown): number {
  return parseInput(idParams, params, 'session id').id;
}

const title = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

export const createSessionBody = z.strictObject({
  title: title.nullable().optional(),
  document_ids: z
    .array(z.number().int('must be whole numbers').positive('must be positive').max(2_147_483_647, 'is not a document id'))
    .max(50, 'at most 50 documents')
    .optional(),
});

export const renameBody = z.strictObject({ title });

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

/** `/api/v1/chat/sessions[/:id]`; identity comes only from req.user. */
export function createSessionsRouter(service: SessionsService): Router {
  const router = Router();

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
    sendData(res, sessionJson(await service.getSession(currentUser(req), sessionIdOf(req.params))));
  });

  router.patch('/sessions/:id', async (req, res) => {
    const id = sessionIdOf(req.params);
    const body = parseInput(renameBody, req.body);
    sendData(res, sessionJson(await service.renameSession(currentUser(req), id, body.title)));
  });

  router.delete('/sessions/:id', async (req, res) => {
    const id = sessionIdOf(req.params);
    await service.deleteSession(currentUser(req), id);
    sendData(res, { id, deleted: true });
  });

  return router;
}
