import type { Passage } from '@learner/text';
import type { GenerateOptions, GenerationResult, TermMeasures } from './question-generator.js';
import { generateQuestionsFromPassages, termCandidatesOfPassages } from './question-generator.js';

export interface WrittenQuiz extends GenerationResult {
  /** How the questions came about; stored with the quiz. */
  generator: string;
}

/** What the document service measured of a list of terms, in the list's order. */
export interface TermMeasurement {
  /** How closely the document's nearest passage answers each term taken as a question; null where not measured. */
  relatedness: Array<number | null>;
  /** How alike in meaning each two terms are (cosine similarity), a row for each term. */
  likeness?: number[][];
}

/** What the caller can measure for the writer. */
export interface WriteContext {
  /** Measures the terms; undefined when nothing can be measured now. */
  relatedness?: (terms: string[]) => Promise<TermMeasurement | undefined>;
}

/** Something that writes a quiz's questions from the passages the document service stored for a document. */
export interface QuestionWriter {
  write(passages: readonly Passage[], options: GenerateOptions, context?: WriteContext): Promise<WrittenQuiz>;
}

/**
 * What was measured of the terms a quiz would choose among, by term key, or undefined when nothing
 * could be: a term the document explains in a passage of its own is a concept to be tested on, and
 * the terms nearest it in meaning are the ones to set beside it.
 */
export async function measuredTerms(
  candidates: ReadonlyArray<{ term: string; key: string }>,
  context: WriteContext | undefined,
): Promise<TermMeasures | undefined> {
  if (!context?.relatedness || candidates.length === 0) return undefined;
  const measurement = await context.relatedness(candidates.map((c) => c.term)).catch(() => undefined);
  if (measurement?.relatedness.length !== candidates.length) return undefined;
  const relatedness = new Map<string, number>();
  candidates.forEach((c, i) => {
    const value = measurement.relatedness[i];
    if (typeof value === 'number') relatedness.set(c.key, value);
  });
  if (relatedness.size === 0) return undefined;
  const { likeness } = measurement;
  const square = likeness?.length === candidates.length && likeness.every((row) => row.length === candidates.length);
  return { relatedness, ...(square ? { likeness: { keys: candidates.map((c) => c.key), values: likeness } } : {}) };
}

/** The default: questions built from the document's own sentences, no model needed. */
export function createExtractiveWriter(): QuestionWriter {
  return {
    async write(passages, options, context) {
      const measures = await measuredTerms(context?.relatedness ? termCandidatesOfPassages(passages) : [], context);
      return { ...generateQuestionsFromPassages(passages, options, measures), generator: 'extractive' };
    },
  };
}
