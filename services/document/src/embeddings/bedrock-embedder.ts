import { z } from 'zod';
import { createBedrockInvoke, type BedrockClientOptions } from '@learner/common/llm/bedrock';
import { EmbeddingError, type Embedder } from './embedder.js';

export const TITAN_V2 = 'amazon.titan-embed-text-v2:0';

/** Titan v2 takes up to 50,000 characters; a passage is far shorter, a question too. */
const MAX_CHARS = 50_000;
/** Titan embeds one text per call; a few calls at once keep a document's passages moving. */
const CONCURRENCY = 4;

const answerSchema = z.object({ embedding: z.array(z.number()).min(1) });

function toEmbeddingError(err: unknown): EmbeddingError {
  const { reason, status, message } = err as { reason?: string; status?: number; message?: string };
  const known = reason === 'timeout' || reason === 'unreachable' || reason === 'status' || reason === 'malformed';
  return new EmbeddingError(known ? reason : 'unreachable', message ?? String(err), { ...(status ? { status } : {}), cause: err });
}

/** Amazon Bedrock's Titan Text Embeddings v2 through InvokeModel, normalised vectors. */
export function createBedrockEmbedder(options: BedrockClientOptions & { dimensions: number; queryTimeoutMs?: number }): Embedder {
  // Titan v2 embeds questions and passages alike; a search only waits less long.
  const invoke = {
    batch: createBedrockInvoke(options),
    search: createBedrockInvoke({ ...options, timeoutMs: options.queryTimeoutMs ?? options.timeoutMs }),
  };
  const one = async (text: string, deadline: keyof typeof invoke, cancel?: AbortSignal): Promise<number[]> => {
    let answer: unknown;
    try {
      cancel?.throwIfAborted();
      answer = await invoke[deadline]({ inputText: text.slice(0, MAX_CHARS), dimensions: options.dimensions, normalize: true }, cancel);
    } catch (err) {
      if (cancel?.aborted) throw new EmbeddingError('cancelled', 'the vectors were no longer wanted', { cause: err });
      throw toEmbeddingError(err);
    }
    const parsed = answerSchema.safeParse(answer);
    if (!parsed.success) throw new EmbeddingError('malformed', 'Bedrock answered without an embedding', { cause: parsed.error });
    return parsed.data.embedding;
  };
  return {
    model: `${options.modelId}/${options.dimensions}`,
    endpoint: `bedrock ${options.endpoint ?? options.region}`,
    async embed(texts, kind, embedOptions) {
      const deadline = kind === 'query' && !embedOptions?.batch ? 'search' : 'batch';
      const out = new Array<number[]>(texts.length);
      let next = 0;
      const lane = async (): Promise<void> => {
        while (next < texts.length) {
          const i = next++;
          out[i] = await one(texts[i]!, deadline, embedOptions?.signal);
        }
      };
      await Promise.all(Array.from({ length: Math.min(CONCURRENCY, texts.length) }, lane));
      return out;
    },
    async check() {
      await one('ready', 'search');
    },
  };
}
