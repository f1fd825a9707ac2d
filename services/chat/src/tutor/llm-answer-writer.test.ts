import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAiCompatibleClient } from '@learner/common/llm';
import { createBedrockClient } from '@learner/common/llm/bedrock';
import {
  startBedrockStandIn,
  startChatCompletionsStandIn,
  type ChatCompletionsBody,
  type ConverseBody,
  type LlmStandIn,
  type StandInReply,
} from '@learner/common/testing';
import { chloroplastPassage } from '../../test/support/passages.js';
import { createLlmAnswerWriter } from './llm-answer-writer.js';

/** Stand-ins for both endpoints (no real model can be reached from tests); the clients run for real. */
let openAi: LlmStandIn<ChatCompletionsBody>;
let bedrock: LlmStandIn<ConverseBody>;
let reply: StandInReply & { errorType?: string } = { status: 200, body: {} };

beforeAll(async () => {
  openAi = await startChatCompletionsStandIn(() => reply);
  bedrock = await startBedrockStandIn(() => ({ ...reply, ...(reply.errorType ? { headers: { 'x-amzn-errortype': reply.errorType } } : {}) }));
});

afterAll(async () => {
  await openAi.close();
  await bedrock.close();
});

const passage = chloroplastPassage;

describe('the OpenAI-compatible answer writer', () => {
  const baseUrl = () => openAi.url;
  const received = () => openAi.requests.map((r) => ({ auth: r.headers.authorization, body: r.body }));
  const openAiWriter = (options: { baseUrl: string; apiKey?: string; model: string; timeoutMs: number }) =>
    createLlmAnswerWriter({ name: 'llm', client: createOpenAiCompatibleClient(options) });

  it('sends the question, the passages with their titles and pages, and the key; returns the completion', async () => {
    reply = { status: 200, body: { choices: [{ message: { role: 'assistant', content: 'In the chloroplasts [1].' } }] } };
    const writer = openAiWriter({ baseUrl: baseUrl(), apiKey: 'sk-test', model: 'tutor-small', timeoutMs: 2000 });
    const text = await writer.write({
      question: 'Where does it happen?',
      history: [{ question: 'What is photosynthesis?', searchWords: ['photosynthesis'] }],
      passages: [passage],
      draft: 'Photosynthesis takes place in the chloroplasts.',
    });
    expect(text).toBe('In the chloroplasts [1].');
    const request = received().at(-1)!;
    expect(request.auth).toBe('Bearer sk-test');
    expect(request.body.model).toBe('tutor-small');
    const prompt = request.body.messages.at(-1)!.content;
    expect(prompt).toContain('[1] Plant biology, page 2:\nPhotosynthesis takes place in the chloroplasts.');
    expect(prompt).toContain('What is photosynthesis?');
    expect(prompt).toContain('Question: Where does it happen?');
  });

  it('fails when the endpoint answers an error, a wrong shape, or too late', async () => {
    const writer = openAiWriter({ baseUrl: baseUrl(), model: 'tutor-small', timeoutMs: 200 });
    const input = { question: 'q?', history: [], passages: [passage], draft: '' };
    reply = { status: 500, body: { error: 'boom' } };
    await expect(writer.write(input)).rejects.toThrow(/500/);
    reply = { status: 200, body: { choices: [] } };
    await expect(writer.write(input)).rejects.toThrow();
    reply = { status: 200, body: { choices: [{ message: { content: 'late' } }] }, delayMs: 1000 };
    await expect(writer.write(input)).rejects.toThrow();
    expect(received().at(-1)!.auth).toBeUndefined();
  });
});

describe('the Bedrock answer writer', () => {
  const received = () => bedrock.requests.map((r) => ({ path: r.path, authorization: r.headers.authorization, body: r.body }));
  const writerWith = (timeoutMs = 2000) =>
    createLlmAnswerWriter({
      name: 'bedrock',
      client: createBedrockClient({
        modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
        region: 'us-east-1',
        endpoint: bedrock.url,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        timeoutMs,
      }),
    });

  it('sends a signed Converse request with the passages and returns the model’s text', async () => {
    reply = {
      status: 200,
      body: {
        output: { message: { role: 'assistant', content: [{ text: 'In the chloroplasts [1].' }] } },
        stopReason: 'end_turn',
        usage: { inputTokens: 50, outputTokens: 8, totalTokens: 58 },
        metrics: { latencyMs: 12 },
      },
    };
    const text = await writerWith().write({ question: 'Where does photosynthesis happen?', history: [], passages: [passage], draft: '' });
    expect(text).toBe('In the chloroplasts [1].');
    const request = received().at(-1)!;
    expect(decodeURIComponent(request.path)).toBe('/model/anthropic.claude-3-haiku-20240307-v1:0/converse');
    expect(request.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=test\//);
    expect(request.body).toMatchObject({
      system: [{ text: expect.stringContaining('Use only the numbered passages') }],
      messages: [{ role: 'user', content: [{ text: expect.stringContaining('[1] Plant biology, page 2:') }] }],
      inferenceConfig: { maxTokens: 400 },
    });
  });

  it('fails on an error answer, an answer without text, or no answer in time', async () => {
    const input = { question: 'q?', history: [], passages: [passage], draft: '' };
    reply = { status: 400, body: { message: 'The model is not available' }, errorType: 'ValidationException' };
    await expect(writerWith().write(input)).rejects.toThrow(/not available/);
    reply = { status: 200, body: { output: { message: { role: 'assistant', content: [] } }, stopReason: 'max_tokens' } };
    await expect(writerWith().write(input)).rejects.toThrow(/without text/);
    reply = { status: 200, body: { output: { message: { role: 'assistant', content: [{ text: 'late' }] } } }, delayMs: 1000 };
    await expect(writerWith(200).write(input)).rejects.toThrow();
  });
});
