import { z } from 'zod';
import type { LlmClient } from '@learner/common/llm';
import { createItemChecker } from './item-check.js';
import { createExtractiveWriter, type QuestionWriter, type WrittenQuiz } from './question-writer.js';
import { TRUE_FALSE_OPTIONS, type Difficulty, type GeneratedQuestion } from './question.js';
import { createSeededRandom } from './seeded-random.js';
import { normalizeSpace } from './concepts.js';

const itemSchema = z.object({
  index: z.number().int(),
  question: z.string().min(1).max(1000),
  options: z.array(z.string().min(1).max(300)).optional(),
  answer: z.union([z.string().min(1).max(300), z.boolean()]),
  explanation: z.string().max(1000).optional(),
});
const itemsSchema = z.object({ items: z.array(z.unknown()) });

const FOCUS: Record<Difficulty, string> = {
  easy: 'Ask about the central term or definition the sentence states.',
  medium: 'Ask about the main fact the sentence states.',
  hard: 'Ask about a detail: a number, a date, a name or a relation between two things.',
};

const TYPE_RULES = {
  multiple_choice: 'multiple_choice: "question" (must not contain the answer), "options" (exactly four distinct short answers of the same kind, other terms from the document where possible), "answer" (one of the options, verbatim).',
  true_false: 'true_false: "question" (a statement; either the sentence restated, or altered so that it is false), "answer" (true or false).',
  short_answer: 'short_answer: "question" (must not contain the answer), "answer" (a key term of one to four words taken from the sentence).',
};

function prompt(sources: readonly GeneratedQuestion[], difficulty: Difficulty): { system: string; user: string } {
  const system = [
    'You write quiz questions for a student from sentences of their own study document.',
    'Use only what each sentence says. Answer with one JSON object {"items": [...]} and nothing else.',
    'Each item: {"index": <the sentence number>, "question", "options"?, "answer", "explanation"?} with the fields its type asks for:',
    ...Object.values(TYPE_RULES),
    FOCUS[difficulty],
  ].join('\n');
  const user = sources
    .map((q, i) => `${i + 1}. [${q.type}] (page ${q.source.page}) ${q.source.sentence}`)
    .join('\n');
  return { system, user };
}

function parseItems(content: string): unknown[] {
  const start = content.indexOf('{');
  const end = content.lastIndexOf('}');
  if (start < 0 || end < start) throw new Error('the model answered without a JSON object');
  return itemsSchema.parse(JSON.parse(content.slice(start, end + 1))).items;
}

/** Turns a model's item into a question, keeping the extractive item's source and type. */
function toQuestion(raw: unknown, base: GeneratedQuestion, seed: number): GeneratedQuestion | undefined {
  const parsed = itemSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const item = parsed.data;
  const explanation = `The document says on page ${base.source.page}: "${base.source.sentence}"${
    item.explanation ? ` ${normalizeSpace(item.explanation)}` : ''
  }`;
  const common = { source: base.source, explanation, points: base.points };
  if (base.type === 'true_false') {
    const answer = typeof item.answer === 'boolean' ? item.answer : item.answer.trim().toLowerCase();
    if (answer !== true && answer !== false && answer !== 'true' && answer !== 'false') return undefined;
    const statement = normalizeSpace(item.question).replace(/^true or false:\s*/i, '');
    return { ...common, type: 'true_false', text: `True or false: ${statement}`, options: TRUE_FALSE_OPTIONS.map((o) => ({ ...o })), correctAnswer: String(answer) };
  }
  if (typeof item.answer !== 'string') return undefined;
  const answer = normalizeSpace(item.answer);
  if (base.type === 'short_answer') {
    return { ...common, type: 'short_answer', text: normalizeSpace(item.question), options: null, correctAnswer: answer };
  }
  if (!item.options || item.options.length !== 4) return undefined;
  // Models tend to put the answer first; the seeded shuffle keeps the position unguessable.
  const texts = createSeededRandom(seed).shuffle(item.options.map((o) => normalizeSpace(o)));
  return {
    ...common,
    type: 'multiple_choice',
    text: normalizeSpace(item.question),
    options: texts.map((text, i) => ({ id: 'abcd'[i]!, text })),
    correctAnswer: answer,
  };
}

/**
 * Words the questions with a language model. The extractive generator still chooses the
 * sentences (so every item cites a real one) and stands in for any item the model gets wrong:
 * each model item must pass the same item check, or the extractive item for that sentence is
 * kept. Any failure of the model falls back to the extractive quiz.
 */
export function createLlmWriter(options: {
  client: LlmClient;
  onError?: (err: unknown) => void;
  /** Chooses the sentences and stands in for the model; the in-thread generator when not given. */
  extractive?: QuestionWriter;
}): QuestionWriter {
  const extractiveWriter = options.extractive ?? createExtractiveWriter();

  const ask = async (sources: readonly GeneratedQuestion[], difficulty: Difficulty): Promise<unknown[]> =>
    parseItems(await options.client.complete({ ...prompt(sources, difficulty), temperature: 0.3, json: true }));

  return {
    async write(pages, generateOptions): Promise<WrittenQuiz> {
      const extractive = await extractiveWriter.write(pages, generateOptions);
      const base = extractive;
      if (base.questions.length === 0) return extractive;
      let items: unknown[];
      try {
        items = await ask(base.questions, generateOptions.difficulty);
      } catch (err) {
        options.onError?.(err);
        return extractive;
      }
      const checker = createItemChecker(pages);
      const byIndex = new Map<number, unknown>();
      for (const item of items) {
        const index = (item as { index?: unknown } | null)?.index;
        if (typeof index === 'number' && !byIndex.has(index)) byIndex.set(index, item);
      }
      const stems = new Set<string>();
      let fromModel = 0;
      const questions = base.questions.map((fallback, i) => {
        const candidate = toQuestion(byIndex.get(i + 1), fallback, generateOptions.seed + i);
        const stem = candidate ? normalizeSpace(candidate.text).toLowerCase() : '';
        if (candidate && !stems.has(stem) && checker.checkItem(candidate).length === 0) {
          stems.add(stem);
          fromModel += 1;
          return candidate;
        }
        stems.add(normalizeSpace(fallback.text).toLowerCase());
        return fallback;
      });
      if (fromModel === 0) return extractive;
      return { ...base, questions, generator: fromModel === questions.length ? 'llm' : 'llm+extractive' };
    },
  };
}
