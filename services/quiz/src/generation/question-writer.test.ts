import { describe, expect, it } from 'vitest';
import { segmentDocument } from '@learner/text';
import type { GenerateOptions } from './question-generator.js';
import { createExtractiveWriter, type QuestionWriter, type WriteContext } from './question-writer.js';
import { createThreadWriter } from './thread-writer.js';

const CONCEPTS = [
  ['osmosis', 'the movement of water across a membrane'],
  ['diffusion', 'the spreading of particles from crowded to sparse regions'],
  ['mitosis', 'the division of one nucleus into two identical nuclei'],
  ['meiosis', 'the division that makes cells with half the chromosomes'],
  ['photosynthesis', 'the making of sugar from light, water and carbon dioxide'],
  ['respiration', 'the release of energy from sugar in the cell'],
  ['enzyme', 'a protein that speeds up a reaction in the cell'],
  ['chromosome', 'a long thread of genes in the nucleus'],
  ['ribosome', 'a small body that builds proteins from amino acids'],
  ['homeostasis', 'the keeping of steady conditions inside the body'],
  ['mutation', 'a change in the sequence of a gene'],
  ['allele', 'one of the forms a gene can take'],
] as const;
const TEXT = CONCEPTS.map(([term, meaning]) => `${term.charAt(0).toUpperCase()}${term.slice(1)} is ${meaning}. Biologists study ${term} in many living things.`).join(' ');
const PASSAGES = segmentDocument([{ page: 1, text: TEXT }]).passages;
const OPTIONS: GenerateOptions = { numQuestions: 4, difficulty: 'medium', questionTypes: ['short_answer'], seed: 5 };

// Two families of the text's terms, each alike within itself: heredity and the cell's traffic.
const HEREDITY = new Set(['mitosis', 'meiosis', 'chromosome', 'mutation', 'allele', 'ribosome']);
const family = (term: string): boolean => HEREDITY.has(term.toLowerCase());
/** The terms measured as alike within a family and apart across the two. */
const familyLikeness: WriteContext = {
  relatedness: async (terms) => ({
    relatedness: terms.map(() => 0.7),
    likeness: terms.map((a) => terms.map((b) => (a === b ? 1 : family(a) === family(b) ? 0.85 : 0.55))),
  }),
};

const answers = async (writer: QuestionWriter, relatedness?: WriteContext['relatedness']) =>
  (await writer.write(PASSAGES, OPTIONS, relatedness ? { relatedness } : undefined)).questions.map((q) => q.correctAnswer.toLowerCase());

describe.each([
  ['in this thread', () => createExtractiveWriter()],
  // The thread runs the built JavaScript, as the service does (scripts/test.sh builds before testing).
  ['in its thread', () => createThreadWriter({ script: new URL('../../dist/generation/generation-thread.js', import.meta.url) })],
])('the extractive writer %s, with the terms measured by how well a passage explains them', (_, make) => {
  it('asks about the terms measured as explained first, and is unchanged when nothing can be measured', async () => {
    const writer = make();
    try {
      const plain = await answers(writer);
      let asked: string[] = [];
      // The terms the plain quiz did not ask about are the ones a passage explains best.
      const measured = await answers(writer, async (terms) => {
        asked = terms;
        return { relatedness: terms.map((term) => (plain.includes(term.toLowerCase()) ? 0.3 : 0.9)) };
      });
      expect(asked.length).toBeGreaterThan(plain.length);
      expect(measured.length).toBe(plain.length);
      expect(measured.filter((answer) => plain.includes(answer))).toEqual([]);

      expect(await answers(writer, async () => undefined)).toEqual(plain);
      expect(await answers(writer, () => Promise.reject(new Error('the document service is down')))).toEqual(plain);
    } finally {
      if ('close' in writer) await (writer as { close(): Promise<void> }).close();
    }
  });

  it("sets beside a multiple-choice question's key the terms measured nearest to it in meaning", async () => {
    const choice: GenerateOptions = { numQuestions: 6, difficulty: 'medium', questionTypes: ['multiple_choice'], seed: 5 };
    const writer = make();
    try {
      const mixedFamilies = async (context?: WriteContext): Promise<number> => {
        const { questions } = await writer.write(PASSAGES, choice, context);
        const termChoices = questions.filter((q) => q.options?.every((o) => CONCEPTS.some(([term]) => term === o.text.toLowerCase())));
        expect(termChoices.length).toBeGreaterThanOrEqual(3);
        return termChoices.filter((q) => q.options!.some((o) => family(o.text) !== family(q.correctAnswer))).length;
      };
      expect(await mixedFamilies(familyLikeness)).toBe(0);
      // Without it the other options are the section's terms of any family.
      expect(await mixedFamilies()).toBeGreaterThan(0);
    } finally {
      if ('close' in writer) await (writer as { close(): Promise<void> }).close();
    }
  });

  it('makes a statement false with the term measured nearest in meaning to the one it replaces', async () => {
    // "Meiosis is the division of one nucleus into two identical nuclei" asks the learner to tell two kinds of
    // division apart; "Homeostasis is the division …" is false at a glance.
    const writer = make();
    try {
      const mixedFamilies = async (context?: WriteContext): Promise<number> => {
        let swaps = 0;
        let mixed = 0;
        for (const seed of [1, 2, 3, 4]) {
          const { questions } = await writer.write(PASSAGES, { numQuestions: 8, difficulty: 'medium', questionTypes: ['true_false'], seed }, context);
          for (const q of questions) {
            const swap = /puts "(.+)" where the document has "(.+)"/.exec(q.explanation);
            if (!swap) continue;
            swaps++;
            if (family(swap[1]!) !== family(swap[2]!)) mixed++;
          }
        }
        expect(swaps).toBeGreaterThanOrEqual(8);
        return mixed;
      };
      expect(await mixedFamilies(familyLikeness)).toBe(0);
      // Without it the term swapped in is any of the text's terms.
      expect(await mixedFamilies()).toBeGreaterThan(0);
    } finally {
      if ('close' in writer) await (writer as { close(): Promise<void> }).close();
    }
  });
});
