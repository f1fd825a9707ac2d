import { Router } from 'express';
import { z } from 'zod';
import { currentUser } from '@learner/common/auth';
import { ValidationError } from '@learner/common/errors';
import { parseInput, sendData } from '@learner/common/http';
import { recordingUpload } from '../transcriptions/transcriptions-routes.js';
import { MAX_PRACTICE_CHARACTERS, type PracticeResult, type PracticeService } from './practice-service.js';

const positiveId = z
  .string()
  .regex(/^[1-9]\d{0,15}$/, 'must be a positive whole number')
  .transform(Number);

export const practiceFields = z
  .strictObject({
    text: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(MAX_PRACTICE_CHARACTERS, `must be at most ${MAX_PRACTICE_CHARACTERS} characters`)
      .optional()
      .describe('The text the learner was asked to read'),
    document_id: positiveId.optional().describe('With passage_id: read the expected text from a passage of your document'),
    passage_id: positiveId.optional().describe('A passage id, as search results give it'),
    language: z
      .string()
      .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as en-US')
      .optional(),
  })
  .superRefine((fields, ctx) => {
    const passage = fields.document_id !== undefined || fields.passage_id !== undefined;
    if (fields.text === undefined && !passage) {
      ctx.addIssue({ code: 'custom', path: ['text'], message: 'text, or document_id with passage_id, is required' });
    }
    if (fields.text !== undefined && passage) {
      ctx.addIssue({ code: 'custom', path: ['text'], message: 'give text or a passage, not both' });
    }
    if (passage && (fields.document_id === undefined || fields.passage_id === undefined)) {
      ctx.addIssue({ code: 'custom', path: [fields.document_id === undefined ? 'document_id' : 'passage_id'], message: 'document_id and passage_id go together' });
    }
  });

function present(result: PracticeResult) {
  return {
    score: result.score,
    counts: result.counts,
    words_per_minute: result.wordsPerMinute,
    words: result.words,
    expected_text: result.expectedText,
    source:
      result.source.type === 'text'
        ? { type: 'text' }
        : {
            type: 'passage',
            document_id: result.source.documentId,
            passage_id: result.source.passageId,
            title: result.source.title,
            page: result.source.page,
          },
    engine: result.engine,
    language: result.language,
    media_format: result.mediaFormat,
    duration_seconds: result.durationSeconds,
  };
}

/** `POST /practice`: a recording of a text read aloud, scored word by word against the text. */
export function createPracticeRouter(deps: { practice: PracticeService; maxFileSize: number }): Router {
  const router = Router();
  // A text of MAX_PRACTICE_CHARACTERS characters fits even when every one takes four bytes.
  const upload = recordingUpload(deps.maxFileSize, 4 * MAX_PRACTICE_CHARACTERS);

  router.post('/practice', upload, async (req, res) => {
    const fields = parseInput(practiceFields, { ...req.body }, 'form');
    if (!req.file) throw new ValidationError('The multipart field "audio" with the recording is required', { audio: 'required' });
    const result = await deps.practice.score(currentUser(req), req.requestId, {
      bytes: req.file.buffer,
      ...(fields.text !== undefined ? { text: fields.text } : {}),
      ...(fields.document_id !== undefined && fields.passage_id !== undefined
        ? { passage: { documentId: fields.document_id, passageId: fields.passage_id } }
        : {}),
      ...(fields.language ? { language: fields.language } : {}),
    });
    sendData(res, present(result));
  });
  return router;
}
