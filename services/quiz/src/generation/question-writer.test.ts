import { describe, expect, it } from 'vitest';
import { segmentDocument } from '@learner/text';
import type { GenerateOptions } from './question-generator.js';
import { createExtractiveWriter, type QuestionWriter } from './question-writer.js';
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

const answers = async (writer: QuestionWriter, relatedness?: (terms: string[]) => Promise<Array<number | null> | undefined>) =>
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
        return terms.map((term) => (plain.includes(term.toLowerCase()) ? 0.3 : 0.9));
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
});
