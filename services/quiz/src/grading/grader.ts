import damerauLevenshtein from 'damerau-levenshtein';
import { termKey } from '@learner/text';
import type { QuestionOption, QuestionType } from '../generation/question.js';

export type AnswerValue = string | number | boolean;

export interface GradableQuestion {
  type: QuestionType;
  options: QuestionOption[] | null;
  correctAnswer: string;
}

const TRUE_WORDS = new Set(['true', 't', 'yes', 'y', 'correct', 'right', '1', 'vrai', 'wahr']);
const FALSE_WORDS = new Set(['false', 'f', 'no', 'n', 'incorrect', 'wrong', '0', 'faux', 'falsch']);
const LEADING_ARTICLE = /^(?:the|a|an)\s+/;

/** Lower case, no accents, no punctuation, no leading article, single spaces. */
export function normalizeAnswer(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .replace(LEADING_ARTICLE, '')
    .trim();
}

/** One slip (a wrong, missing, extra or swapped letter) is forgiven in one word of five letters or more. */
function withinOneTypo(given: string, expected: string): boolean {
  const a = given.split(' ');
  const b = expected.split(' ');
  if (a.length !== b.length) return false;
  let slips = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (/\d/.test(x) || /\d/.test(y) || y.length < 5) return false;
    if (damerauLevenshtein(x, y).steps > 1) return false;
    slips += 1;
  }
  return slips <= 1;
}

function asText(answer: AnswerValue): string {
  return typeof answer === 'string' ? answer : String(answer);
}

/** The option an answer names, by its id ("b", "(b)", "B)") or by its text. */
export function chosenOption(options: readonly QuestionOption[], answer: AnswerValue): QuestionOption | undefined {
  const raw = asText(answer).trim();
  const id = /^\(?\s*([a-z0-9]+)\s*[).:]?\)?$/i.exec(raw)?.[1]?.toLowerCase();
  const byId = id === undefined ? undefined : options.find((o) => o.id.toLowerCase() === id);
  if (byId) return byId;
  const normalized = normalizeAnswer(raw);
  return options.find((o) => normalizeAnswer(o.text) === normalized);
}

/** Reads true/false from booleans, 1/0 and words such as "True", "yes", "F". */
export function truthValue(answer: AnswerValue): boolean | undefined {
  if (typeof answer === 'boolean') return answer;
  const word = normalizeAnswer(asText(answer));
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return undefined;
}

export function isCorrect(question: GradableQuestion, answer: AnswerValue | null | undefined): boolean {
  if (answer === null || answer === undefined) return false;
  switch (question.type) {
    case 'multiple_choice': {
      const option = chosenOption(question.options ?? [], answer);
      return option !== undefined && option.text === question.correctAnswer;
    }
    case 'true_false': {
      const value = truthValue(answer);
      return value !== undefined && String(value) === question.correctAnswer;
    }
    case 'short_answer': {
      const given = normalizeAnswer(asText(answer));
      const expected = normalizeAnswer(question.correctAnswer);
      if (!given) return false;
      // The term in another number or form ("hypotheses", "socialized") is the term: the same stems.
      return given === expected || withinOneTypo(given, expected) || termKey(given) === termKey(expected);
    }
  }
}
