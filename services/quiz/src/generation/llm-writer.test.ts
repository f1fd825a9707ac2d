import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAiCompatibleClient } from '@learner/common/llm';
import { startChatCompletionsStandIn, type ChatCompletionsBody, type LlmStandIn } from '@learner/common/testing';
import { frenchRevolution, storedPassages } from '../../test/fixtures/study-texts.js';
import { checkQuiz } from './item-check.js';
import { createLlmWriter } from './llm-writer.js';
import { generateQuestionsFromPassages, type GenerateOptions } from './question-generator.js';

type Mode = 'good' | 'key-missing' | 'not-json' | 'error' | 'slow';

/** A local endpoint speaking the chat-completions protocol, writing items from the numbered sentences it is sent. */
let endpoint: LlmStandIn<ChatCompletionsBody>;
let mode: Mode = 'good';
const seen: Array<{ authorization: string | undefined; model: string }> = [];

/** Every term the prompts named, so a stand-in item's distractors are terms of the document too. */
const named = new Set<string>();

function itemsFor(user: string): unknown[] {
  const lines = user.split('\n').map((line) => /^(\d+)\. \[(\w+)\] \(page \d+\) \{term: (.*?)\} (.*)$/.exec(line)!);
  for (const [, , , term] of lines) named.add(term!);
  return lines.map(([, index, type, answer, sentence]) => {
    const blanked = sentence!.replace(new RegExp(answer!, 'i'), '_____');
    if (type === 'true_false') return { index: Number(index), question: sentence, answer: true, explanation: 'It says so.' };
    if (type === 'short_answer') return { index: Number(index), question: `Name the term: ${blanked}`, answer };
    const others = [...named].filter((t) => t !== answer && !sentence!.toLowerCase().includes(t.toLowerCase())).slice(0, 3);
    const options = mode === 'key-missing' ? ['alpha', 'beta', 'gamma', 'delta'] : [answer, ...others];
    return { index: Number(index), question: `Which term is meant? ${blanked}`, options, answer };
  });
}

beforeAll(async () => {
  endpoint = await startChatCompletionsStandIn((request) => {
    seen.push({ authorization: request.headers.authorization, model: request.body.model });
    if (mode === 'error') return { status: 500, body: { error: 'overloaded' } };
    const content = mode === 'not-json' ? 'Sorry, I cannot help with that.' : JSON.stringify({ items: itemsFor(request.body.messages[1]!.content) });
    return { status: 200, body: { choices: [{ message: { content } }] }, ...(mode === 'slow' ? { delayMs: 600 } : {}) };
  });
});
afterAll(() => endpoint.close());

const options: GenerateOptions = { numQuestions: 8, difficulty: 'medium', questionTypes: ['multiple_choice', 'true_false', 'short_answer'], seed: 5 };
const client = (settings: { apiKey?: string; timeoutMs: number }) => createOpenAiCompatibleClient({ baseUrl: endpoint.url, model: 'quiz-model', ...settings });
const writer = () => createLlmWriter({ client: client({ apiKey: 'test-key', timeoutMs: 10_000 }) });

describe('the LLM question writer', () => {
  it('uses the model’s wording for items that pass the item check, citing the sentences the generator chose', async () => {
    mode = 'good';
    const result = await writer().write(storedPassages(frenchRevolution), options);
    const extractive = generateQuestionsFromPassages(storedPassages(frenchRevolution), options);
    expect(result.generator).toBe('llm');
    expect(result.questions.map((q) => q.source)).toEqual(extractive.questions.map((q) => q.source));
    expect(result.questions.filter((q) => q.type === 'multiple_choice').every((q) => q.text.startsWith('Which term is meant?'))).toBe(true);
    expect(checkQuiz(result.questions, frenchRevolution).problems).toEqual({});
    expect(seen.at(-1)).toEqual({ authorization: 'Bearer test-key', model: 'quiz-model' });
  });

  it('keeps the extractive item wherever the model’s item fails the check', async () => {
    mode = 'key-missing';
    const result = await writer().write(storedPassages(frenchRevolution), options);
    const extractive = generateQuestionsFromPassages(storedPassages(frenchRevolution), options);
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
      const result = await createLlmWriter({ client: client({ timeoutMs: 300 }), onError: (e) => errors.push(e) }).write(storedPassages(frenchRevolution), options);
      expect(result.generator).toBe('extractive');
      expect(result.questions).toEqual(generateQuestionsFromPassages(storedPassages(frenchRevolution), options).questions);
      expect(errors).toHaveLength(1);
    });
  }
});
