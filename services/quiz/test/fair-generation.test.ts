import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExtractiveWriter, type QuestionWriter } from '../src/generation/question-writer.js';
import { frenchRevolution, photosynthesis } from './fixtures/study-texts.js';
import { startHarness, type Harness } from './harness.js';

/** Whose document each quiz was started from, in the order the writer started them. */
const started: string[] = [];
/** Resolved once the other user's request has read its document, so it is queuing for the writer. */
let lightQueued: Promise<void> = Promise.resolve();
/** The real generator, taking a while per quiz the way a long document does. */
const extractive = createExtractiveWriter();
const slowWriter: QuestionWriter = {
  async write(passages, options) {
    started.push(passages.some((p) => p.text.includes('chlorophyll')) ? 'light' : 'heavy');
    // The heavy user's quizzes in the writer finish only after the other user's request waits
    // with theirs for a place, however slowly the machine gets it there.
    await Promise.all([new Promise((resolve) => setTimeout(resolve, 150)), lightQueued]);
    return extractive.write(passages, options);
  },
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ writer: slowWriter });
});
afterAll(async () => {
  await h?.close();
});

describe('quiz generation under one heavy user', () => {
  it("another user's quiz, asked for after the heavy user's eight, is written before most of them", async () => {
    const heavy = h.newUser();
    const light = h.newUser();
    const heavyDoc = await h.documents.add(heavy, { title: 'Revolution', pages: frenchRevolution });
    const lightDoc = await h.documents.add(light, { title: 'Photosynthesis', pages: photosynthesis });
    const ask = (user: typeof heavy, documentId: number) =>
      request(h.app).post('/api/v1/quizzes/generate').set(h.as(user)).send({ document_id: documentId, num_questions: 3 });

    lightQueued = (async () => {
      while (h.documents.reads(lightDoc.id) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      await new Promise((resolve) => setTimeout(resolve, 100));
    })();
    const heavyCalls = Array.from({ length: 8 }, () => ask(heavy, heavyDoc.id).then((r) => r.status));
    // The heavy user's requests hold every place and the rest wait for one.
    while (started.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const lightCall = await ask(light, lightDoc.id);
    expect(lightCall.status).toBe(201);
    expect(await Promise.all(heavyCalls)).toEqual(Array(8).fill(201));

    expect(started).toHaveLength(9);
    // One of the heavy user's quizzes took the first freed place at most before it.
    expect(started.indexOf('light')).toBeLessThanOrEqual(3);
  });
});
