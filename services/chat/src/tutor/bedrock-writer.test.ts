import { createServer, type Http2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chloroplastPassage } from '../../test/support/passages.js';
import { createBedrockWriter } from './bedrock-writer.js';

/**
 * Real Bedrock cannot be reached from tests, and the local AWS emulator implements only
 * InvokeModel (with an empty result), not Converse; so this stand-in answers the Converse
 * protocol at the HTTP boundary (HTTP/2, as the Bedrock runtime client speaks it), and the SDK's
 * signing, serialising and parsing run for real.
 */
let server: Http2Server;
let endpoint: string;
const received: Array<{ path: string; authorization: string | undefined; body: Record<string, unknown> }> = [];
let reply: { status: number; body: unknown; errorType?: string; delayMs?: number } = { status: 200, body: {} };

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const path = req.url ?? '';
      if (req.method !== 'POST' || !/^\/model\/[^/]+\/converse$/.test(path)) {
        res.writeHead(404).end();
        return;
      }
      received.push({ path, authorization: req.headers.authorization, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
      res.writeHead(reply.status, {
        'content-type': 'application/json',
        ...(reply.errorType ? { 'x-amzn-errortype': reply.errorType } : {}),
      });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const passage = chloroplastPassage;

const writerWith = (timeoutMs = 2000) =>
  createBedrockWriter({
    modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    timeoutMs,
  });

describe('the Bedrock answer writer', () => {
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
    const request = received.at(-1)!;
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
