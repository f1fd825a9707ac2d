import { afterEach, describe, expect, it } from 'vitest';
import { createOpenAiCompatibleClient } from '@learner/common/llm';
import { silentLogger } from '@learner/common/logger';
import { startChatCompletionsStandIn, type ChatCompletionsBody } from '@learner/common/testing';
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
async function standIn(answer: (body: ChatCompletionsBody) => { status: number; json: unknown }) {
  const requests: { auth: string | undefined; body: ChatCompletionsBody; path: string | undefined }[] = [];
  const endpoint = await startChatCompletionsStandIn((req) => {
    requests.push({ auth: req.headers.authorization, body: req.body, path: req.path });
    const out = answer(req.body);
    return { status: out.status, body: out.json };
  });
  close = endpoint.close;
  return { url: `${endpoint.url}/`, requests };
}

/** The notes generator over an OpenAI-compatible client of the stand-in. */
const llmNotes = (options: { baseUrl: string; apiKey?: string; model: string; timeoutMs: number }) =>
  createLlmNotes({ client: createOpenAiCompatibleClient(options), fallback: createExtractiveNotes(), logger: silentLogger() });

describe('notes with a language model', () => {
  it('uses the model’s summary and keeps the extractive key points and key terms', async () => {
    const llm = await standIn(() => ({ status: 200, json: { choices: [{ message: { role: 'assistant', content: ' Water moves by osmosis. ' } }] } }));
    const notes = await llmNotes({ baseUrl: llm.url, apiKey: 'key-1', model: 'tiny', timeoutMs: 5000 }).generate(PAGES);
    expect(notes[0]).toMatchObject({ kind: 'summary', content: 'Water moves by osmosis.', generator: 'llm' });
    expect(notes.slice(1).every((n) => n.generator === 'extractive')).toBe(true);
    expect(llm.requests[0]!.path).toBe('/v1/chat/completions');
    expect(llm.requests[0]!.auth).toBe('Bearer key-1');
    expect(llm.requests[0]!.body.model).toBe('tiny');
    expect(JSON.stringify(llm.requests[0]!.body.messages)).toContain('[page 2]');
  });

  it('falls back to the extractive summary when the model fails', async () => {
    const llm = await standIn(() => ({ status: 500, json: { error: 'overloaded' } }));
    const notes = await llmNotes({ baseUrl: llm.url, model: 'tiny', timeoutMs: 5000 }).generate(PAGES);
    expect(notes[0]).toMatchObject({ kind: 'summary', generator: 'extractive' });
    expect(notes[0]!.content).toContain('Osmosis');
  });
});
