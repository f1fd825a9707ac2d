import { randomUUID } from 'node:crypto';
import { assertUserNotErased } from '@learner/common/contracts';
import { withTransaction, type Pool } from '@learner/common/db';
import { NotFoundError, ValidationError } from '@learner/common/errors';
import { createEvent, enqueueEvent, TOPICS } from '@learner/common/events';
import type { RequestUser } from '@learner/common/http';
import type { Logger } from '@learner/common/logger';
import type { ObjectStorage } from '@learner/common/storage';
import type { Recognizer } from '../recognizers/recognizer.js';
import { CONTENT_TYPES, checkRecording } from './detect-audio-type.js';
import { createTranscriptionRepository, type TranscriptionRecord } from './transcription-repository.js';

export interface Upload {
  bytes: Buffer;
  filename: string;
  language?: string;
  speakerLabels: boolean;
  /** Make a study pack (document, notes, quiz) of the transcript, with this title. */
  studyPackTitle?: string | undefined;
}

export function createTranscriptionService(deps: {
  pool: Pool;
  storage: ObjectStorage;
  recognizer: Recognizer;
  logger?: Logger;
  /** Wakes the worker when a job was queued. */
  onQueued?: () => void;
}) {
  const { pool, storage, recognizer } = deps;
  const jobs = createTranscriptionRepository(pool);

  const owned = async (user: RequestUser, id: string): Promise<TranscriptionRecord> => {
    const job = await jobs.findForUser(user.id, id);
    if (!job) throw new NotFoundError('No such transcription');
    return job;
  };

  return {
    /** Stores the audio and queues the job; the transcription itself happens in the worker. */
    async submit(user: RequestUser, requestId: string, upload: Upload): Promise<TranscriptionRecord> {
      const kind = await checkRecording(upload.bytes);
      const language = upload.language ?? recognizer.defaultLanguage;
      if (!recognizer.supportsLanguage(language)) {
        throw new ValidationError(`The ${recognizer.name} engine cannot transcribe this language`, { language: 'not supported' });
      }

      const id = randomUUID();
      const storageKey = `audio/${id}.${kind}`;
      await storage.put(storageKey, upload.bytes, { contentType: CONTENT_TYPES[kind] });
      try {
        const job = await withTransaction(pool, async (tx) => {
          // An erasure of the account that arrived while the recording was stored: keep nothing.
          await assertUserNotErased(tx, user.id);
          const created = await jobs.insert(
            {
              id,
              userId: user.id,
              filename: upload.filename,
              mediaFormat: kind,
              sizeBytes: upload.bytes.length,
              storageKey,
              language,
              speakerLabels: upload.speakerLabels,
              engine: recognizer.name,
              studyPackTitle: upload.studyPackTitle,
            },
            tx,
          );
          await enqueueEvent(
            tx,
            TOPICS.transcriptionRequested,
            createEvent({
              type: TOPICS.transcriptionRequested,
              userId: user.id,
              service: 'stt',
              payload: {
                request_id: requestId,
                job_id: id,
                filename: upload.filename,
                media_format: kind,
                size_bytes: upload.bytes.length,
                language,
                speaker_labels: upload.speakerLabels,
                engine: recognizer.name,
                study_pack: upload.studyPackTitle !== undefined,
                s3_url: storage.uri(storageKey),
              },
            }),
          );
          return created;
        });
        deps.onQueued?.();
        return job;
      } catch (err) {
        await storage.delete(storageKey).catch(() => undefined);
        throw err;
      }
    },

    get: owned,

    list(user: RequestUser, page: { limit: number; offset: number }) {
      return jobs.listForUser(user.id, page);
    },

    async remove(user: RequestUser, id: string): Promise<void> {
      const job = await jobs.deleteForUser(user.id, id);
      if (!job) throw new NotFoundError('No such transcription');
      await storage.delete(job.storageKey).catch((err: unknown) => {
        deps.logger?.warn({ err, key: job.storageKey }, 'could not delete stored audio');
      });
      // A job still running writes its transcript later; the worker removes that one when it ends.
      await recognizer.discard(job.id).catch((err: unknown) => {
        deps.logger?.warn({ err, job_id: job.id }, 'could not remove the engine copy of a transcript');
      });
    },

    async setDocument(id: string, documentId: number): Promise<void> {
      await jobs.setDocument(id, documentId);
    },
  };
}

export type TranscriptionService = ReturnType<typeof createTranscriptionService>;
