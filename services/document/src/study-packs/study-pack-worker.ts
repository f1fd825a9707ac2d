import type { Pool } from '@learner/common/db';
import { AppError } from '@learner/common/errors';
import { createLeasedJobRunner, type LeasedJobRunner } from '@learner/common/jobs';
import type { Logger } from '@learner/common/logger';
import { createDocumentRepository } from '../documents/document-repository.js';
import { createNotesRepository } from '../notes/notes-repository.js';
import type { StudyPackClients } from './study-pack-clients.js';
import { createStudyPackRepository, type ClaimedPack } from './study-pack-repository.js';
import { notesToRead } from './notes-to-read.js';

export interface StudyPackWorkerOptions {
  pool: Pool;
  clients: StudyPackClients;
  logger?: Logger;
  /** Questions asked of the quiz service for a pack's quiz. */
  quizQuestions?: number;
  /** Claims of a pack while the quiz or tts service is unavailable, before its step is marked failed. */
  maxAttempts?: number;
  /** Wait before a pack whose service was unavailable is tried again, multiplied by the attempts so far. */
  retryDelayMs?: number;
  pollMs?: number;
  leaseMs?: number;
}

/** The other service gave no answer (down, timed out, failed): worth trying again later. */
function unavailable(err: unknown): boolean {
  return !(err instanceof AppError) || err.status >= 500;
}

function reasonOf(err: unknown): string {
  return err instanceof AppError ? err.message : 'The step failed unexpectedly';
}

/**
 * Makes the rest of a study pack once its document is processed (notes are made by processing): a
 * quiz from the document through the quiz service, then, when asked for, an audio summary of the
 * notes through the tts service. Runs on the shared leased job runner: a stopped process hands the
 * pack to the next. The quiz is asked for under an idempotency key, so a pack taken over after its
 * quiz was made gets the same quiz again rather than a second one.
 */
export function createStudyPackWorker(options: StudyPackWorkerOptions): LeasedJobRunner {
  const packs = createStudyPackRepository(options.pool);
  const documents = createDocumentRepository(options.pool);
  const notes = createNotesRepository(options.pool);
  const maxAttempts = options.maxAttempts ?? 3;
  const retryDelayMs = options.retryDelayMs ?? 10_000;
  const log = options.logger;

  /** Runs one step; false when the pack was released to be tried again (or is no longer held). */
  const step = async (pack: ClaimedPack, name: 'quiz' | 'audio', work: () => Promise<number | string>): Promise<boolean> => {
    if (!(await packs.setStep(pack, name, { status: 'running' }))) return false;
    try {
      const id = await work();
      return packs.setStep(pack, name, { status: 'done', id });
    } catch (err) {
      if (unavailable(err) && pack.attempts < maxAttempts) {
        log?.warn({ err, document_id: pack.documentId, step: name, attempt: pack.attempts }, 'study pack step failed; will retry');
        await packs.setStep(pack, name, { status: 'pending', error: `${reasonOf(err)} (trying again)` });
        await packs.release(pack, retryDelayMs * pack.attempts);
        return false;
      }
      log?.info({ err, document_id: pack.documentId, step: name }, 'study pack step failed');
      return packs.setStep(pack, name, { status: 'failed', error: reasonOf(err) });
    }
  };

  const run = async (pack: ClaimedPack): Promise<void> => {
    const doc = await documents.findForUser(pack.userId, pack.documentId);
    if (!doc) return; // deleted meanwhile: the pack went with it
    // Claimed again and again without an outcome (each run stopped, or lost its lease): give up.
    if (pack.attempts > maxAttempts + 2) {
      const reason = `The step was given up after ${pack.attempts - 1} tries`;
      for (const [name, status] of [['quiz', pack.quizStatus], ['audio', pack.withAudio ? pack.audioStatus : 'done']] as const) {
        if (status !== 'done' && status !== 'failed') await packs.setStep(pack, name, { status: 'failed', error: reason });
      }
      await packs.finish(pack);
      return;
    }
    const user = { id: pack.userId, email: '' };
    if (pack.quizStatus !== 'done' && pack.quizStatus !== 'failed') {
      const quizMade = await step(pack, 'quiz', async () => {
        const quiz = await options.clients.generateQuiz(user, `study-pack:document:${doc.id}`, {
          documentId: doc.id,
          title: `Quiz: ${doc.title}`.slice(0, 500),
          numQuestions: options.quizQuestions ?? 5,
        });
        return quiz.id;
      });
      if (!quizMade && (await packs.find(pack.documentId))?.quizStatus !== 'failed') return;
    }
    if (pack.withAudio && pack.audioStatus !== 'done' && pack.audioStatus !== 'failed') {
      const audioMade = await step(pack, 'audio', async () => {
        const text = notesToRead(await notes.forDocument(doc.id));
        if (!text) throw new AppError(422, 'Unprocessable', 'The document has no notes to read aloud');
        return (await options.clients.synthesize(user, text)).id;
      });
      if (!audioMade && (await packs.find(pack.documentId))?.audioStatus !== 'failed') return;
    }
    await packs.finish(pack);
    log?.info({ document_id: pack.documentId }, 'study pack finished');
  };

  return createLeasedJobRunner<ClaimedPack>({
    name: 'study pack',
    queue: { claim: (leaseMs) => packs.claimNext(leaseMs), renew: (pack, leaseMs) => packs.renewLease(pack, leaseMs) },
    run,
    describe: (pack) => ({ document_id: pack.documentId }),
    ...(log ? { logger: log } : {}),
    concurrency: 1,
    pollMs: options.pollMs ?? 2_000,
    leaseMs: options.leaseMs ?? 120_000,
  });
}
