import express from 'express';
import { assembleDocumentService, serveBehind, uploadDocument } from '@learner/document/testing';
import type { TestUser } from './chat-harness.js';

/**
 * The real document service (assembleDocumentService: its app, a fresh database, local storage and
 * its processing worker; full-text search), on a loopback port behind a pass-through that records
 * the searches chat sends and can be told to hold them (`delayMs`) or to answer them with a 5xx
 * (`status`), which the real service cannot be made to do. Otherwise the real service answers.
 */
export async function startDocuments(options: { secret: string }) {
  const service = await assembleDocumentService({ secret: options.secret, processing: { pollMs: 100 } });
  const behaviour = { delayMs: 0, status: 200 };
  const searches: Array<{ userId: string | undefined; q: string; documentIds: string | undefined }> = [];
  const front = express();
  front.use('/internal/v1/search', async (req, res, next) => {
    searches.push({
      userId: req.get('x-user-id'),
      q: String(req.query.q ?? ''),
      documentIds: typeof req.query.document_ids === 'string' ? req.query.document_ids : undefined,
    });
    if (behaviour.delayMs) await new Promise((r) => setTimeout(r, behaviour.delayMs));
    if (behaviour.status !== 200) {
      res.status(behaviour.status).json({ error: 'ServiceUnavailable', message: 'down for the test' });
      return;
    }
    next();
  });
  const { url, close } = await serveBehind(service, front);
  return {
    url,
    /** Uploads `pages` (a text file, one page each) as `user`'s document and waits until it is processed. */
    upload: (user: TestUser, title: string, pages: string[]) => uploadDocument(url, service.tokens.headersFor(user), { title, pages }),
    /** The searches chat sent, oldest first. */
    searches,
    behaviour,
    close,
  };
}
