import { createRequire } from 'node:module';
import { stripControl } from '../text/plain-text.js';
import { runInThread } from '../threads/run-in-thread.js';
import { ProcessingError } from './processing-error.js';

export interface PdfPageText {
  page: number;
  text: string;
}

/** Tidies text-layer output: pdf-parse separates table cells with tabs and keeps trailing spaces. */
export function tidyPageText(text: string): string {
  return stripControl(text.replace(/\r\n?/g, '\n'))
    .replace(/\t+/g, ' ')
    .replace(/[ \u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/(\w)-\n(\w)/g, '$1$2')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const PDF_PARSE = createRequire(import.meta.url).resolve('pdf-parse');

// pdf.js parses on the calling thread and never yields to timers or I/O while it works, so it
// runs in a thread of its own: the service keeps answering, and a file that makes pdf.js spin or
// swell is cut off by the timeout or the memory limit instead of taking the process down.
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { PDFParse } = require(workerData.module);
(async () => {
  const parser = new PDFParse({ data: workerData.bytes, verbosity: 0 });
  try {
    const result = await parser.getText({ pageJoiner: '' });
    parentPort.postMessage({ pages: result.pages.map((p) => ({ page: p.num, text: p.text })) });
  } catch (err) {
    parentPort.postMessage({ error: { name: String(err && err.name), message: String(err && err.message) } });
  } finally {
    await parser.destroy().catch(() => undefined);
  }
})();
`;

type ThreadAnswer = { pages: PdfPageText[] } | { error: { name: string; message: string } };

function parseInThread(bytes: Buffer, timeoutMs: number): Promise<ThreadAnswer> {
  return runInThread<ThreadAnswer>(THREAD_SOURCE, { module: PDF_PARSE, bytes: new Uint8Array(bytes) }, {
    timeoutMs,
    maxOldGenerationSizeMb: 1024,
    failures: {
      timeout: () => new ProcessingError(`Reading the PDF took longer than ${Math.round(timeoutMs / 1000)} s`),
      error: (err) => new ProcessingError('The PDF could not be read: it needs more memory than allowed', { cause: err }),
      exit: (code) => new ProcessingError(`The PDF reader stopped unexpectedly (exit ${code})`),
    },
  });
}

/** The text layer of every page. Encrypted or damaged files become a ProcessingError. */
export async function extractPdfText(bytes: Buffer, options: { timeoutMs?: number | undefined } = {}): Promise<PdfPageText[]> {
  const answer = await parseInThread(bytes, options.timeoutMs ?? 120_000);
  if ('pages' in answer) return answer.pages.map((p) => ({ page: p.page, text: tidyPageText(p.text) }));
  if (answer.error.name === 'PasswordException') {
    throw new ProcessingError('The PDF is encrypted (password-protected); upload a copy without a password');
  }
  throw new ProcessingError('The file could not be read as a PDF; it may be damaged or incomplete');
}
