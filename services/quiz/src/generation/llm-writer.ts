import { z } from 'zod';
import type { LlmClient } from '@learner/common/llm';
import { documentFromPassages, extractKeyTerms, mentionsTerm, type KeyTerm } from '@learner/text';
import { createItemChecker } from './item-check.js';
import { pagesOfPassages, passagesToAnalyze } from './question-generator.js';
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
  multiple_choice: 'multiple_choice: "question" (asks for the item\'s term from what the sentence says it is, and must not contain it), "options" (exactly four distinct terms: the item\'s term and three other terms of the document of the same kind), "answer" (the item\'s term, verbatim).',
  true_false: 'true_false: "question" (a statement about the item\'s term: the sentence restated, or made false by putting another term of the document in the term\'s place; never by adding "not", never a quotation), "answer" (true or false).',
  short_answer: 'short_answer: "question" (asks for the item\'s term and must not contain it), "answer" (the item\'s term).',
};

/** The key term an extractive item is about: its key, or for a true/false item the leading key term its sentence names. */
function termOf(question: GeneratedQuestion, keyTerms: readonly KeyTerm[]): string {
  if (question.type !== 'true_false' && !question.text.startsWith('What does')) return question.correctAnswer;
  const named = /^What does "(.+)" mean\?$/.exec(question.text)?.[1];
  if (named) return named;
  return keyTerms.find((t) => mentionsTerm(question.source.sentence, t.key))?.term ?? '';
}

function prompt(sources: readonly GeneratedQuestion[], keyTerms: readonly KeyTerm[], difficulty: Difficulty): { system: string; user: string } {
  const system = [
    'You write quiz questions for a student from sentences of their own study document; each tests the key term given with its sentence.',
    'Use only what each sentence says. Answer with one JSON object {"items": [...]} and nothing else.',
    'Each item: {"index": <the sentence number>, "question", "options"?, "answer", "explanation"?} with the fields its type asks for:',
    ...Object.values(TYPE_RULES),
    FOCUS[difficulty],
  ].join('\n');
  const user = sources
    .map((q, i) => `${i + 1}. [${q.type}] (page ${q.source.page}) {term: ${termOf(q, keyTerms)}} ${q.source.sentence}`)
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

  const ask = async (sources: readonly GeneratedQuestion[], keyTerms: readonly KeyTerm[], difficulty: Difficulty): Promise<unknown[]> =>
    parseItems(await options.client.complete({ ...prompt(sources, keyTerms, difficulty), temperature: 0.3, json: true }));

  return {
    async write(passages, generateOptions, context): Promise<WrittenQuiz> {
      const extractive = await extractiveWriter.write(passages, generateOptions, context);
      const base = extractive;
      if (base.questions.length === 0) return extractive;
      // The model's items meet the same bar as the generator's, over the same passages and key terms.
      const analyzed = passagesToAnalyze(passages);
      const keyTerms = extractKeyTerms(documentFromPassages(analyzed), { max: 80 });
      const checker = createItemChecker(pagesOfPassages(analyzed), { keyTerms });
      let items: unknown[];
      try {
        items = await ask(base.questions, keyTerms, generateOptions.difficulty);
      } catch (err) {
        options.onError?.(err);
        return extractive;
      }
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
