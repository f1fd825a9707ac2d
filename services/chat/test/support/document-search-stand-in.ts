import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { requireInternalIdentity, createInternalTokens, currentUser } from '@learner/common/auth';
import type { documentSearchAnswer, DocumentSummary } from '@learner/common/contracts';
import { closeServer, errorHandler } from '@learner/common/http';
import type { z } from 'zod';

export interface StandInPassage {
  userId: string;
  document_id: number;
  title: string;
  page: number;
  passage_id: number;
  text: string;
}

/**
 * A stand-in for the document service's internal search (`GET /internal/v1/search`), over fixed
 * passages, answering in the shapes of the document contract (@learner/common/contracts); the
 * real service answers the tutor in tutor-over-real-documents.test.ts. It checks the internal token the
 * way every service does, searches only the calling user's passages, matches all words first and
 * any word when that finds nothing (as the real search does), and can be made slow or failing.
 * `GET /internal/v1/documents/:id` finds the documents the user has passages in.
 */
export async function startDocumentSearchStandIn(options: { secret: string; passages: StandInPassage[] }) {
  const behaviour = { delayMs: 0, status: 200 };
  const requests: Array<{ userId: string; q: string; documentIds: string | undefined; requestId: string | undefined }> = [];
  const app = express();
  app.use(requireInternalIdentity(createInternalTokens({ secret: options.secret, issuer: 'document' })));
  app.get('/internal/v1/search', async (req, res) => {
    const user = currentUser(req);
    const q = String(req.query.q ?? '');
    const ids = typeof req.query.document_ids === 'string' ? req.query.document_ids.split(',').map(Number) : [];
    requests.push({ userId: user.id, q, documentIds: req.query.document_ids as string | undefined, requestId: req.get('x-request-id') });
    if (behaviour.delayMs) await new Promise((r) => setTimeout(r, behaviour.delayMs));
    if (behaviour.status !== 200) {
      res.status(behaviour.status).json({ error: 'ServiceUnavailable', message: 'down for the test' });
      return;
    }
    const words = q.toLowerCase().split(/\s+/).filter(Boolean);
    const own = options.passages.filter((p) => p.userId === user.id && (ids.length === 0 || ids.includes(p.document_id)));
    const has = (p: StandInPassage, w: string) => p.text.toLowerCase().includes(w.replace(/s$/, ''));
    let hits = own.filter((p) => words.length > 0 && words.every((w) => has(p, w)));
    if (hits.length === 0) hits = own.filter((p) => words.some((w) => has(p, w)));
    res.json({
      status: 'success',
      data: hits.map(({ userId: _userId, ...p }, i) => ({ ...p, snippet: p.text.slice(0, 80), rank: 1 / (i + 1), similarity: null })),
      meta: { retrieval: 'full_text' },
      timestamp: new Date().toISOString(),
    } satisfies z.input<typeof documentSearchAnswer>);
  });
  app.get('/internal/v1/documents/:id', (req, res) => {
    const user = currentUser(req);
    const hit = options.passages.find((p) => p.userId === user.id && String(p.document_id) === req.params.id);
    if (!hit) {
      res.status(404).json({ error: 'NotFound', message: 'Document not found' });
      return;
    }
    const data: DocumentSummary = {
      id: hit.document_id,
      title: hit.title,
      filename: `${hit.title}.txt`,
      file_type: 'txt',
      status: 'completed',
      pages: 1,
      text_length: hit.text.length,
      error: null,
    };
    res.json({ status: 'success', data, timestamp: new Date().toISOString() });
  });
  app.use(errorHandler());
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    /** Add passages (and so documents) while running. */
    passages: options.passages,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    behaviour,
    close: () => closeServer(server),
  };
}

/** The address of a port nothing listens on: a stopped document service. */
export { closedPortUrl } from '@learner/common/testing';
