import { Router } from 'express';
import { z } from 'zod';
import { currentUser } from '@learner/common/auth';
import { ConflictError } from '@learner/common/errors';
import { parseInput, sendData } from '@learner/common/http';
import type { TranscriptionService } from '../transcriptions/transcription-service.js';
import type { DocumentClient } from './document-client.js';
import { transcriptFilename, transcriptToText } from './transcript-document.js';

export const saveBody = z.strictObject({ title: z.string().trim().min(1).max(500).optional() });

/** `POST /transcriptions/:id/document`: a completed transcript becomes a document of the same user. */
export function createDocumentsRouter(deps: { transcriptions: TranscriptionService; documents: DocumentClient }): Router {
  const router = Router();
  router.post('/transcriptions/:id/document', async (req, res) => {
    const body = parseInput(saveBody, req.body);
    const user = currentUser(req);
    const job = await deps.transcriptions.get(user, req.params.id);
    if (job.status !== 'completed') {
      throw new ConflictError('The transcription is not completed yet', { status: job.status });
    }
    const text = transcriptToText(job.transcript ?? '', job.segments);
    if (!text) throw new ConflictError('The transcript is empty: no speech was recognized in the recording');
    const doc = await deps.documents.createTextDocument(user, req.requestId, {
      title: body.title ?? `Transcript: ${job.filename}`.slice(0, 500),
      filename: transcriptFilename(job.filename),
      text,
      source: 'stt',
    });
    await deps.transcriptions.setDocument(job.id, doc.id);
    sendData(res, doc, 201);
  });
  return router;
}
