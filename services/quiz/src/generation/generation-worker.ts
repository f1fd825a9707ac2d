import { parentPort } from 'node:worker_threads';
import type { Passage } from '@learner/text';
import { generateQuestionsFromPassages, type GenerateOptions } from './question-generator.js';

// Runs the extractive generator off the main thread: on a long document it is seconds of CPU.
interface Job {
  id: number;
  passages: Passage[];
  options: GenerateOptions;
}

parentPort?.on('message', (job: Job) => {
  try {
    parentPort!.postMessage({ id: job.id, result: generateQuestionsFromPassages(job.passages, job.options) });
  } catch (err) {
    parentPort!.postMessage({ id: job.id, error: err instanceof Error ? err.message : String(err) });
  }
});
