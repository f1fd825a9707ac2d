import type { LlmClient } from '@learner/common/llm';
import type { Logger } from '@learner/common/logger';
import type { GeneratedNote, NotesGenerator } from './notes-generator.js';

export interface LlmNotesOptions {
  client: LlmClient;
  /** Makes the notes the model does not write, and all of them when the model fails. */
  fallback: NotesGenerator;
  logger: Logger;
}

/** The start of the document, each page marked, up to what a prompt comfortably holds. */
function promptText(pages: { page: number; text: string }[], maxChars = 24_000): string {
  let out = '';
  for (const p of pages) {
    const part = `[page ${p.page}]\n${p.text}\n\n`;
    if (out.length + part.length > maxChars) {
      out += part.slice(0, Math.max(0, maxChars - out.length));
      break;
    }
    out += part;
  }
  return out;
}

const SUMMARY_INSTRUCTIONS =
  'You write study notes. Summarise the document the user gives in one paragraph of at most 150 words, ' +
  'using only facts stated in it. Answer with the summary text only.';

/**
 * Notes whose summary is written by a language model. Key points and key terms stay extractive,
 * since they must quote the document with page numbers; any failure of the model falls back to
 * the extractive summary.
 */
export function createLlmNotes(options: LlmNotesOptions): NotesGenerator {
  const summarise = (pages: { page: number; text: string }[]): Promise<string> =>
    options.client.complete({ system: SUMMARY_INSTRUCTIONS, user: promptText(pages), temperature: 0.2 });

  return {
    async generate(pages, context) {
      const notes = await options.fallback.generate(pages, context);
      if (notes.length === 0) return notes;
      try {
        const summary = await summarise(pages);
        return notes.map((n): GeneratedNote => (n.kind === 'summary' ? { ...n, content: summary, generator: 'llm' } : n));
      } catch (err) {
        options.logger.warn({ err }, 'language model notes failed; keeping the extractive summary');
        return notes;
      }
    },
  };
}
