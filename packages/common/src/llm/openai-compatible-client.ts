import { z } from 'zod';
import { isDeadline, LlmError, type LlmClient } from './llm-client.js';

export interface OpenAiCompatibleOptions {
  /** The API base, e.g. https://api.openai.com/v1 (a trailing slash is fine). */
  baseUrl: string;
  /** Sent as a bearer token when set. */
  apiKey?: string | undefined;
  model: string;
  timeoutMs: number;
}

const completionSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullish() }) })).min(1),
});

/**
 * A client of an OpenAI-compatible `/chat/completions` endpoint (OpenAI, vLLM, Ollama, LiteLLM,
 * …): one system and one user message, the first choice's text back. Every failure, including
 * no answer within `timeoutMs`, rejects with an LlmError.
 */
export function createOpenAiCompatibleClient(options: OpenAiCompatibleOptions): LlmClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const url = `${base}/chat/completions`;
  const headers = {
    'content-type': 'application/json',
    ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
  };

  const post = async (body: unknown): Promise<unknown> => {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        // Covers reading the body too, so a stalled stream also ends at the deadline.
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      if (!res.ok) {
        // Frees the connection now instead of when the unread body is collected.
        await res.body?.cancel().catch(() => undefined);
        throw new LlmError('status', `LLM endpoint answered ${res.status}`, { status: res.status });
      }
      return await res.json();
    } catch (err) {
      if (err instanceof LlmError) throw err;
      if (isDeadline(err)) throw new LlmError('timeout', `LLM endpoint gave no answer within ${options.timeoutMs} ms`, { cause: err });
      if (err instanceof SyntaxError) throw new LlmError('malformed', 'LLM endpoint answered something other than JSON', { cause: err });
      throw new LlmError('unreachable', 'LLM endpoint could not be reached', { cause: err });
    }
  };

  return {
    async complete(request) {
      const body = await post({
        model: options.model,
        temperature: request.temperature,
        ...(request.maxTokens === undefined ? {} : { max_tokens: request.maxTokens }),
        ...(request.json ? { response_format: { type: 'json_object' } } : {}),
        messages: [
          { role: 'system', content: request.system },
          { role: 'user', content: request.user },
        ],
      });
      const parsed = completionSchema.safeParse(body);
      if (!parsed.success) throw new LlmError('malformed', 'LLM endpoint answered without a choice', { cause: parsed.error });
      const text = parsed.data.choices[0]!.message.content?.trim();
      if (!text) throw new LlmError('empty', 'LLM endpoint answered no text');
      return text;
    },
    // GET /models lists the endpoint's models without running one. An endpoint that does not
    // serve the listing (404, 405) still answered; a refused key or a server error did not.
    async check() {
      let res: Response;
      try {
        res = await fetch(`${base}/models`, { headers, signal: AbortSignal.timeout(options.timeoutMs) });
        await res.body?.cancel().catch(() => undefined);
      } catch (err) {
        if (isDeadline(err)) throw new LlmError('timeout', `LLM endpoint gave no answer within ${options.timeoutMs} ms`, { cause: err });
        throw new LlmError('unreachable', 'LLM endpoint could not be reached', { cause: err });
      }
      if (res.status === 401 || res.status === 403) {
        throw new LlmError('status', `LLM endpoint refused the key (${res.status})`, { status: res.status });
      }
      if (res.status >= 500) throw new LlmError('status', `LLM endpoint answered ${res.status}`, { status: res.status });
    },
  };
}
