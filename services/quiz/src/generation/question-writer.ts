import type { Passage } from '@learner/text';
import type { GenerateOptions, GenerationResult } from './question-generator.js';
import { generateQuestionsFromPassages, termCandidatesOfPassages } from './question-generator.js';

export interface WrittenQuiz extends GenerationResult {
  /** How the questions came about; stored with the quiz. */
  generator: string;
}

/** What the caller can measure for the writer. */
export interface WriteContext {
  /**
   * For each term, how closely the document's nearest passage answers it taken as a question
   * (null where it cannot be measured); undefined when nothing can be measured now.
   */
  relatedness?: (terms: string[]) => Promise<Array<number | null> | undefined>;
}

/** Something that writes a quiz's questions from the passages the document service stored for a document. */
export interface QuestionWriter {
  write(passages: readonly Passage[], options: GenerateOptions, context?: WriteContext): Promise<WrittenQuiz>;
}

/**
 * The relatedness of the terms a quiz would choose among, by term key, or undefined when it cannot
 * be measured: a term the document explains in a passage of its own is a concept to be tested on.
 */
export async function measuredTerms(
  candidates: ReadonlyArray<{ term: string; key: string }>,
  context: WriteContext | undefined,
): Promise<Map<string, number> | undefined> {
  if (!context?.relatedness || candidates.length === 0) return undefined;
  const values = await context.relatedness(candidates.map((c) => c.term)).catch(() => undefined);
  if (values?.length !== candidates.length) return undefined;
  const measured = new Map<string, number>();
  candidates.forEach((c, i) => {
    const value = values[i];
    if (typeof value === 'number') measured.set(c.key, value);
  });
  return measured.size ? measured : undefined;
}

/** The default: questions built from the document's own sentences, no model needed. */
export function createExtractiveWriter(): QuestionWriter {
  return {
    async write(passages, options, context) {
      const relatedness = await measuredTerms(context?.relatedness ? termCandidatesOfPassages(passages) : [], context);
      return { ...generateQuestionsFromPassages(passages, options, relatedness), generator: 'extractive' };
    },
  };
}
