import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { frenchRevolution, photosynthesis, storedPassages } from '../../test/fixtures/study-texts.js';
import { generateQuestionsFromPassages, type GenerateOptions } from './question-generator.js';
import { createThreadWriter } from './thread-writer.js';

// The thread runs the built JavaScript, as the service does (scripts/test.sh builds before testing).
const script = new URL('../../dist/generation/generation-thread.js', import.meta.url);
const writer = createThreadWriter({ script });
afterAll(() => writer.close());

const options: GenerateOptions = { numQuestions: 6, difficulty: 'hard', questionTypes: ['multiple_choice', 'true_false', 'short_answer'], seed: 21 };

describe('the question generator in a thread of its own', () => {
  it('needs the built service', () => {
    expect(existsSync(fileURLToPath(script))).toBe(true);
  });

  it('answers with the same questions as the generator run in place, for several jobs at once', async () => {
    const [first, second] = await Promise.all([writer.write(storedPassages(frenchRevolution), options), writer.write(storedPassages(photosynthesis), options)]);
    expect(first.generator).toBe('extractive');
    expect(first.questions).toEqual(generateQuestionsFromPassages(storedPassages(frenchRevolution), options).questions);
    expect(second.questions).toEqual(generateQuestionsFromPassages(storedPassages(photosynthesis), options).questions);
  });

  it('starts again after being closed', async () => {
    await writer.close();
    const result = await writer.write(storedPassages(photosynthesis), { ...options, numQuestions: 2 });
    expect(result.questions).toHaveLength(2);
  });
});
