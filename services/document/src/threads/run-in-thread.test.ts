import { describe, expect, it } from 'vitest';
import { runInThread } from './run-in-thread.js';

// A thread that works `before` ms, asks a question, then works `after` ms and answers with the reply.
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const busy = (ms) => { const end = Date.now() + ms; while (Date.now() < end); };
busy(workerData.before);
parentPort.once('message', (m) => {
  busy(workerData.after);
  parentPort.postMessage({ done: m.reply });
});
parentPort.postMessage({ question: 'how far?' });
`;

const failures = {
  timeout: () => new Error('took too long'),
  error: (err: Error) => err,
  exit: (code: number) => new Error(`exit ${code}`),
};

const run = (work: { before: number; after: number }, timeoutMs: number, answerMs: number) =>
  runInThread<{ done: unknown }>(SOURCE, work, {
    timeoutMs,
    maxOldGenerationSizeMb: 64,
    failures,
    answer: async (question) => {
      await new Promise((resolve) => setTimeout(resolve, answerMs));
      return `answered ${String(question)}`;
    },
  });

describe('a thread run with a time limit', () => {
  it('is not cut off while it waits for this side to answer its question', async () => {
    await expect(run({ before: 100, after: 100 }, 1000, 2500)).resolves.toEqual({ done: 'answered how far?' });
  });

  it('is cut off when its own work before and after the question runs past the limit', async () => {
    await expect(run({ before: 700, after: 700 }, 1000, 200)).rejects.toThrow('took too long');
  });
});
