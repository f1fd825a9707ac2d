import { parentPort } from 'node:worker_threads';
import type { Passage } from '@learner/text';
import { generateQuestionsFromPassages, termCandidatesOfPassages, type GenerateOptions } from './question-generator.js';

// Runs the extractive generator off the main thread: on a long document it is seconds of CPU.
// A job either lists the terms to measure (`candidates`) or writes the questions, with the
// relatedness measured for them (term key, value).
interface Job {
  id: number;
  passages: Passage[];
  candidates?: boolean;
  options?: GenerateOptions;
  relatedness?: Array<[string, number]>;
}

parentPort?.on('message', (job: Job) => {
  try {
    if (job.candidates) {
      parentPort!.postMessage({ id: job.id, candidates: termCandidatesOfPassages(job.passages) });
      return;
    }
    const relatedness = job.relatedness ? new Map(job.relatedness) : undefined;
    parentPort!.postMessage({ id: job.id, result: generateQuestionsFromPassages(job.passages, job.options!, relatedness) });
  } catch (err) {
    parentPort!.postMessage({ id: job.id, error: err instanceof Error ? err.message : String(err) });
  }
});
