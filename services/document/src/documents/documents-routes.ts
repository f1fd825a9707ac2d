import { Router, type Request, type RequestHandler } from 'express';
import multer from 'multer';
import { z } from 'zod';
import { currentUser } from '@learner/common/auth';
import { NotFoundError, ValidationError } from '@learner/common/errors';
import { pageOffset, paginationSchema, parseInput, sendData, sendList } from '@learner/common/http';
import { plainText } from '../text/plain-text.js';
import type { DocumentService } from './document-service.js';
import { documentView } from './document-view.js';

export const uploadFields = z.strictObject({
  title: plainText().pipe(z.string().trim().min(1).max(500)).optional(),
  study_pack: z
    .enum(['true', 'false', '1', '0'], 'must be true or false')
    .transform((v) => v === 'true' || v === '1')
    .optional(),
});

export const listQuery = paginationSchema
  .extend({
    status: z.enum(['uploaded', 'processing', 'completed', 'failed']).optional(),
    q: plainText().pipe(z.string().trim().max(200)).optional(),
  })
  .strict();

export const textQuery = z.strictObject({
  page: z.coerce.number().int().min(1).max(100_000).optional(),
});

/** A path id; anything that is not a positive integer names no document. */
export function documentIdOf(req: Request, name = 'id'): number {
  const raw = req.params[name];
  const id = typeof raw === 'string' && /^\d{1,10}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(id) || id <= 0) throw new NotFoundError('Document not found');
  return id;
}

/** Public routes under /api/v1/documents (the gateway forwards paths unchanged). */
export function createDocumentsRouter(deps: { documents: DocumentService; maxFileSize: number }): Router {
  const router = Router();
  const parseForm = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: deps.maxFileSize, files: 1, fields: 5, fieldSize: 10_000, parts: 8 },
    defParamCharset: 'utf8',
  }).single('file');
  // Multer's own errors (size, counts) are mapped by the common error handler; a body that is not
  // valid multipart fails inside busboy with a plain Error, which is the client's mistake too.
  const receiveFile: RequestHandler = (req, res, next) => {
    parseForm(req, res, (err?: unknown) => {
      if (err === undefined || err === null || (err as { name?: string }).name === 'MulterError') {
        next(err);
        return;
      }
      next(new ValidationError('The upload form could not be read: it is incomplete or malformed'));
    });
  };

  const upload: RequestHandler = async (req, res) => {
    const user = currentUser(req);
    const fields = parseInput(uploadFields, { ...req.body }, 'upload form');
    if (!req.file) throw new ValidationError('A file is required in the form field "file"', { file: 'required' });
    const doc = await deps.documents.upload({
      userId: user.id,
      bytes: req.file.buffer,
      filename: req.file.originalname,
      title: fields.title,
      ...(fields.study_pack ? { studyPack: { audio: true } } : {}),
    });
    sendData(res, documentView(doc, await deps.documents.studyPacks([doc.id])), 201);
  };
  router.post('/upload', receiveFile, upload);
  router.post('/', receiveFile, upload);

  router.get('/', async (req, res) => {
    const user = currentUser(req);
    const query = parseInput(listQuery, req.query, 'query');
    const { items, total } = await deps.documents.list(user.id, {
      status: query.status,
      titleContains: query.q || undefined,
      limit: query.limit,
      offset: pageOffset(query),
    });
    const packs = await deps.documents.studyPacks(items.map((d) => d.id));
    sendList(res, items.map((d) => documentView(d, packs)), query, total);
  });

  router.get('/:id', async (req, res) => {
    const doc = await deps.documents.get(currentUser(req).id, documentIdOf(req));
    sendData(res, documentView(doc, await deps.documents.studyPacks([doc.id])));
  });

  router.post('/:id/process', async (req, res) => {
    const doc = await deps.documents.requeue(currentUser(req).id, documentIdOf(req));
    sendData(res, { ...documentView(doc), status_url: `/api/v1/documents/${doc.id}` }, 202);
  });

  router.get('/:id/text', async (req, res) => {
    const query = parseInput(textQuery, req.query, 'query');
    const { doc, pages } = await deps.documents.text(currentUser(req).id, documentIdOf(req), query.page);
    sendData(res, {
      id: doc.id,
      title: doc.title,
      status: doc.status,
      pages: pages.map((p) => ({ page: p.page, text: p.text, method: p.method })),
    });
  });

  router.get('/:id/download', async (req, res) => {
    sendData(res, await deps.documents.downloadUrl(currentUser(req).id, documentIdOf(req)));
  });

  router.delete('/:id', async (req, res) => {
    const doc = await deps.documents.remove(currentUser(req).id, documentIdOf(req));
    sendData(res, { id: doc.id, deleted: true });
  });

  return router;
}
