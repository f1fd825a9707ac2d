import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatCompletionsStandIn, type LlmStandIn, type ChatCompletionsBody, type StandInReply } from '../testing/index.js';
import { createOpenAiCompatibleClient } from './openai-compatible-client.js';

let endpoint: LlmStandIn<ChatCompletionsBody>;
let reply: StandInReply = { status: 200, body: {} };

beforeAll(async () => {
  endpoint = await startChatCompletionsStandIn(() => reply);
});
afterAll(() => endpoint.close());

const completion = (content: string | null) => ({ status: 200, body: { choices: [{ message: { role: 'assistant', content } }] } });
const prompt = { system: 'Answer briefly.', user: 'What moves water across a membrane?', temperature: 0.2 };


describe('the OpenAI-compatible client', () => {
  it('posts the model, both messages, the temperature, the length limit and the key, and returns the trimmed text', async () => {
    reply = completion('  Osmosis.\n');
    const client = createOpenAiCompatibleClient({ baseUrl: `${endpoint.url}/`, apiKey: 'sk-test', model: 'small', timeoutMs: 2000 });
    expect(await client.complete({ ...prompt, maxTokens: 50 })).toBe('Osmosis.');
    const request = endpoint.requests.at(-1)!;
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.headers.authorization).toBe('Bearer sk-test');
    expect(request.body).toEqual({
      model: 'small',
      temperature: 0.2,
      max_tokens: 50,
      messages: [
        { role: 'system', content: 'Answer briefly.' },
        { role: 'user', content: 'What moves water across a membrane?' },
      ],
    });
  });

  it('asks for a JSON object only when told to, and sends no key or length limit it was not given', async () => {
    reply = completion('{"items": []}');
    const client = createOpenAiCompatibleClient({ baseUrl: endpoint.url, model: 'small', timeoutMs: 2000 });
    expect(await client.complete({ ...prompt, json: true })).toBe('{"items": []}');
    const request = endpoint.requests.at(-1)!;
    expect(request.headers.authorization).toBeUndefined();
    expect(request.body.response_format).toEqual({ type: 'json_object' });
    expect(request.body).not.toHaveProperty('max_tokens');
    await client.complete(prompt);
    expect(endpoint.requests.at(-1)!.body).not.toHaveProperty('response_format');
  });

  it('names the HTTP status of an error answer', async () => {
    reply = { status: 503, body: { error: 'overloaded' } };
    const client = createOpenAiCompatibleClient({ baseUrl: endpoint.url, model: 'small', timeoutMs: 2000 });
    await expect(client.complete(prompt)).rejects.toMatchObject({ name: 'LlmError', reason: 'status', status: 503, message: expect.stringMatching(/503/) });
  });

  it('fails on an answer without choices and on one without text', async () => {
    const client = createOpenAiCompatibleClient({ baseUrl: endpoint.url, model: 'small', timeoutMs: 2000 });
    reply = { status: 200, body: { choices: [] } };
    await expect(client.complete(prompt)).rejects.toMatchObject({ name: 'LlmError', reason: 'malformed' });
    reply = completion(null);
    await expect(client.complete(prompt)).rejects.toMatchObject({ name: 'LlmError', reason: 'empty' });
    reply = completion('   ');
    await expect(client.complete(prompt)).rejects.toMatchObject({ name: 'LlmError', reason: 'empty' });
  });

  it('gives up at its deadline', async () => {
    reply = { ...completion('late'), delayMs: 1000 };
    const client = createOpenAiCompatibleClient({ baseUrl: endpoint.url, model: 'small', timeoutMs: 150 });
    await expect(client.complete(prompt)).rejects.toMatchObject({ name: 'LlmError', reason: 'timeout' });
  });

  it('says so when nothing listens at the address', async () => {
    const gone = await startChatCompletionsStandIn(() => completion('never'));
    await gone.close();
    const client = createOpenAiCompatibleClient({ baseUrl: gone.url, model: 'small', timeoutMs: 2000 });
    await expect(client.complete(prompt)).rejects.toMatchObject({ name: 'LlmError', reason: 'unreachable' });
  });
});

/** An endpoint that answers every request with `status` and records the paths and keys it was sent. */
async function endpointAnswering(status: number): Promise<{ url: string; seen: { path: string; key: string | undefined }[]; close(): Promise<void> }> {
  const seen: { path: string; key: string | undefined }[] = [];
  const server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', key: req.headers.authorization });
    res.writeHead(status, { 'content-type': 'application/json' }).end('{"data":[]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe("the OpenAI-compatible client's readiness check", () => {
  it('lists the models with the key, asking the model nothing, and passes while the endpoint answers', async () => {
    const listing = await endpointAnswering(200);
    try {
      await createOpenAiCompatibleClient({ baseUrl: listing.url, apiKey: 'sk-test', model: 'small', timeoutMs: 2000 }).check();
      expect(listing.seen).toEqual([{ path: '/v1/models', key: 'Bearer sk-test' }]);
    } finally {
      await listing.close();
    }
    // An endpoint without the listing (the stand-in answers only chat/completions) still answered.
    await createOpenAiCompatibleClient({ baseUrl: endpoint.url, model: 'small', timeoutMs: 2000 }).check();
    expect(endpoint.requests.some((r) => r.path === '/v1/chat/completions' && r.method === 'GET')).toBe(false);
  });

  it('fails naming a refused key, a server error, no answer in time, or nothing listening', async () => {
    for (const [status, message] of [
      [401, /refused the key \(401\)/],
      [503, /answered 503/],
    ] as const) {
      const refusing = await endpointAnswering(status);
      try {
        const client = createOpenAiCompatibleClient({ baseUrl: refusing.url, apiKey: 'sk-wrong', model: 'small', timeoutMs: 2000 });
        await expect(client.check()).rejects.toMatchObject({ name: 'LlmError', reason: 'status', status, message: expect.stringMatching(message) });
      } finally {
        await refusing.close();
      }
    }
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1`;
      await expect(createOpenAiCompatibleClient({ baseUrl: url, model: 'small', timeoutMs: 150 }).check()).rejects.toMatchObject({ reason: 'timeout' });
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
    const gone = await endpointAnswering(200);
    await gone.close();
    await expect(createOpenAiCompatibleClient({ baseUrl: gone.url, model: 'small', timeoutMs: 2000 }).check()).rejects.toMatchObject({
      reason: 'unreachable',
      message: 'LLM endpoint could not be reached',
    });
  });
});
