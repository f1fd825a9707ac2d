import { parentPort } from 'node:worker_threads';
import { generateQuestions, type GenerateOptions } from './question-generator.js';
import type { DocumentPage } from './question.js';

// Runs the extractive generator off the main thread: on a long document it is seconds of CPU.
interface Job {
  id: number;
  pages: DocumentPage[];
  options: GenerateOptions;
}

parentPort?.on('message', (job: Job) => {
  try {
    parentPort!.postMessage({ id: job.id, result: generateQuestions(job.pages, job.options) });
  } catch (err) {
    parentPort!.postMessage({ id: job.id, error: err instanceof Error ? err.message : String(err) });
  }
});
