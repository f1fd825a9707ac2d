import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '@learner/common/logger';
import { createExtractiveNotes } from './extractive-notes.js';
import { createLlmNotes } from './llm-notes.js';

const PAGES = [
  { page: 1, text: 'Osmosis is the movement of water across a membrane. It moves water from dilute to concentrated solutions.' },
  { page: 2, text: 'Diffusion is the spread of particles from high to low concentration. Osmosis is a special case of diffusion.' },
];

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

/** An OpenAI-compatible endpoint at its HTTP boundary: no model can be reached from here. */
async function standIn(answer: (body: Record<string, unknown>) => { status: number; json: unknown }) {
  const requests: { auth: string | undefined; body: Record<string, unknown>; path: string | undefined }[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const body = JSON.parse(raw) as Record<string, unknown>;
      requests.push({ auth: req.headers.authorization, body, path: req.url });
      const out = answer(body);
      res.statusCode = out.status;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(out.json));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  close = () => new Promise((r) => server.close(() => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/`, requests };
}

describe('notes with a language model', () => {
  it('uses the model’s summary and keeps the extractive key points and key terms', async () => {
    const llm = await standIn(() => ({ status: 200, json: { choices: [{ message: { role: 'assistant', content: ' Water moves by osmosis. ' } }] } }));
    const notes = await createLlmNotes({
      baseUrl: llm.url,
      apiKey: 'key-1',
      model: 'tiny',
      timeoutMs: 5000,
      fallback: createExtractiveNotes(),
      logger: silentLogger(),
    }).generate(PAGES);
    expect(notes[0]).toMatchObject({ kind: 'summary', content: 'Water moves by osmosis.', generator: 'llm' });
    expect(notes.slice(1).every((n) => n.generator === 'extractive')).toBe(true);
    expect(llm.requests[0]!.path).toBe('/v1/chat/completions');
    expect(llm.requests[0]!.auth).toBe('Bearer key-1');
    expect(llm.requests[0]!.body.model).toBe('tiny');
    expect(JSON.stringify(llm.requests[0]!.body.messages)).toContain('[page 2]');
  });

  it('falls back to the extractive summary when the model fails', async () => {
    const llm = await standIn(() => ({ status: 500, json: { error: 'overloaded' } }));
    const notes = await createLlmNotes({
      baseUrl: llm.url,
      model: 'tiny',
      timeoutMs: 5000,
      fallback: createExtractiveNotes(),
      logger: silentLogger(),
    }).generate(PAGES);
    expect(notes[0]).toMatchObject({ kind: 'summary', generator: 'extractive' });
    expect(notes[0]!.content).toContain('Osmosis');
  });
});
