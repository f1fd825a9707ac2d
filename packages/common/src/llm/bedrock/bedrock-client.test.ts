import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBedrockStandIn, type ConverseBody, type LlmStandIn, type StandInReply } from '../../testing/index.js';
import { createBedrockClient } from './bedrock-client.js';

let bedrock: LlmStandIn<ConverseBody>;
let reply: StandInReply = { status: 200, body: {} };

beforeAll(async () => {
  bedrock = await startBedrockStandIn(() => reply);
});
afterAll(() => bedrock.close());

const MODEL = 'anthropic.claude-3-haiku-20240307-v1:0';
const clientWith = (timeoutMs = 2000) =>
  createBedrockClient({ modelId: MODEL, region: 'us-east-1', endpoint: bedrock.url, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, timeoutMs });
const prompt = { system: 'Answer briefly.', user: 'What moves water across a membrane?', temperature: 0.2 };
const converse = (content: { text: string }[], stopReason = 'end_turn') => ({
  status: 200,
  body: { output: { message: { role: 'assistant', content } }, stopReason, usage: { inputTokens: 20, outputTokens: 3, totalTokens: 23 }, metrics: { latencyMs: 9 } },
});


describe('the Bedrock client', () => {
  it('sends a signed Converse request with the instructions, the message and the limits, and joins the text blocks', async () => {
    reply = converse([{ text: 'Osmosis' }, { text: ' does. ' }]);
    expect(await clientWith().complete({ ...prompt, maxTokens: 50 })).toBe('Osmosis does.');
    const request = bedrock.requests.at(-1)!;
    expect(decodeURIComponent(request.path)).toBe(`/model/${MODEL}/converse`);
    expect(request.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=test\//);
    expect(request.body).toEqual({
      system: [{ text: 'Answer briefly.' }],
      messages: [{ role: 'user', content: [{ text: 'What moves water across a membrane?' }] }],
      inferenceConfig: { maxTokens: 50, temperature: 0.2 },
    });
  });

  it('names the error type and message of an error answer', async () => {
    reply = { status: 400, body: { message: 'The model is not available' }, headers: { 'x-amzn-errortype': 'ValidationException' } };
    await expect(clientWith().complete(prompt)).rejects.toMatchObject({
      name: 'LlmError',
      reason: 'status',
      status: 400,
      message: expect.stringMatching(/ValidationException: The model is not available/),
    });
  });

  it('fails on an answer without text, naming why the model stopped', async () => {
    reply = converse([], 'max_tokens');
    await expect(clientWith().complete(prompt)).rejects.toMatchObject({
      name: 'LlmError',
      reason: 'empty',
      message: expect.stringMatching(/without text \(stop reason max_tokens\)/),
    });
  });

  it('gives up at its deadline', async () => {
    reply = { ...converse([{ text: 'late' }]), delayMs: 1000 };
    await expect(clientWith(150).complete(prompt)).rejects.toMatchObject({ name: 'LlmError', reason: 'timeout' });
  });
});

describe("the Bedrock client's readiness check", () => {
  it('sends a Converse without a message, which Bedrock refuses as invalid before any model runs, and passes on that refusal', async () => {
    reply = { status: 400, body: { message: 'A conversation must start with a user message.' }, headers: { 'x-amzn-errortype': 'ValidationException' } };
    await clientWith().check();
    const request = bedrock.requests.at(-1)!;
    expect(decodeURIComponent(request.path)).toBe(`/model/${MODEL}/converse`);
    expect(request.body.messages).toEqual([]);
  });

  it('fails naming refused credentials, no answer in time, or nothing listening', async () => {
    reply = { status: 403, body: { message: 'The security token included in the request is invalid.' }, headers: { 'x-amzn-errortype': 'UnrecognizedClientException' } };
    await expect(clientWith().check()).rejects.toMatchObject({ name: 'LlmError', reason: 'status', status: 403, message: expect.stringMatching(/UnrecognizedClientException/) });
    reply = { status: 400, body: {}, headers: { 'x-amzn-errortype': 'ValidationException' }, delayMs: 1000 };
    await expect(clientWith(150).check()).rejects.toMatchObject({ name: 'LlmError', reason: 'timeout' });
    const gone = await startBedrockStandIn(() => reply);
    await gone.close();
    const client = createBedrockClient({ modelId: MODEL, region: 'us-east-1', endpoint: gone.url, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, timeoutMs: 2000 });
    await expect(client.check()).rejects.toMatchObject({ name: 'LlmError', reason: 'unreachable' });
  });
});
