import { describe, expect, it } from 'vitest';
import { cellBiology, frenchRevolution, photosynthesis, studyTexts } from '../../test/fixtures/study-texts.js';
import { checkQuiz } from './item-check.js';
import { generateQuestions, pagesToAnalyze, type GenerateOptions } from './question-generator.js';
import { DIFFICULTIES, QUESTION_TYPES, type GeneratedQuestion } from './question.js';
import { containsTerm, normalizeSpace } from './text-analysis.js';

const allTypes = [...QUESTION_TYPES];
const options = (overrides: Partial<GenerateOptions> = {}): GenerateOptions => ({
  numQuestions: 12,
  difficulty: 'medium',
  questionTypes: allTypes,
  seed: 42,
  ...overrides,
});

const documentText = (pages: { text: string }[]): string => normalizeSpace(pages.map((p) => p.text).join(' ')).toLowerCase();
const hasNumber = (q: GeneratedQuestion): boolean => /\d/.test(q.source.sentence);

describe('question generation from study texts', () => {
  for (const [name, pages] of Object.entries(studyTexts)) {
    for (const difficulty of DIFFICULTIES) {
      it(`makes ${difficulty} questions from the ${name} notes that all pass the item check`, () => {
        const result = generateQuestions(pages, options({ difficulty, numQuestions: 15 }));
        expect(result.generated).toBeGreaterThanOrEqual(12);
        expect(result.questions).toHaveLength(result.generated);
        expect(checkQuiz(result.questions, pages).problems).toEqual({});
      });
    }
  }

  it('gives multiple choice four distinct options with the key among them', () => {
    const { questions } = generateQuestions(frenchRevolution, options({ questionTypes: ['multiple_choice'] }));
    expect(questions.length).toBeGreaterThan(5);
    for (const q of questions) {
      const texts = q.options!.map((o) => o.text.toLowerCase());
      expect(new Set(texts).size).toBe(4);
      expect(q.options!.map((o) => o.id)).toEqual(['a', 'b', 'c', 'd']);
      expect(q.options!.map((o) => o.text)).toContain(q.correctAnswer);
      expect(containsTerm(q.text, q.correctAnswer)).toBe(false);
    }
  });

  it('draws distractors of the same kind as the key', () => {
    const { questions } = generateQuestions(frenchRevolution, options({ questionTypes: ['multiple_choice'], difficulty: 'hard', numQuestions: 20 }));
    const yearItems = questions.filter((q) => q.text.startsWith('Which year'));
    expect(yearItems.length).toBeGreaterThan(0);
    for (const q of yearItems) for (const o of q.options!) expect(o.text).toMatch(/^\d{4}$/);
    const personItems = questions.filter((q) => q.text.startsWith('Which person'));
    for (const q of personItems) for (const o of q.options!) expect(o.text).toMatch(/^\p{Lu}/u);
  });

  it('makes false statements that the document does not make, and true ones it does', () => {
    const { questions } = generateQuestions(photosynthesis, options({ questionTypes: ['true_false'], numQuestions: 16, seed: 3 }));
    const text = documentText(photosynthesis);
    const falses = questions.filter((q) => q.correctAnswer === 'false');
    const trues = questions.filter((q) => q.correctAnswer === 'true');
    // About as many false as true, so answering "true" to everything does not pass.
    expect(Math.abs(falses.length - trues.length)).toBeLessThanOrEqual(2);
    for (const q of falses) {
      const statement = q.text.replace(/^True or false: /, '');
      expect(statement).not.toBe(q.source.sentence);
      expect(text).not.toContain(statement.toLowerCase());
    }
    for (const q of trues) expect(q.text).toBe(`True or false: ${q.source.sentence}`);
  });

  it('asks short answers as a cloze on a key term', () => {
    const { questions } = generateQuestions(cellBiology, options({ questionTypes: ['short_answer'] }));
    expect(questions.length).toBeGreaterThan(5);
    for (const q of questions) {
      expect(q.options).toBeNull();
      expect(q.text).toContain('_____');
      expect(q.text.replace(/^Fill in the blank(?: \(\d words\))?: "|"$/g, '').replace('_____', q.correctAnswer)).toBe(
        q.source.sentence.replace(/^./, (c) => (q.correctAnswer.startsWith(c.toLowerCase()) ? c.toLowerCase() : c)),
      );
    }
  });

  it('quotes the source sentence and page in every explanation', () => {
    const { questions } = generateQuestions(frenchRevolution, options());
    for (const q of questions) {
      expect(q.explanation).toContain(q.source.sentence);
      expect(q.explanation).toContain(`page ${q.source.page}`);
      expect(frenchRevolution.find((p) => p.page === q.source.page)!.text.replace(/\s+/g, ' ')).toContain(q.source.sentence);
    }
  });

  it('mixes all three question types by default and keeps to the types asked', () => {
    const mixed = generateQuestions(photosynthesis, options({ numQuestions: 12 }));
    expect(new Set(mixed.questions.map((q) => q.type))).toEqual(new Set(allTypes));
    const onlyTwo = generateQuestions(photosynthesis, options({ questionTypes: ['true_false', 'short_answer'] }));
    expect(new Set(onlyTwo.questions.map((q) => q.type))).toEqual(new Set(['true_false', 'short_answer']));
  });

  it('never asks two questions alike', () => {
    const { questions } = generateQuestions(cellBiology, options({ numQuestions: 20 }));
    const stems = questions.map((q) => q.text.toLowerCase());
    expect(new Set(stems).size).toBe(stems.length);
    const sources = questions.map((q) => q.source.sentence);
    expect(new Set(sources).size).toBe(sources.length);
  });

  it('does not let one question’s stem answer another when the document has room', () => {
    // (In the cell notes "cell" is in nearly every sentence, so ten questions need the relaxed pass.)
    for (const pages of [photosynthesis, frenchRevolution]) {
      const { questions } = generateQuestions(pages, options({ numQuestions: 10 }));
      for (const q of questions) {
        if (q.type === 'true_false') continue;
        const others = questions.filter((other) => other !== q && containsTerm(other.text, q.correctAnswer));
        expect(others.map((o) => o.text)).toEqual([]);
      }
    }
  });

  it('gives the same quiz for the same seed and a different one for another seed', () => {
    const first = generateQuestions(frenchRevolution, options({ seed: 11 }));
    const again = generateQuestions(frenchRevolution, options({ seed: 11 }));
    const other = generateQuestions(frenchRevolution, options({ seed: 12 }));
    expect(again).toEqual(first);
    expect(other.questions).not.toEqual(first.questions);
  });

  it('asks about central definitions when easy and about details when hard', () => {
    for (const pages of [photosynthesis, frenchRevolution, cellBiology]) {
      const easy = generateQuestions(pages, options({ difficulty: 'easy', numQuestions: 8 }));
      const hard = generateQuestions(pages, options({ difficulty: 'hard', numQuestions: 8 }));
      const definitional = (q: GeneratedQuestion): boolean => /\b(?:is|are|was|were) (?:the|a|an)\b/.test(q.source.sentence);
      expect(easy.questions.filter(definitional).length).toBeGreaterThan(hard.questions.filter(definitional).length);
      expect(hard.questions.filter(hasNumber).length).toBeGreaterThan(easy.questions.filter(hasNumber).length);
    }
  });

  it('answers with fewer questions and says so when the document is too short, rather than padding', () => {
    const pages = [
      {
        page: 1,
        text: 'Osmosis is the diffusion of water across a partially permeable membrane. Diffusion is the net movement of particles from a region of higher concentration to a region of lower concentration. Water moves into plant cells by osmosis and keeps them firm.',
      },
    ];
    const result = generateQuestions(pages, options({ numQuestions: 20 }));
    expect(result.generated).toBeLessThan(20);
    expect(result.generated).toBeGreaterThan(0);
    expect(result.questions).toHaveLength(result.generated);
    expect(result.requested).toBe(20);
    expect(result.warnings.join(' ')).toMatch(/supports \d+ good question/);
    expect(checkQuiz(result.questions, pages).problems).toEqual({});
  });

  it('makes no questions from a document without statements', () => {
    const result = generateQuestions([{ page: 1, text: 'Contents\n\nChapter one\nChapter two' }], options());
    expect(result.generated).toBe(0);
    expect(result.warnings).toHaveLength(1);
  });

  it('reads a spread of pages from a very long document and says so', () => {
    const pages = Array.from({ length: 300 }, (_, i) => ({ page: i + 1, text: cellBiology[i % 2]!.text }));
    const spread = pagesToAnalyze(pages, 100_000);
    expect(spread.length).toBeLessThan(pages.length);
    expect(spread[0]!.page).toBe(1);
    expect(spread.at(-1)!.page).toBeGreaterThan(250);
    const small = pagesToAnalyze(cellBiology, 100_000);
    expect(small).toEqual(cellBiology);
  });

  it('reads whole sentences spread over a single page far longer than it reads, as a text file without page breaks is', () => {
    const sentences = Array.from({ length: 30_000 }, (_, i) => `Sample ${i} shows that the cell membrane controls what enters the cell.`);
    const [page] = pagesToAnalyze([{ page: 1, text: sentences.join(' ') }], 100_000);
    expect(page!.text.length).toBeLessThanOrEqual(100_000);
    expect(page!.text.length).toBeGreaterThan(80_000);
    const read = [...page!.text.matchAll(/Sample (\d+) /g)].map((m) => Number(m[1]));
    expect(read[0]).toBe(0);
    expect(read.some((n) => n > 12_000 && n < 18_000)).toBe(true);
    expect(read.at(-1)).toBeGreaterThan(28_000);
    // Every stretch starts and ends on a sentence boundary.
    for (const stretch of page!.text.split('\n\n')) {
      expect(stretch).toMatch(/^Sample \d+ shows .*\.$/s);
    }
    const quiz = generateQuestions([{ page: 1, text: sentences.join(' ') }], options({ numQuestions: 3 }));
    expect(quiz.questions.length).toBeGreaterThan(0);
  });
});
