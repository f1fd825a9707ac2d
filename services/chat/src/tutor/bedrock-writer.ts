import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { answerPrompt } from './answer-prompt.js';
import type { AnswerWriter } from './tutor.js';

export interface BedrockWriterOptions {
  modelId: string;
  region: string;
  /** A non-AWS endpoint speaking the Bedrock runtime protocol; unset = the region's endpoint. */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  timeoutMs: number;
}

/**
 * Words the tutor's answer with Amazon Bedrock's Converse API (the same request for every model
 * family), from the passages the extractive answer chose. Throws on any failure or after
 * `timeoutMs`; the tutor then keeps the extractive answer.
 */
export function createBedrockWriter(options: BedrockWriterOptions): AnswerWriter {
  const client = new BedrockRuntimeClient({
    region: options.region,
    maxAttempts: 1,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
  return {
    name: 'bedrock',
    async write({ question, history, passages }) {
      const prompt = answerPrompt({ question, history, passages });
      const answer = await client.send(
        new ConverseCommand({
          modelId: options.modelId,
          system: [{ text: prompt.system }],
          messages: [{ role: 'user', content: [{ text: prompt.user }] }],
          inferenceConfig: { maxTokens: 400, temperature: 0.2 },
        }),
        { abortSignal: AbortSignal.timeout(options.timeoutMs) },
      );
      const text = (answer.output?.message?.content ?? [])
        .map((block) => block.text ?? '')
        .join('')
        .trim();
      if (!text) throw new Error(`Bedrock answered without text (stop reason ${answer.stopReason ?? 'unknown'})`);
      return text;
    },
  };
}
