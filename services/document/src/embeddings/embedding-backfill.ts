import type { Logger } from '@learner/common/logger';
import type { PassageIndexer } from './passage-indexer.js';

export interface EmbeddingBackfill {
  start(): void;
  /** Looks for passages without vectors now instead of at the next interval. */
  wake(): void;
  /** Stops after the batch in hand. */
  stop(): Promise<void>;
}

/**
 * Embeds, in the background, every passage without a vector of the current model: documents
 * stored before embeddings existed, those processed while the embedding server was down, and all
 * of them after a model change. One batch at a time, so it is bounded in memory and in what a
 * restart loses; it keeps no state of its own, so it resumes where the table says it is.
 */
export function createEmbeddingBackfill(options: { indexer: PassageIndexer; logger: Logger; batchSize: number; intervalMs: number }): EmbeddingBackfill {
  const { indexer, logger } = options;
  let running = false;
  let loop: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;
  let failing = false;

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      wakeUp = done;
    });

  const run = async (): Promise<void> => {
    let embedded = 0;
    while (running) {
      let n = 0;
      try {
        n = await indexer.embedMissing(options.batchSize);
        if (failing) logger.info({ model: indexer.model }, 'the embedding server answers again; embedding the passages left without vectors');
        failing = false;
      } catch (err) {
        if (!failing) logger.warn({ err, model: indexer.model }, 'embeddings unavailable: passages are embedded once the server answers again');
        failing = true;
      }
      embedded += n;
      if (n > 0) continue;
      if (embedded > 0) logger.info({ passages: embedded, model: indexer.model }, 'embedding backfill caught up');
      embedded = 0;
      if (running) await sleep(options.intervalMs);
    }
  };

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    wake() {
      wakeUp?.();
    },
    async stop() {
      running = false;
      wakeUp?.();
      await loop;
    },
  };
}
