import type { GenerateOptions, GenerationResult } from './question-generator.js';
import { generateQuestions } from './question-generator.js';
import type { DocumentPage } from './question.js';

export interface WrittenQuiz extends GenerationResult {
  /** How the questions came about; stored with the quiz. */
  generator: string;
}

/** Something that writes a quiz's questions from a document's pages. */
export interface QuestionWriter {
  write(pages: readonly DocumentPage[], options: GenerateOptions): Promise<WrittenQuiz>;
}

/** The default: questions built from the document's own sentences, no model needed. */
export function createExtractiveWriter(): QuestionWriter {
  return {
    write: (pages, options) => Promise.resolve({ ...generateQuestions(pages, options), generator: 'extractive' }),
  };
}
