import type { Logger } from '@learner/common/logger';
import type { GeneratedNote, NotesGenerator } from './notes-generator.js';

export interface LlmNotesOptions {
  /** An OpenAI-compatible API base, e.g. https://api.example.com/v1 */
  baseUrl: string;
  apiKey?: string | undefined;
  model: string;
  timeoutMs: number;
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

/**
 * Notes whose summary is written by a language model behind an OpenAI-compatible endpoint. Key
 * points and key terms stay extractive, since they must quote the document with page numbers;
 * any failure of the model falls back to the extractive summary.
 */
export function createLlmNotes(options: LlmNotesOptions): NotesGenerator {
  const url = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;

  const summarise = async (pages: { page: number; text: string }[]): Promise<string> => {
    const res = await fetch(url, {
      method: 'POST',
      signal: AbortSignal.timeout(options.timeoutMs),
      headers: {
        'content-type': 'application/json',
        ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
      },
      body: JSON.stringify({
        model: options.model,
        temperature: 0.2,
        messages: [
          {
            role: 'system',
            content:
              'You write study notes. Summarise the document the user gives in one paragraph of at most 150 words, ' +
              'using only facts stated in it. Answer with the summary text only.',
          },
          { role: 'user', content: promptText(pages) },
        ],
      }),
    });
    if (!res.ok) throw new Error(`the model answered HTTP ${res.status}`);
    const body = (await res.json()) as { choices?: { message?: { content?: unknown } }[] };
    const content = body.choices?.[0]?.message?.content;
    if (typeof content !== 'string' || !content.trim()) throw new Error('the model answered no text');
    return content.trim();
  };

  return {
    async generate(pages) {
      const notes = await options.fallback.generate(pages);
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
