import { z } from 'zod';
import { answerPrompt } from './answer-prompt.js';
import type { AnswerWriter } from './tutor.js';

const completionSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }) })).min(1),
});

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
      const prompt = answerPrompt({ question, history, passages });
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
            { role: 'system', content: prompt.system },
            { role: 'user', content: prompt.user },
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
