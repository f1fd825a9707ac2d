import { z } from 'zod';
import { AppError } from '@learner/common/errors';
import { TOPICS, type EventConsumer } from '@learner/common/events';
import type { Logger } from '@learner/common/logger';
import type { DocumentClient } from '../documents/document-client.js';
import { transcriptFilename, transcriptToText } from '../documents/transcript-document.js';
import { createTranscriptionRepository } from '../transcriptions/transcription-repository.js';

const completedPayload = z.object({ job_id: z.string().min(1) });

/** Says what went wrong in words a learner can act on; never another service's internals. */
function reasonOf(err: unknown, jobId: string): string {
  const saveByHand = `save the transcript by hand with POST /api/v1/stt/transcriptions/${jobId}/document`;
  if (err instanceof AppError && err.status < 500) return `The document service refused the transcript: ${err.message}`;
  return `The document service could not be reached (${err instanceof AppError ? err.message : 'unexpected failure'}); ${saveByHand}`;
}

/**
 * transcription.completed, as this service's own consumer reads it: the transcript of a study pack
 * becomes a document of the same user, with a study pack of its own (notes, then a quiz) in the
 * document service. Runs in the transaction that records the event as handled, holding the job, and
 * the document is asked for under the transcription's id as origin key: a redelivered event, or
 * one handled again after a crash, answers the same document instead of making a second.
 */
export function onTranscriptionCompleted(events: Pick<EventConsumer, 'on'>, documents: DocumentClient, logger?: Logger): void {
  events.on(TOPICS.transcriptionCompleted, async (event, { db }) => {
    const { job_id: jobId } = completedPayload.parse(event.payload);
    const jobs = createTranscriptionRepository(db);
    const job = await jobs.findAndHold(jobId, db);
    if (!job?.studyPack || job.documentId !== null || job.studyPack.error !== null || job.status !== 'completed') return;
    const text = transcriptToText(job.transcript ?? '', job.segments);
    if (!text) {
      await jobs.setStudyPackError(job.id, 'No speech was recognized in the recording, so there is no transcript to make a document of', db);
      return;
    }
    try {
      const doc = await documents.createTextDocument({ id: job.userId, email: '' }, event.event_id, {
        title: job.studyPack.title,
        filename: transcriptFilename(job.filename),
        text,
        source: 'stt',
        study_pack: { origin_key: `transcription:${job.id}`, audio: false },
      });
      await jobs.setDocument(job.id, doc.id, db);
    } catch (err) {
      logger?.warn({ err, job_id: job.id }, 'the study pack document of a transcription could not be made');
      await jobs.setStudyPackError(job.id, reasonOf(err, job.id), db);
    }
  });
}
