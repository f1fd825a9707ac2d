import type { LlmClient } from '@learner/common/llm';
import { answerPrompt } from './answer-prompt.js';
import type { AnswerWriter } from './tutor.js';

/**
 * Words the tutor's answer with a language model, from the same passages the extractive answer
 * chose (so its citations stay true). Throws on any failure of the model; the tutor then keeps
 * the extractive answer. `name` is what the answer records as its writer.
 */
export function createLlmAnswerWriter(options: { name: string; client: LlmClient }): AnswerWriter {
  return {
    name: options.name,
    write: ({ question, history, passages }) =>
      options.client.complete({ ...answerPrompt({ question, history, passages }), temperature: 0.2, maxTokens: 400 }),
  };
}
