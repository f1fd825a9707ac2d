import type { GenerateOptions, GenerationResult } from './question-generator.js';
import { generateQuestions } from './question-generator.js';
import type { DocumentPage } from './text-analysis.js';

/** Something that writes a quiz's questions from a document's pages. */
export interface QuestionWriter {
  /** Stored with the quiz, so a reader knows how its questions came about. */
  name: string;
  write(pages: readonly DocumentPage[], options: GenerateOptions): Promise<GenerationResult>;
}

/** The default: questions built from the document's own sentences, no model needed. */
export function createExtractiveWriter(): QuestionWriter {
  return {
    name: 'extractive',
    write: (pages, options) => Promise.resolve(generateQuestions(pages, options)),
  };
}
