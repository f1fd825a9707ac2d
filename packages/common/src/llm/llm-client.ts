/** One request to a language model: its instructions and one user message. */
export interface LlmRequest {
  system: string;
  user: string;
  temperature: number;
  /** Upper bound of the answer's length; the endpoint's own default when unset. */
  maxTokens?: number;
  /**
   * Asks for a JSON object where the protocol can enforce it (OpenAI-compatible
   * `response_format`); Bedrock Converse has no such switch, so the prompt must ask for JSON too.
   */
  json?: boolean;
}

/** A language model behind some protocol; `complete` resolves to the answer's text, never empty. */
export interface LlmClient {
  complete(request: LlmRequest): Promise<string>;
  /**
   * For /ready: resolves when the endpoint answers and accepts the credentials, without asking the
   * model anything (nothing is generated or billed); rejects with an LlmError saying why not.
   */
  check(): Promise<void>;
}

export type LlmFailure = 'timeout' | 'unreachable' | 'status' | 'malformed' | 'empty';

/**
 * Every way a model call fails, so that callers (which all fall back to an extractive result)
 * can log one kind of error with its reason.
 */
export class LlmError extends Error {
  readonly reason: LlmFailure;
  /** The HTTP status of a `status` failure. */
  readonly status: number | undefined;

  constructor(reason: LlmFailure, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LlmError';
    this.reason = reason;
    this.status = options.status;
  }
}

/** An abort from the per-call deadline; fetch says TimeoutError, the AWS SDK AbortError. */
export function isDeadline(err: unknown): boolean {
  const name = (err as { name?: unknown } | null)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}
