import { Router, type RequestHandler } from 'express';
import multer from 'multer';
import { z } from 'zod';
import { currentUser } from '@learner/common/auth';
import { ValidationError } from '@learner/common/errors';
import { pageOffset, paginationSchema, parseInput, plainText, sendData, sendList, type RequestUser } from '@learner/common/http';
import type { DocumentClient } from '../documents/document-client.js';
import { readDocumentSide, transcriptionStudyPack, type TranscriptionStudyPack } from '../study-packs/study-pack-view.js';
import type { TranscriptionRecord } from './transcription-repository.js';
import type { TranscriptionService } from './transcription-service.js';

export const uploadFields = z.strictObject({
  language: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as en-US')
    .optional(),
  speaker_labels: z
    .enum(['true', 'false', '1', '0'])
    .transform((v) => v === 'true' || v === '1')
    .optional(),
  study_pack: z
    .enum(['true', 'false', '1', '0'], 'must be true or false')
    .transform((v) => v === 'true' || v === '1')
    .optional(),
  title: plainText().pipe(z.string().trim().min(1).max(500)).optional(),
}).refine((f) => !f.study_pack || f.title !== undefined, { path: ['title'], message: 'required with study_pack=true: the title of the document made from the transcript' });

export function statusUrl(id: string): string {
  return `/api/v1/stt/status/${id}`;
}

export function presentTranscription(job: TranscriptionRecord, studyPack: TranscriptionStudyPack | null = transcriptionStudyPack(job, undefined)) {
  return {
    id: job.id,
    task_id: job.id,
    status: job.status,
    status_url: statusUrl(job.id),
    filename: job.filename,
    media_format: job.mediaFormat,
    size_bytes: job.sizeBytes,
    language: job.language,
    speaker_labels: job.speakerLabels,
    engine: job.engine,
    transcript: job.transcript,
    confidence: job.confidence,
    segments: job.segments,
    duration_seconds: job.durationSeconds,
    error: job.error,
    document_id: job.documentId,
    study_pack: studyPack,
    created_at: job.createdAt.toISOString(),
    started_at: job.startedAt?.toISOString() ?? null,
    completed_at: job.completedAt?.toISOString() ?? null,
  };
}

/**
 * Reads one recording in the multipart field `audio`, in memory, up to `maxFileSize` bytes.
 * Multer's own errors (size, counts) are mapped by the common error handler; a body busboy cannot
 * read (no boundary, a malformed part header) fails with a plain Error: the client's mistake, a 400.
 */
export function recordingUpload(maxFileSize: number, fieldSize = 1024): RequestHandler {
  const parse = multer({
    storage: multer.memoryStorage(),
    // Browsers send file names in UTF-8 without saying so.
    defParamCharset: 'utf8',
    limits: { fileSize: maxFileSize, files: 1, fields: 10, fieldSize },
  }).single('audio');
  return (req, res, next) =>
    parse(req, res, (err?: unknown) =>
      next(err && (err as { name?: string }).name !== 'MulterError' ? new ValidationError('The upload form could not be read: it is incomplete or malformed') : err),
    );
}

export function createTranscriptionsRouter(deps: {
  transcriptions: TranscriptionService;
  maxFileSize: number;
  /** Where a study pack's notes and quiz are read from. */
  documents?: Pick<DocumentClient, 'getDocument'>;
}): Router {
  const router = Router();
  const upload = recordingUpload(deps.maxFileSize);

  /** The transcription with its study pack, the document's side read from the document service. */
  const present = async (user: RequestUser, requestId: string, job: TranscriptionRecord) => {
    const { documents } = deps;
    const side =
      job.studyPack && job.documentId !== null && documents
        ? await readDocumentSide(() => documents.getDocument(user, requestId, job.documentId!))
        : undefined;
    return presentTranscription(job, transcriptionStudyPack(job, side));
  };

  router.post('/transcribe', upload, async (req, res) => {
    const fields = parseInput(uploadFields, { ...req.body }, 'form');
    if (!req.file) throw new ValidationError('The multipart field "audio" with the recording is required', { audio: 'required' });
    const job = await deps.transcriptions.submit(currentUser(req), req.requestId, {
      bytes: req.file.buffer,
      filename: (req.file.originalname || 'audio').slice(0, 255),
      speakerLabels: fields.speaker_labels ?? false,
      ...(fields.language ? { language: fields.language } : {}),
      ...(fields.study_pack ? { studyPackTitle: fields.title } : {}),
    });
    res.setHeader('Location', statusUrl(job.id));
    sendData(res, presentTranscription(job), 202);
  });

  const readOne = async (req: { params: { id: string }; requestId: string } & Parameters<typeof currentUser>[0]) =>
    present(currentUser(req), req.requestId, await deps.transcriptions.get(currentUser(req), req.params.id));

  router.get('/status/:id', async (req, res) => {
    sendData(res, await readOne(req));
  });

  router.get('/transcriptions/:id', async (req, res) => {
    sendData(res, await readOne(req));
  });

  router.get('/transcriptions', async (req, res) => {
    const page = parseInput(paginationSchema, req.query, 'query');
    const { items, total } = await deps.transcriptions.list(currentUser(req), { limit: page.limit, offset: pageOffset(page) });
    sendList(res, await Promise.all(items.map((job) => present(currentUser(req), req.requestId, job))), page, total);
  });

  router.delete('/transcriptions/:id', async (req, res) => {
    await deps.transcriptions.remove(currentUser(req), req.params.id);
    sendData(res, { id: req.params.id, deleted: true });
  });

  return router;
}
