import { parentPort } from 'node:worker_threads';
import type { Passage } from '@learner/text';
import { generateQuestionsFromPassages, termCandidatesOfPassages, type GenerateOptions, type TermMeasures } from './question-generator.js';

// Runs the extractive generator off the main thread: on a long document it is seconds of CPU.
// A job either lists the terms to measure (`candidates`) or writes the questions, with what was
// measured of them.
interface Job {
  id: number;
  passages: Passage[];
  candidates?: boolean;
  options?: GenerateOptions;
  measures?: TermMeasures;
}

parentPort?.on('message', (job: Job) => {
  try {
    if (job.candidates) {
      parentPort!.postMessage({ id: job.id, candidates: termCandidatesOfPassages(job.passages) });
      return;
    }
    parentPort!.postMessage({ id: job.id, result: generateQuestionsFromPassages(job.passages, job.options!, job.measures) });
  } catch (err) {
    parentPort!.postMessage({ id: job.id, error: err instanceof Error ? err.message : String(err) });
  }
});
