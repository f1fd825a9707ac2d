import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frenchRevolution } from '../../test/fixtures/study-texts.js';
import { checkQuiz } from './item-check.js';
import { createLlmWriter } from './llm-writer.js';
import { generateQuestions, type GenerateOptions } from './question-generator.js';

type Mode = 'good' | 'key-missing' | 'not-json' | 'error' | 'slow';

/** A local endpoint speaking the chat-completions protocol, writing items from the numbered sentences it is sent. */
let server: Server;
let baseUrl: string;
let mode: Mode = 'good';
const seen: Array<{ authorization: string | undefined; model: string }> = [];

function itemsFor(user: string): unknown[] {
  return user.split('\n').map((line) => {
    const [, index, type, sentence] = /^(\d+)\. \[(\w+)\] \(page \d+\) (.*)$/.exec(line)!;
    const words = sentence!.replace(/[.!]$/, '').split(' ');
    const answer = words[words.length - 1]!;
    const blanked = `${words.slice(0, -1).join(' ')} ____?`;
    if (type === 'true_false') return { index: Number(index), question: sentence, answer: true, explanation: 'It says so.' };
    if (type === 'short_answer') return { index: Number(index), question: `Complete: ${blanked}`, answer };
    const options = mode === 'key-missing' ? ['alpha', 'beta', 'gamma', 'delta'] : [answer, 'alpha', 'beta', 'gamma'];
    return { index: Number(index), question: `Which word ends this? ${blanked}`, options, answer };
  });
}

async function body(req: IncomingMessage): Promise<{ model: string; messages: Array<{ content: string }> }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const request = await body(req);
    seen.push({ authorization: req.headers.authorization, model: request.model });
    if (mode === 'error') {
      res.writeHead(500).end('{"error":"overloaded"}');
      return;
    }
    if (mode === 'slow') await new Promise((r) => setTimeout(r, 600));
    const content = mode === 'not-json' ? 'Sorry, I cannot help with that.' : JSON.stringify({ items: itemsFor(request.messages[1]!.content) });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ choices: [{ message: { content } }] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const options: GenerateOptions = { numQuestions: 8, difficulty: 'medium', questionTypes: ['multiple_choice', 'true_false', 'short_answer'], seed: 5 };
const writer = () => createLlmWriter({ baseUrl, apiKey: 'test-key', model: 'quiz-model', timeoutMs: 10_000 });

describe('the LLM question writer', () => {
  it('uses the model’s wording for items that pass the item check, citing the sentences the generator chose', async () => {
    mode = 'good';
    const result = await writer().write(frenchRevolution, options);
    const extractive = generateQuestions(frenchRevolution, options);
    expect(result.generator).toBe('llm');
    expect(result.questions.map((q) => q.source)).toEqual(extractive.questions.map((q) => q.source));
    expect(result.questions.filter((q) => q.type === 'multiple_choice').every((q) => q.text.startsWith('Which word ends this?'))).toBe(true);
    expect(checkQuiz(result.questions, frenchRevolution).problems).toEqual({});
    expect(seen.at(-1)).toEqual({ authorization: 'Bearer test-key', model: 'quiz-model' });
  });

  it('keeps the extractive item wherever the model’s item fails the check', async () => {
    mode = 'key-missing';
    const result = await writer().write(frenchRevolution, options);
    const extractive = generateQuestions(frenchRevolution, options);
    expect(result.generator).toBe('llm+extractive');
    const multipleChoice = result.questions.filter((q) => q.type === 'multiple_choice');
    expect(multipleChoice.length).toBeGreaterThan(0);
    expect(multipleChoice).toEqual(extractive.questions.filter((q) => q.type === 'multiple_choice'));
    expect(checkQuiz(result.questions, frenchRevolution).problems).toEqual({});
  });

  for (const failing of ['not-json', 'error', 'slow'] as const) {
    it(`falls back to the extractive quiz when the endpoint answers ${failing === 'slow' ? 'too late' : failing === 'error' ? 'with an error' : 'with prose'}`, async () => {
      mode = failing;
      const errors: unknown[] = [];
      const result = await createLlmWriter({ baseUrl, model: 'quiz-model', timeoutMs: 300, onError: (e) => errors.push(e) }).write(frenchRevolution, options);
      expect(result.generator).toBe('extractive');
      expect(result.questions).toEqual(generateQuestions(frenchRevolution, options).questions);
      expect(errors).toHaveLength(1);
    });
  }
});
