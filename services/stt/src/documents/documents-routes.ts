import { Router } from 'express';
import { z } from 'zod';
import { currentUser } from '@learner/common/auth';
import { parseInput, sendData } from '@learner/common/http';
import type { DocumentsService } from './documents-service.js';

export const saveBody = z.strictObject({ title: z.string().trim().min(1).max(500).optional() });

/** `POST /transcriptions/:id/document`: a completed transcript becomes a document of the same user. */
export function createDocumentsRouter(deps: { documents: DocumentsService }): Router {
  const router = Router();
  router.post('/transcriptions/:id/document', async (req, res) => {
    const body = parseInput(saveBody, req.body);
    sendData(res, await deps.documents.saveTranscript(currentUser(req), req.requestId, req.params.id, { title: body.title }), 201);
  });
  return router;
}
