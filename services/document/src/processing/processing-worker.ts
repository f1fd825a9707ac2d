import { asOwner, type Pool } from '@learner/common/db';
import { createEvent, enqueueEvent, TOPICS } from '@learner/common/events';
import { AppError } from '@learner/common/errors';
import { createLeasedJobRunner, type LeasedJobRunner } from '@learner/common/jobs';
import type { Logger } from '@learner/common/logger';
import { ObjectNotFoundError, type ObjectStorage } from '@learner/common/storage';
import { SERVICE } from '../documents/document-service.js';
import { createDocumentRepository, type DocumentRecord } from '../documents/document-repository.js';
import type { NotesGenerator } from '../notes/notes-generator.js';
import { createNotesRepository } from '../notes/notes-repository.js';
import { createStudyPackRepository } from '../study-packs/study-pack-repository.js';
import type { PassageIndexer } from '../embeddings/passage-indexer.js';
import { bestSimilarity } from '../embeddings/vectors.js';
import { cutPassages } from './cut-passages.js';
import { ProcessingError } from './processing-error.js';
import { createResultWriter, type WriteBatchLimits } from './result-writer.js';
import type { TextExtractor } from './text-extractor.js';

export interface ProcessingWorkerOptions {
  pool: Pool;
  storage: ObjectStorage;
  extractor: TextExtractor;
  /** Absent: no notes are made. */
  notes?: NotesGenerator;
  /** Absent: passages get no vectors (search ranks by full text). */
  embeddings?: PassageIndexer | undefined;
  logger: Logger;
  concurrency?: number;
  pollMs?: number;
  leaseMs?: number;
  maxAttempts?: number;
  /** How long a document waits when a dependency it needs (storage) is down; default 10 s. */
  retryAfterOutageMs?: number;
  /** How much one of the transactions storing a document's results carries; DEFAULT_WRITE_BATCH by default. */
  writeBatch?: WriteBatchLimits;
}

const RETRY_AFTER_OUTAGE_MS = 10_000;

/** `stop` stops claiming and waits for the documents in hand. */
export type ProcessingWorker = LeasedJobRunner;

/**
 * Processes documents in the background of the service, on the shared leased job runner: when the
 * process dies, the lease runs out and the next worker (after a restart, or another replica) takes
 * the document up again.
 */
export function createProcessingWorker(options: ProcessingWorkerOptions): ProcessingWorker {
  const { pool, storage, extractor, logger } = options;
  const documents = createDocumentRepository(pool);
  const writer = createResultWriter({ pool, embeddings: options.embeddings, ...(options.writeBatch ? { limits: options.writeBatch } : {}) });
  const notes = createNotesRepository(pool);
  const maxAttempts = options.maxAttempts ?? 3;

  const complete = async (doc: DocumentRecord, startedAt: number): Promise<void> => {
    const bytes = await storage.get(doc.storageKey);
    const { pages, ocrPages } = await extractor.extract({ bytes, fileType: doc.fileType, storageKey: doc.storageKey });
    const textLength = pages.reduce((n, p) => n + p.text.length, 0);
    if (textLength === 0) throw new ProcessingError('No readable text was found in this document');
    const passages = await cutPassages(pages);
    // The embedding server works on the passages while this process writes the notes; the notes
    // wait for the vectors only to weigh their key terms by how well a passage explains each.
    const embedding = embed(doc, passages.map((p) => p.text));
    const generated = options.notes
      ? await options.notes.generate(pages, options.embeddings ? { relatedness: (terms) => relatednessOf(doc, terms, embedding) } : {})
      : [];
    const vectors = await embedding;
    // Pages and passages go in short transactions of their own; the document is completed, with its
    // notes and its event, in the last one.
    const finished = await writer.write(doc, { pages, passages, vectors }, async (tx) => {
      await notes.replace(doc.id, doc.userId, generated, tx);
      await documents.markCompleted(doc.id, pages.length, textLength, tx);
      const studyPack = (await createStudyPackRepository(tx).find(doc.id)) !== undefined;
      await enqueueEvent(
        tx,
        TOPICS.documentProcessed,
        createEvent({
          type: TOPICS.documentProcessed,
          userId: doc.userId,
          service: SERVICE,
          payload: {
            document_id: doc.id,
            title: doc.title,
            status: 'completed',
            pages_processed: pages.length,
            ocr_pages: ocrPages,
            text_length: textLength,
            duration: Math.round(performance.now() - startedAt) / 1000,
            // Its consumer (this service's study pack) makes the quiz and the audio summary next.
            study_pack: studyPack,
          },
        }),
      );
    });
    if (finished) {
      logger.info(
        { document_id: doc.id, pages: pages.length, passages: passages.length, embedded: Boolean(vectors), ocr_pages: ocrPages, text_length: textLength },
        'document processed',
      );
    }
  };

  /**
   * Vectors of the passages, computed before the transaction so that none is held open while the
   * model works. When the embedding server fails the document is still completed; the backfill
   * embeds its passages once the server answers again.
   */
  /** For each term, the best cosine similarity of a passage to it taken as a question. */
  const relatednessOf = async (
    doc: DocumentRecord,
    terms: string[],
    embedding: Promise<Float32Array[] | undefined>,
  ): Promise<number[] | undefined> => {
    const vectors = await embedding;
    if (!vectors?.length || !options.embeddings) return undefined;
    try {
      const queries = await options.embeddings.embedQueries(terms);
      return queries.map((q) => bestSimilarity(q, vectors));
    } catch (err) {
      logger.warn({ err, document_id: doc.id }, 'key terms chosen without their relatedness (the embedding server failed)');
      return undefined;
    }
  };

  const embed = async (doc: DocumentRecord, texts: string[]): Promise<Float32Array[] | undefined> => {
    if (!options.embeddings || texts.length === 0) return undefined;
    try {
      return await options.embeddings.embedTexts(texts);
    } catch (err) {
      logger.warn({ err, document_id: doc.id }, 'passages not embedded now (the embedding server failed); they are embedded later');
      return undefined;
    }
  };

  const failureMessage = (err: unknown): string => {
    if (err instanceof ProcessingError) return err.message;
    if (err instanceof ObjectNotFoundError) return 'The stored file of this document is missing';
    return 'Processing failed unexpectedly; ask for it again with POST /api/v1/documents/{id}/process';
  };

  const processOne = async (doc: DocumentRecord): Promise<void> => {
    if (doc.attempts > maxAttempts) {
      await documents.markFailed(doc.id, doc.attempts, 'Processing was interrupted too many times; the file may be too large or malformed');
      return;
    }
    const startedAt = performance.now();
    try {
      // Its queries take their turns at the database as the document's owner's.
      await asOwner(doc.userId, () => complete(doc, startedAt));
    } catch (err) {
      if (err instanceof AppError && err.status === 503) {
        // Storage (or another dependency) is down: the document is not at fault and waits for it.
        logger.warn({ err, document_id: doc.id }, `document processing waits: ${err.message}`);
        await documents.retryLater(doc.id, doc.attempts, options.retryAfterOutageMs ?? RETRY_AFTER_OUTAGE_MS);
        return;
      }
      const message = failureMessage(err);
      const level = err instanceof ProcessingError ? 'info' : 'warn';
      logger[level]({ err, document_id: doc.id }, `document processing failed: ${message}`);
      await documents.markFailed(doc.id, doc.attempts, message);
    }
  };

  // A stopping runner lets the documents in hand finish; a lost claim is caught when the result is
  // written (lockClaim), so neither needs the run's signal.
  return createLeasedJobRunner<DocumentRecord>({
    name: 'document processing',
    queue: {
      claim: (leaseMs) => documents.claimNext(leaseMs),
      renew: (doc, leaseMs) => documents.renewLease(doc.id, doc.attempts, leaseMs),
    },
    run: processOne,
    describe: (doc) => ({ document_id: doc.id }),
    logger,
    concurrency: options.concurrency ?? 1,
    pollMs: options.pollMs ?? 2000,
    leaseMs: options.leaseMs ?? 60_000,
  });
}
