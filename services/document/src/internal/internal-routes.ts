import { Router } from 'express';
import { currentUser } from '@learner/common/auth';
import { newTextDocument, termRelatednessRequest, type DocumentPassages, type DocumentSummary, type TermRelatedness } from '@learner/common/contracts';
import { PayloadTooLargeError } from '@learner/common/errors';
import { parseInput, sendData } from '@learner/common/http';
import type { DocumentService } from '../documents/document-service.js';
import { documentView } from '../documents/document-view.js';
import { documentIdOf } from '../documents/documents-routes.js';
import type { SearchService } from '../search/search-service.js';
import { studyPackView } from '../study-packs/study-pack-view.js';
import { createSearchRouter } from '../search/search-routes.js';

export const MAX_TEXT_BYTES = 5 * 1024 * 1024;

function filenameFor(title: string): string {
  const base = title.replace(/[^\p{L}\p{N} ._-]+/gu, ' ').replace(/\s+/g, ' ').trim().slice(0, 100);
  return `${base || 'document'}.txt`;
}

/**
 * Routes for the other services (chat, quiz, stt), acting for the user named by the internal
 * token; they see only that user's documents, like the public routes.
 */
export function createInternalRouter(deps: { documents: DocumentService; search: SearchService }): Router {
  const router = Router();
  router.use(createSearchRouter({ search: deps.search }));

  router.post('/documents', async (req, res) => {
    const input = parseInput(newTextDocument, req.body);
    const bytes = Buffer.from(input.text, 'utf8');
    if (bytes.length > MAX_TEXT_BYTES) {
      throw new PayloadTooLargeError('The text is larger than 5 MB', { limit_bytes: MAX_TEXT_BYTES });
    }
    const doc = await deps.documents.upload({
      userId: currentUser(req).id,
      bytes,
      filename: input.filename ?? filenameFor(input.title),
      title: input.title,
      source: input.source ?? 'service',
      ...(input.study_pack ? { studyPack: { originKey: input.study_pack.origin_key, audio: input.study_pack.audio } } : {}),
    });
    sendData(res, documentView(doc, await deps.documents.studyPacks([doc.id])), 201);
  });

  router.get('/documents/:id', async (req, res) => {
    const doc = await deps.documents.get(currentUser(req).id, documentIdOf(req));
    const pack = (await deps.documents.studyPacks([doc.id])).get(doc.id);
    sendData(res, {
      id: doc.id,
      title: doc.title,
      filename: doc.filename,
      file_type: doc.fileType,
      status: doc.status,
      pages: doc.pages,
      text_length: doc.textLength,
      error: doc.error,
      study_pack: pack ? studyPackView(doc, pack) : null,
    } satisfies DocumentSummary);
  });

  router.get('/documents/:id/text', async (req, res) => {
    const { doc, pages } = await deps.documents.text(currentUser(req).id, documentIdOf(req));
    sendData(res, { id: doc.id, title: doc.title, status: doc.status, pages: pages.map((p) => ({ page: p.page, text: p.text })) });
  });

  // Cut once at processing: chat and quiz read these instead of segmenting the text again.
  router.get('/documents/:id/passages', async (req, res) => {
    const { doc, passages } = await deps.documents.passages(currentUser(req).id, documentIdOf(req));
    sendData(res, {
      id: doc.id,
      title: doc.title,
      status: doc.status,
      passages: passages.map((p) => ({ id: p.id, page: p.page, position: p.position, text: p.text, heading: p.heading, start_offset: p.start, end_offset: p.end })),
    } satisfies DocumentPassages);
  });

  // Quiz generation weighs a document's key terms by how well a passage of it explains each.
  router.post('/documents/:id/relatedness', async (req, res) => {
    const { terms } = parseInput(termRelatednessRequest, req.body);
    const userId = currentUser(req).id;
    const doc = await deps.documents.get(userId, documentIdOf(req));
    // A quiz that stopped waiting (its own deadline, its learner gone) no longer holds the embedding
    // server, which may be a batch deadline away from answering.
    const caller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) caller.abort();
    });
    const measured = await deps.search.relatedness(userId, doc.id, terms, caller.signal);
    if (caller.signal.aborted) return;
    sendData(res, measured satisfies TermRelatedness);
  });

  return router;
}
