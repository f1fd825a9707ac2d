import { randomUUID } from 'node:crypto';
import { NotFoundError, ServiceUnavailableError, ValidationError } from '@learner/common/errors';
import type { RequestUser } from '@learner/common/http';
import { createFairGate } from '@learner/common/jobs';
import type { Logger } from '@learner/common/logger';
import type { ObjectStorage } from '@learner/common/storage';
import type { DocumentClient } from '../documents/document-client.js';
import { readingWords } from '../recognizers/reading-model.js';
import { UnrecognizableAudioError, type AudioKind, type Recognizer } from '../recognizers/recognizer.js';
import { CONTENT_TYPES, checkRecording } from '../transcriptions/detect-audio-type.js';
import { scoreReading, type ReadingScore } from './read-aloud-score.js';

/** The longest text a learner is asked to read at once: a passage, as long as one synthesis. */
export const MAX_PRACTICE_CHARACTERS = 3000;

/** Seconds a caller turned away for a full queue is asked to wait (Retry-After). */
const BUSY_RETRY_SECONDS = 5;

export interface PracticeRequest {
  bytes: Buffer;
  /** The text that was to be read; or the passage of a document it was read from. */
  text?: string;
  passage?: { documentId: number; passageId: number };
  language?: string;
}

export interface PracticeResult extends ReadingScore {
  expectedText: string;
  source: { type: 'text' } | { type: 'passage'; documentId: number; passageId: number; title: string; page: number | null };
  engine: Recognizer['name'];
  language: string;
  mediaFormat: AudioKind;
  durationSeconds: number | null;
}

/**
 * Read-aloud practice: a learner's recording of a text is decoded against that text and each
 * word is marked read right, missed, added or misread, with its times. Scoring runs while the
 * caller waits, a bounded number at once; the recording is kept only for the time it takes.
 */
export function createPracticeService(deps: {
  storage: ObjectStorage;
  recognizer: Recognizer;
  documents: DocumentClient;
  logger?: Logger;
  limits?: { concurrency: number; queue: number };
  /** Longest one scoring may take; past it the caller gets 503. */
  timeoutMs?: number;
}) {
  const { storage, recognizer } = deps;
  const limits = deps.limits ?? { concurrency: 2, queue: 8 };
  // Users take turns at the free places, and one user may fill no more than half the queue.
  const slots = createFairGate({ concurrency: limits.concurrency, queue: limits.queue });
  const timeoutMs = deps.timeoutMs ?? 25_000;

  const expectedText = async (user: RequestUser, requestId: string, request: PracticeRequest) => {
    if (request.text !== undefined) return { text: request.text, source: { type: 'text' as const } };
    const { documentId, passageId } = request.passage!;
    const { title, passages } = await deps.documents.getPassages(user, requestId, documentId);
    const passage = passages.find((p) => p.id === passageId);
    if (!passage) throw new NotFoundError('The document has no passage with this id', { passage_id: passageId });
    return { text: passage.text, source: { type: 'passage' as const, documentId, passageId, title, page: passage.page } };
  };

  const recognize = async (id: string, kind: AudioKind, language: string, text: string) => {
    const storageKey = `practice/${id}.${kind}`;
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      return await recognizer.recognize({ id, storageKey, mediaFormat: kind, language, speakerLabels: false, expectedText: text }, signal);
    } catch (err) {
      if (err instanceof UnrecognizableAudioError) throw new ValidationError(err.message, { audio: 'not decodable' });
      if (signal.aborted) {
        throw new ServiceUnavailableError('Scoring the recording took too long; try a shorter one', { timeout_ms: timeoutMs });
      }
      throw err;
    } finally {
      await Promise.all([storage.delete(storageKey), recognizer.discard(id)]).catch((err: unknown) => {
        deps.logger?.warn({ err, practice_id: id }, 'could not remove a practice recording');
      });
    }
  };

  return {
    async score(user: RequestUser, requestId: string, request: PracticeRequest): Promise<PracticeResult> {
      const kind = await checkRecording(request.bytes);
      const language = request.language ?? recognizer.defaultLanguage;
      if (!recognizer.supportsLanguage(language)) {
        throw new ValidationError(`The ${recognizer.name} engine cannot score readings in this language`, { language: 'not supported' });
      }
      const { text, source } = await expectedText(user, requestId, request);
      if (text.length > MAX_PRACTICE_CHARACTERS) {
        throw new ValidationError(`The text to read is longer than ${MAX_PRACTICE_CHARACTERS} characters`, { text: 'too long' });
      }
      const expected = readingWords(text);
      if (expected.length === 0) throw new ValidationError('The text to read has no words', { text: 'no words' });
      if (!slots.admits(user.id)) {
        throw new ServiceUnavailableError('Scoring is busy right now; try again in a few seconds', {}, BUSY_RETRY_SECONDS);
      }

      return slots.run(user.id, async () => {
        const id = randomUUID();
        await storage.put(`practice/${id}.${kind}`, request.bytes, { contentType: CONTENT_TYPES[kind] });
        const transcript = await recognize(id, kind, language, text);
        const scored = scoreReading(expected, transcript.words ?? [], new Set(transcript.uncheckedWords ?? []));
        return {
          ...scored,
          expectedText: text,
          source,
          engine: recognizer.name,
          language,
          mediaFormat: kind,
          durationSeconds: transcript.durationSeconds,
        };
      });
    },
  };
}

export type PracticeService = ReturnType<typeof createPracticeService>;
