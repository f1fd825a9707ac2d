import { BedrockRuntimeClient, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { LlmError } from '../llm-client.js';
import { toLlmError, type BedrockClientOptions } from './bedrock-client.js';

/**
 * One JSON request to a Bedrock model through InvokeModel; resolves with the model's JSON answer.
 * `signal` gives the request up before its deadline (the caller stopped waiting).
 */
export type BedrockInvoke = (body: unknown, signal?: AbortSignal) => Promise<unknown>;

/**
 * InvokeModel for models Converse does not serve (embedding models such as Titan Text
 * Embeddings): the body is the model's own JSON. One attempt; failures are LlmErrors.
 */
export function createBedrockInvoke(options: BedrockClientOptions): BedrockInvoke {
  const client = new BedrockRuntimeClient({
    region: options.region,
    maxAttempts: 1,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
  return async (body, signal) => {
    let answer: Uint8Array | undefined;
    try {
      const output = await client.send(
        new InvokeModelCommand({
          modelId: options.modelId,
          contentType: 'application/json',
          accept: 'application/json',
          body: new TextEncoder().encode(JSON.stringify(body)),
        }),
        { abortSignal: signal ? AbortSignal.any([AbortSignal.timeout(options.timeoutMs), signal]) : AbortSignal.timeout(options.timeoutMs) },
      );
      answer = output.body;
    } catch (err) {
      throw toLlmError(err, options.timeoutMs);
    }
    try {
      return JSON.parse(new TextDecoder().decode(answer)) as unknown;
    } catch (err) {
      throw new LlmError('malformed', 'Bedrock answered something other than JSON', { cause: err });
    }
  };
}
