import { withTransaction, type Pool } from '@learner/common/db';
import { createEvent, enqueueEvent, TOPICS } from '@learner/common/events';
import type { Logger } from '@learner/common/logger';
import { UnrecognizableAudioError, type Recognizer } from '../recognizers/recognizer.js';
import { createTranscriptionRepository, type ClaimedJob } from './transcription-repository.js';

export interface WorkerOptions {
  pool: Pool;
  recognizer: Recognizer;
  logger?: Logger;
  pollMs?: number;
  leaseSeconds?: number;
  maxAttempts?: number;
  concurrency?: number;
  /** Wait before a failed attempt is tried again, multiplied by the attempts so far. */
  retryDelaySeconds?: number;
}

export interface TranscriptionWorker {
  start(): void;
  /** Looks for work now instead of at the next poll. */
  wake(): void;
  /** Stops taking jobs and hands the ones in progress back to the queue for the next worker. */
  stop(): Promise<void>;
}

/**
 * Runs queued transcriptions outside the request that asked for them. State lives only in the
 * database, so a job survives a restart: a stopped worker hands its jobs back, and a crashed one's
 * lease runs out and another worker takes the job over.
 */
export function createTranscriptionWorker(options: WorkerOptions): TranscriptionWorker {
  const jobs = createTranscriptionRepository(options.pool);
  const pollMs = options.pollMs ?? 1_000;
  const leaseSeconds = options.leaseSeconds ?? 120;
  const maxAttempts = options.maxAttempts ?? 3;
  const concurrency = options.concurrency ?? 1;
  const retryDelaySeconds = options.retryDelaySeconds ?? 15;
  const log = options.logger;
  const controller = new AbortController();
  const running = new Set<Promise<void>>();
  let started = false;
  let timer: NodeJS.Timeout | undefined;
  let polling: Promise<void> | undefined;

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
          },
        }),
      );
    });
    // Stored, or the transcription was deleted meanwhile: either way the engine's copy goes.
    await options.recognizer.discard(job.id).catch((err: unknown) => {
      options.logger?.warn({ err, job_id: job.id }, 'could not remove the engine copy of a transcript');
    });
  };

  const run = async (job: ClaimedJob): Promise<void> => {
    const jobAbort = new AbortController();
    const onStop = (): void => jobAbort.abort();
    controller.signal.addEventListener('abort', onStop, { once: true });
    const heartbeat = setInterval(() => {
      jobs.renewLease(job, leaseSeconds).then(
        (held) => {
          // Deleted by its owner, or taken over: nobody wants this result any more.
          if (!held) jobAbort.abort();
        },
        (err: unknown) => log?.warn({ err, job: job.id }, 'could not renew a transcription lease'),
      );
    }, (leaseSeconds * 1000) / 3);
    try {
      if (job.attempts > maxAttempts) {
        await jobs.fail(job, `Transcription was given up after ${maxAttempts} attempts`);
        return;
      }
      await finish(job, jobAbort.signal);
      log?.info({ job: job.id }, 'transcription completed');
    } catch (err) {
      if (controller.signal.aborted) {
        await jobs.release(job, { delaySeconds: 0, countAttempt: false }).catch(() => undefined);
      } else if (jobAbort.signal.aborted) {
        log?.info({ job: job.id }, 'transcription abandoned: the job was deleted or taken over');
      } else if (err instanceof UnrecognizableAudioError) {
        await jobs.fail(job, err.message);
      } else if (job.attempts >= maxAttempts) {
        log?.warn({ err, job: job.id }, 'transcription failed for the last time');
        await jobs.fail(job, 'The audio could not be transcribed');
      } else {
        log?.warn({ err, job: job.id, attempt: job.attempts }, 'transcription failed; will retry');
        await jobs.release(job, { delaySeconds: retryDelaySeconds * job.attempts, countAttempt: true });
      }
    } finally {
      clearInterval(heartbeat);
      controller.signal.removeEventListener('abort', onStop);
    }
  };

  const poll = async (): Promise<void> => {
    while (started && running.size < concurrency) {
      const job = await jobs.claimNext(leaseSeconds);
      if (!job) return;
      const task = run(job)
        .catch((err: unknown) => log?.error({ err, job: job.id }, 'transcription bookkeeping failed'))
        .finally(() => {
          running.delete(task);
          tick(0);
        });
      running.add(task);
    }
  };

  function tick(delay: number): void {
    if (!started) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (polling) return;
      polling = poll()
        .catch((err: unknown) => log?.warn({ err }, 'could not look for transcription jobs'))
        .finally(() => {
          polling = undefined;
          tick(pollMs);
        });
    }, delay);
  }

  return {
    start() {
      if (started) return;
      started = true;
      tick(0);
    },
    wake() {
      tick(0);
    },
    async stop() {
      started = false;
      clearTimeout(timer);
      controller.abort();
      await polling;
      await Promise.all([...running]);
    },
  };
}
