import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { documentPassages, type Passage } from '../search/passages.js';
import { runInThread } from '../threads/run-in-thread.js';
import { ProcessingError } from './processing-error.js';

/**
 * Past this much text, passages are cut in a thread of their own: segmenting takes about 0.3 s a
 * megabyte, during which the service would answer nobody. Below it, starting a thread costs more
 * than the work.
 */
export const THREAD_THRESHOLD_CHARS = 256 * 1024;

// The built module, found through the package's own exports, so that the service and its tests
// (which run the TypeScript sources) start the same code in the thread.
const PASSAGES_MODULE = pathToFileURL(createRequire(import.meta.url).resolve('@learner/document/dist/search/passages.js')).href;

const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
import(workerData.module)
  .then((m) => m.documentPassages(workerData.pages))
  .then(
    (passages) => parentPort.postMessage({ passages }),
    (err) => parentPort.postMessage({ error: String((err && err.message) || err) }),
  );
`;

/** The document's passages, cut in a thread of their own when the text is long. */
export async function cutPassages(pages: { page: number; text: string }[], options: { timeoutMs?: number } = {}): Promise<Passage[]> {
  const chars = pages.reduce((n, p) => n + p.text.length, 0);
  if (chars <= THREAD_THRESHOLD_CHARS) return documentPassages(pages);
  const timeoutMs = options.timeoutMs ?? 120_000;
  const data = { module: PASSAGES_MODULE, pages: pages.map((p) => ({ page: p.page, text: p.text })) };
  const answer = await runInThread<{ passages: Passage[] } | { error: string }>(THREAD_SOURCE, data, {
    timeoutMs,
    maxOldGenerationSizeMb: 1024,
    failures: {
      timeout: () => new ProcessingError(`Cutting the text into passages took longer than ${Math.round(timeoutMs / 1000)} s`),
      error: (err) => new ProcessingError('The text could not be cut into passages: it needs more memory than allowed', { cause: err }),
      exit: (code) => new ProcessingError(`Cutting the text into passages stopped unexpectedly (exit ${code})`),
    },
  });
  if ('error' in answer) throw new Error(`passages could not be cut: ${answer.error}`);
  return answer.passages;
}
