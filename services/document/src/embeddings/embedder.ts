/** What a text is, for models that embed questions and passages differently (e5, Cohere, Titan). */
export type EmbeddingKind = 'query' | 'passage';

export interface EmbedOptions {
  /**
   * Texts embedded as a document's work (its terms, taken as questions, measured against its
   * passages for notes and quizzes), not for a learner's search: they wait as long as a batch of
   * passages may, not the few seconds a search waits before ranking by full text.
   */
  batch?: boolean;
  /** Aborted when the caller no longer wants the vectors (its own client went away): the requests are given up. */
  signal?: AbortSignal | undefined;
}

/** A text embedding model behind some protocol. */
export interface Embedder {
  /** Stored beside each vector: a different model (or dimension) means the passage is embedded again. */
  readonly model: string;
  /** How it is reached, for logs and /ready, e.g. `openai-compatible http://127.0.0.1:8089/v1`. */
  readonly endpoint: string;
  /** One vector per text, in order. */
  embed(texts: string[], kind: EmbeddingKind, options?: EmbedOptions): Promise<number[][]>;
  /** Resolves when the model answers; rejects with why not. */
  check(): Promise<void>;
}

/** `cancelled`: the caller's signal was aborted; the endpoint is not at fault. */
export type EmbeddingFailure = 'timeout' | 'unreachable' | 'status' | 'malformed' | 'cancelled';

/** Every way an embedding call fails, so callers (which all fall back or retry later) handle one error. */
export class EmbeddingError extends Error {
  readonly reason: EmbeddingFailure;
  readonly status: number | undefined;

  constructor(reason: EmbeddingFailure, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'EmbeddingError';
    this.reason = reason;
    this.status = options.status;
  }
}

/** A 4xx other than "too many" or "too slow" is about the input: asking again will not help. */
export function isRefusal(err: unknown): boolean {
  return err instanceof EmbeddingError && err.status !== undefined && err.status >= 400 && err.status < 500 && err.status !== 408 && err.status !== 429;
}

/** Runs `work` on consecutive slices of `items`, `size` at a time, one slice after the other. */
export async function inBatches<T, R>(items: T[], size: number, work: (batch: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await work(items.slice(i, i + size))));
  return out;
}
