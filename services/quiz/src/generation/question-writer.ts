import type { Passage } from '@learner/text';
import type { GenerateOptions, GenerationResult } from './question-generator.js';
import { generateQuestionsFromPassages } from './question-generator.js';

export interface WrittenQuiz extends GenerationResult {
  /** How the questions came about; stored with the quiz. */
  generator: string;
}

/** Something that writes a quiz's questions from the passages the document service stored for a document. */
export interface QuestionWriter {
  write(passages: readonly Passage[], options: GenerateOptions): Promise<WrittenQuiz>;
}

/** The default: questions built from the document's own sentences, no model needed. */
export function createExtractiveWriter(): QuestionWriter {
  return {
    write: (passages, options) => Promise.resolve({ ...generateQuestionsFromPassages(passages, options), generator: 'extractive' }),
  };
}
