import { Worker } from 'node:worker_threads';
import type { GenerateOptions, GenerationResult } from './question-generator.js';
import { measuredTerms, type QuestionWriter, type WriteContext, type WrittenQuiz } from './question-writer.js';
import type { Passage } from '@learner/text';

interface Reply {
  id: number;
  result?: GenerationResult;
  candidates?: Array<{ term: string; key: string }>;
  error?: string;
}

interface Pending {
  resolve(reply: Reply): void;
  reject(err: Error): void;
}

export interface ThreadWriter extends QuestionWriter {
  close(): Promise<void>;
}

/**
 * The extractive generator in a thread of its own, so a long document does not stall every other
 * request of the service while its questions are made. One thread, started on first use and
 * started again if it dies; jobs queue in its message port.
 */
export function createThreadWriter(options: { script?: URL } = {}): ThreadWriter {
  const script = options.script ?? new URL('./generation-thread.js', import.meta.url);
  let worker: Worker | undefined;
  let nextId = 1;
  const pending = new Map<number, Pending>();

  const failAll = (err: Error): void => {
    for (const job of pending.values()) job.reject(err);
    pending.clear();
  };

  const start = (): Worker => {
    if (worker) return worker;
    const started = new Worker(script);
    started.on('message', (message: Reply) => {
      const job = pending.get(message.id);
      if (!job) return;
      pending.delete(message.id);
      if (message.result || message.candidates) job.resolve(message);
      else job.reject(new Error(message.error ?? 'question generation failed'));
    });
    started.on('error', (err) => {
      worker = undefined;
      failAll(err);
    });
    started.on('exit', (code) => {
      if (worker === started) worker = undefined;
      failAll(new Error(`the question generator stopped (exit code ${code})`));
    });
    // An idle thread must not keep the process alive.
    started.unref();
    worker = started;
    return started;
  };

  return {
    async write(passages: readonly Passage[], generateOptions: GenerateOptions, context?: WriteContext): Promise<WrittenQuiz> {
      const ask = (job: object): Promise<Reply> => {
        const target = start();
        const id = nextId++;
        return new Promise<Reply>((resolve, reject) => {
          pending.set(id, { resolve, reject });
          target.postMessage({ id, passages, ...job });
        });
      };
      const candidates = context?.relatedness ? ((await ask({ candidates: true })).candidates ?? []) : [];
      const measures = await measuredTerms(candidates, context);
      // A Map crosses to the thread as it is (structured clone).
      const reply = await ask({ options: generateOptions, ...(measures ? { measures } : {}) });
      return { ...reply.result!, generator: 'extractive' };
    },
    async close() {
      const current = worker;
      worker = undefined;
      if (current) await current.terminate();
    },
  };
}
