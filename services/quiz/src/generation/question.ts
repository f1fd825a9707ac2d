import { QUIZ_DIFFICULTIES, QUIZ_QUESTION_TYPES } from '@learner/common/contracts';

/** The kinds of question and the difficulties are the quiz contract's: what a request may ask for is what is generated. */
export const QUESTION_TYPES = QUIZ_QUESTION_TYPES;
export type QuestionType = (typeof QUESTION_TYPES)[number];

export const DIFFICULTIES = QUIZ_DIFFICULTIES;
export type Difficulty = (typeof DIFFICULTIES)[number];

export interface QuestionOption {
  id: string;
  text: string;
}

export interface QuestionSource {
  page: number;
  sentence: string;
}

/** A question as generated, answer included; only the grader and results ever see the answer. */
export interface GeneratedQuestion {
  type: QuestionType;
  text: string;
  /** Four options for multiple choice, True/False for true/false, none for short answer. */
  options: QuestionOption[] | null;
  /** The key's text (multiple choice: the right option's text; true/false: "true" or "false"). */
  correctAnswer: string;
  explanation: string;
  source: QuestionSource;
  points: number;
}

export const TRUE_FALSE_OPTIONS: QuestionOption[] = [
  { id: 'true', text: 'True' },
  { id: 'false', text: 'False' },
];

/** The text of one page of a document, as the document service gives it. */
export type { PageText as DocumentPage } from '@learner/text';
