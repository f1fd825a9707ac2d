import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chloroplastPassage } from '../../test/support/passages.js';
import { createOpenAiWriter } from './openai-writer.js';

/** A stand-in for an OpenAI-compatible endpoint (no real model can be reached from tests). */
let server: Server;
let baseUrl: string;
const received: Array<{ auth: string | undefined; body: { model: string; messages: Array<{ role: string; content: string }> } }> = [];
let reply: { status: number; body: unknown; delayMs?: number } = { status: 200, body: {} };

beforeAll(async () => {
  const app = express();
  app.use(express.json());
  app.post('/v1/chat/completions', async (req, res) => {
    received.push({ auth: req.get('authorization'), body: req.body });
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    res.status(reply.status).json(reply.body);
  });
  server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const passage = chloroplastPassage;

describe('the OpenAI-compatible answer writer', () => {
  it('sends the question, the passages with their titles and pages, and the key; returns the completion', async () => {
    reply = { status: 200, body: { choices: [{ message: { role: 'assistant', content: 'In the chloroplasts [1].' } }] } };
    const writer = createOpenAiWriter({ baseUrl, apiKey: 'sk-test', model: 'tutor-small', timeoutMs: 2000 });
    const text = await writer.write({
      question: 'Where does it happen?',
      history: [{ question: 'What is photosynthesis?', searchWords: ['photosynthesis'] }],
      passages: [passage],
      draft: 'Photosynthesis takes place in the chloroplasts.',
    });
    expect(text).toBe('In the chloroplasts [1].');
    const request = received.at(-1)!;
    expect(request.auth).toBe('Bearer sk-test');
    expect(request.body.model).toBe('tutor-small');
    const prompt = request.body.messages.at(-1)!.content;
    expect(prompt).toContain('[1] Plant biology, page 2:\nPhotosynthesis takes place in the chloroplasts.');
    expect(prompt).toContain('What is photosynthesis?');
    expect(prompt).toContain('Question: Where does it happen?');
  });

  it('fails when the endpoint answers an error, a wrong shape, or too late', async () => {
    const writer = createOpenAiWriter({ baseUrl, model: 'tutor-small', timeoutMs: 200 });
    const input = { question: 'q?', history: [], passages: [passage], draft: '' };
    reply = { status: 500, body: { error: 'boom' } };
    await expect(writer.write(input)).rejects.toThrow(/500/);
    reply = { status: 200, body: { choices: [] } };
    await expect(writer.write(input)).rejects.toThrow();
    reply = { status: 200, body: { choices: [{ message: { content: 'late' } }] }, delayMs: 1000 };
    await expect(writer.write(input)).rejects.toThrow();
    expect(received.at(-1)!.auth).toBeUndefined();
  });
});
