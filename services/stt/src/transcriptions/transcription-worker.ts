import { withTransaction, type Pool } from '@learner/common/db';
import { AppError } from '@learner/common/errors';
import { createEvent, enqueueEvent, TOPICS } from '@learner/common/events';
import { createLeasedJobRunner, type LeasedJobContext, type LeasedJobRunner } from '@learner/common/jobs';
import type { Logger } from '@learner/common/logger';
import { UnrecognizableAudioError, type Recognizer } from '../recognizers/recognizer.js';
import { createTranscriptionRepository, type ClaimedJob } from './transcription-repository.js';

export interface WorkerOptions {
  pool: Pool;
  recognizer: Recognizer;
  logger?: Logger;
  pollMs?: number;
  leaseMs?: number;
  maxAttempts?: number;
  concurrency?: number;
  /** Wait before a failed attempt is tried again, multiplied by the attempts so far. */
  retryDelaySeconds?: number;
}

/** `stop` stops taking jobs and hands the ones in progress back to the queue for the next worker. */
export type TranscriptionWorker = LeasedJobRunner;

/**
 * Runs queued transcriptions outside the request that asked for them, on the shared leased job
 * runner: a stopped worker hands its jobs back, and a crashed one's lease runs out and another
 * worker takes the job over.
 */
export function createTranscriptionWorker(options: WorkerOptions): TranscriptionWorker {
  const jobs = createTranscriptionRepository(options.pool);
  const maxAttempts = options.maxAttempts ?? 3;
  const retryDelaySeconds = options.retryDelaySeconds ?? 15;
  const log = options.logger;

  const finish = async (job: ClaimedJob, signal: AbortSignal): Promise<void> => {
    const transcript = await options.recognizer.recognize(
      { id: job.id, storageKey: job.storageKey, mediaFormat: job.mediaFormat, language: job.language, speakerLabels: job.speakerLabels },
      signal,
    );
    await withTransaction(options.pool, async (tx) => {
      if (!(await jobs.complete(job, transcript, tx))) return;
      await enqueueEvent(
        tx,
        TOPICS.transcriptionCompleted,
        createEvent({
          type: TOPICS.transcriptionCompleted,
          userId: job.userId,
          service: 'stt',
          payload: {
            job_id: job.id,
            transcript: transcript.text,
            confidence: transcript.confidence,
            duration_seconds: transcript.durationSeconds,
            segments: transcript.segments.length,
            language: job.language,
            engine: options.recognizer.name,
            // This service's own consumer then makes the study pack's document from the transcript.
            study_pack: job.studyPack !== null,
          },
        }),
      );
    });
    // Stored, or the transcription was deleted meanwhile: either way the engine's copy goes.
    await options.recognizer.discard(job.id).catch((err: unknown) => {
      options.logger?.warn({ err, job_id: job.id }, 'could not remove the engine copy of a transcript');
    });
  };

  const run = async (job: ClaimedJob, context: LeasedJobContext): Promise<void> => {
    try {
      if (job.attempts > maxAttempts) {
        await jobs.fail(job, `Transcription was given up after ${maxAttempts} attempts`);
        return;
      }
      await finish(job, context.signal);
      log?.info({ job: job.id }, 'transcription completed');
    } catch (err) {
      if (context.stopping) {
        await jobs.release(job, { delaySeconds: 0, countAttempt: false }).catch(() => undefined);
      } else if (context.leaseLost) {
        // Deleted by its owner, or taken over: nobody wants this result any more.
        log?.info({ job: job.id }, 'transcription abandoned: the job was deleted or taken over');
      } else if (err instanceof AppError && err.status === 503) {
        // A dependency (storage) is down: the recording is not at fault, so the try is not counted.
        log?.warn({ err, job: job.id }, `transcription waits: ${err.message}`);
        await jobs.release(job, { delaySeconds: retryDelaySeconds, countAttempt: false });
      } else if (err instanceof UnrecognizableAudioError) {
        await jobs.fail(job, err.message);
      } else if (job.attempts >= maxAttempts) {
        log?.warn({ err, job: job.id }, 'transcription failed for the last time');
        await jobs.fail(job, 'The audio could not be transcribed');
      } else {
        log?.warn({ err, job: job.id, attempt: job.attempts }, 'transcription failed; will retry');
        await jobs.release(job, { delaySeconds: retryDelaySeconds * job.attempts, countAttempt: true });
      }
    }
  };

  return createLeasedJobRunner<ClaimedJob>({
    name: 'transcription',
    queue: { claim: (leaseMs) => jobs.claimNext(leaseMs), renew: (job, leaseMs) => jobs.renewLease(job, leaseMs) },
    run,
    describe: (job) => ({ job: job.id }),
    ...(log ? { logger: log } : {}),
    concurrency: options.concurrency ?? 1,
    pollMs: options.pollMs ?? 1_000,
    leaseMs: options.leaseMs ?? 120_000,
  });
}
