import { BedrockRuntimeClient, ConverseCommand, type ConverseCommandOutput } from '@aws-sdk/client-bedrock-runtime';
import { isDeadline, LlmError, type LlmClient } from '../llm-client.js';

export interface BedrockClientOptions {
  modelId: string;
  region: string;
  /** A non-AWS endpoint speaking the Bedrock runtime protocol; unset = the region's endpoint. */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  timeoutMs: number;
}

export function toLlmError(err: unknown, timeoutMs: number): LlmError {
  if (isDeadline(err)) return new LlmError('timeout', `Bedrock gave no answer within ${timeoutMs} ms`, { cause: err });
  const { name, message, $metadata } = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = $metadata?.httpStatusCode;
  if (status !== undefined) return new LlmError('status', `Bedrock answered ${name ?? status}: ${message ?? ''}`, { status, cause: err });
  return new LlmError('unreachable', `Bedrock could not be reached: ${message ?? String(err)}`, { cause: err });
}

/**
 * A client of Amazon Bedrock's Converse API, which takes the same request for every model
 * family. One attempt only: callers have a fallback and a deadline, not time for retries.
 */
export function createBedrockClient(options: BedrockClientOptions): LlmClient {
  const client = new BedrockRuntimeClient({
    region: options.region,
    maxAttempts: 1,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
  return {
    async complete(request) {
      let answer: ConverseCommandOutput;
      try {
        answer = await client.send(
          new ConverseCommand({
            modelId: options.modelId,
            system: [{ text: request.system }],
            messages: [{ role: 'user', content: [{ text: request.user }] }],
            inferenceConfig: {
              temperature: request.temperature,
              ...(request.maxTokens === undefined ? {} : { maxTokens: request.maxTokens }),
            },
          }),
          { abortSignal: AbortSignal.timeout(options.timeoutMs) },
        );
      } catch (err) {
        throw toLlmError(err, options.timeoutMs);
      }
      const text = (answer.output?.message?.content ?? [])
        .map((block) => block.text ?? '')
        .join('')
        .trim();
      if (!text) throw new LlmError('empty', `Bedrock answered without text (stop reason ${answer.stopReason ?? 'unknown'})`);
      return text;
    },
    // A conversation without a message is refused as invalid before any model runs (nothing is
    // billed): that refusal proves the endpoint answers and takes the credentials; an unreachable
    // endpoint, refused credentials or a model not granted fail otherwise.
    async check() {
      try {
        await client.send(new ConverseCommand({ modelId: options.modelId, messages: [] }), {
          abortSignal: AbortSignal.timeout(options.timeoutMs),
        });
      } catch (err) {
        if ((err as { name?: unknown } | null)?.name === 'ValidationException') return;
        throw toLlmError(err, options.timeoutMs);
      }
    },
  };
}
