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
