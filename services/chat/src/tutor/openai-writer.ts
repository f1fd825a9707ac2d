import { z } from 'zod';
import type { AnswerWriter } from './tutor.js';

const completionSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }) })).min(1),
});

const INSTRUCTIONS = [
  "You are a tutor answering a learner's question about their own study material.",
  'Use only the numbered passages given; do not add facts that are not in them.',
  "If the passages do not answer the question, say that you couldn't find it in their documents.",
  'Answer in at most four sentences, and mark each claim with the passage it comes from, like [1].',
].join(' ');

/**
 * Words the tutor's answer with an OpenAI-compatible chat-completions endpoint, from the same
 * passages the extractive answer chose (so its citations stay true). Throws on any failure or
 * after `timeoutMs`; the tutor then keeps the extractive answer.
 */
export function createOpenAiWriter(options: { baseUrl: string; apiKey?: string; model: string; timeoutMs: number }): AnswerWriter {
  const url = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  return {
    name: 'llm',
    async write({ question, history, passages }) {
      const sources = passages
        .map((p, i) => `[${i + 1}] ${p.title}${p.page === null ? '' : `, page ${p.page}`}:\n${p.text}`)
        .join('\n\n');
      const earlier = history.length
        ? `Earlier questions in this conversation, latest first:\n${history.map((h) => `- ${h.question}`).join('\n')}\n\n`
        : '';
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
        },
        body: JSON.stringify({
          model: options.model,
          temperature: 0.2,
          max_tokens: 400,
          messages: [
            { role: 'system', content: INSTRUCTIONS },
            { role: 'user', content: `Passages:\n${sources}\n\n${earlier}Question: ${question}` },
          ],
        }),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      if (!res.ok) {
        await res.body?.cancel().catch(() => undefined);
        throw new Error(`LLM endpoint answered ${res.status}`);
      }
      const parsed = completionSchema.parse(await res.json());
      return parsed.choices[0]!.message.content ?? '';
    },
  };
}
