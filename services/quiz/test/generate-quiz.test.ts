import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOPICS } from '@learner/common/events';
import type { RequestUser } from '@learner/common/http';
import { checkQuiz } from '../src/generation/item-check.js';
import { createQuizRepository } from '../src/quizzes/quiz-repository.js';
import { frenchRevolution, photosynthesis } from './fixtures/study-texts.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

function generate(user: RequestUser, body: Record<string, unknown>, path = '/api/v1/quizzes/generate') {
  return request(h.app).post(path).set(h.as(user)).send(body);
}

const ANSWER_FIELDS = /"(?:correct_answer|correct_option_id|explanation|source|source_sentence|answer)"/;

describe('generating a quiz', () => {
  it('makes a quiz from the caller’s completed document and answers 201 with its questions but no answers', async () => {
    const user = h.newUser();
    const doc = await h.documents.add(user, { title: 'Photosynthesis notes', pages: photosynthesis });
    const res = await generate(user, { document_id: doc.id, num_questions: 8, difficulty: 'easy' });
    expect(res.status).toBe(201);
    const quiz = res.body.data;
    expect(quiz).toMatchObject({
      document_id: doc.id,
      title: 'Quiz: Photosynthesis notes',
      difficulty: 'easy',
      question_types: ['multiple_choice', 'true_false', 'short_answer'],
      requested: 8,
      generated: 8,
      total_questions: 8,
      total_points: 8,
    });
    expect(quiz.note).toBeUndefined();
    expect(quiz.questions).toHaveLength(8);
    expect(JSON.stringify(quiz)).not.toMatch(ANSWER_FIELDS);
    for (const q of quiz.questions) expect(Object.keys(q).sort()).toEqual(['id', 'options', 'points', 'position', 'question_text', 'question_type']);
  });

  it('stores items that all pass the item check against the document', async () => {
    const user = h.newUser();
    const doc = await h.documents.add(user, { title: 'Revolution', pages: frenchRevolution });
    const res = await generate(user, { document_id: doc.id, num_questions: 20, difficulty: 'hard' });
    expect(res.status).toBe(201);
    const stored = await createQuizRepository(h.db.pool).questions(res.body.data.id);
    expect(stored).toHaveLength(res.body.data.generated);
    expect(checkQuiz(stored, frenchRevolution).problems).toEqual({});
  });

  it('answers the same way on POST /api/v1/quizzes, with the title and question types asked for', async () => {
    const user = h.newUser();
    const doc = await h.documents.add(user, { title: 'Photosynthesis', pages: photosynthesis });
    const res = await generate(
      user,
      { document_id: doc.id, num_questions: 5, difficulty: 'medium', question_types: ['true_false'], title: 'Leaves' },
      '/api/v1/quizzes',
    );
    expect(res.status).toBe(201);
    expect(res.body.data.title).toBe('Leaves');
    expect(res.body.data.questions.map((q: { question_type: string }) => q.question_type)).toEqual(Array(5).fill('true_false'));
    expect(res.body.data.questions[0].options).toEqual([
      { id: 'true', text: 'True' },
      { id: 'false', text: 'False' },
    ]);
  });

  it('writes quiz.generated to the outbox with the quiz it describes', async () => {
    const user = h.newUser();
    const doc = await h.documents.add(user, { title: 'Photosynthesis', pages: photosynthesis });
    const res = await generate(user, { document_id: doc.id, num_questions: 3, difficulty: 'easy' });
    const events = (await h.events(TOPICS.quizGenerated)).filter((e) => e.user_id === user.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      event_type: 'quiz.generated',
      payload: { quiz_id: res.body.data.id, document_id: doc.id, total_questions: 3, difficulty: 'easy' },
    });
  });

  it('reproduces the same questions from the same seed', async () => {
    const user = h.newUser();
    const doc = await h.documents.add(user, { title: 'Revolution', pages: frenchRevolution });
    const first = await generate(user, { document_id: doc.id, num_questions: 6, difficulty: 'medium', seed: 99 });
    const second = await generate(user, { document_id: doc.id, num_questions: 6, difficulty: 'medium', seed: 99 });
    const stems = (res: request.Response) => res.body.data.questions.map((q: { question_text: string }) => q.question_text);
    expect(first.body.data.seed).toBe(99);
    expect(stems(second)).toEqual(stems(first));
  });

  it('when the document is too short, answers with the questions it supports and says so', async () => {
    const user = h.newUser();
    const doc = await h.documents.add(user, {
      title: 'Osmosis',
      pages: [
        {
          page: 1,
          text: 'Osmosis is the diffusion of water across a partially permeable membrane. Diffusion is the net movement of particles from a region of higher concentration to a region of lower concentration.',
        },
      ],
    });
    const res = await generate(user, { document_id: doc.id, num_questions: 20, difficulty: 'easy' });
    expect(res.status).toBe(201);
    expect(res.body.data.requested).toBe(20);
    expect(res.body.data.generated).toBeLessThan(20);
    expect(res.body.data.questions).toHaveLength(res.body.data.generated);
    expect(res.body.data.note).toMatch(/supports \d+ good question/);
    expect(res.body.data.warnings).toEqual([res.body.data.note]);
  });

  it('answers 400 and stores nothing when the document has nothing to ask about', async () => {
    const user = h.newUser();
    const doc = await h.documents.add(user, { title: 'Contents', pages: [{ page: 1, text: 'Contents\nChapter one' }] });
    const res = await generate(user, { document_id: doc.id, num_questions: 5 });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('ValidationError');
    const list = await request(h.app).get('/api/v1/quizzes').set(h.as(user));
    expect(list.body.pagination.total).toBe(0);
  });
});

describe('generating from a document that cannot be used', () => {
  it('answers 404 for another user’s document and for one that does not exist, and stores nothing', async () => {
    const owner = h.newUser();
    const other = h.newUser();
    const doc = await h.documents.add(owner, { title: 'Private', pages: photosynthesis });
    for (const id of [doc.id, 999_999]) {
      const res = await generate(other, { document_id: id, num_questions: 5 });
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ error: 'NotFound', request_id: expect.any(String), timestamp: expect.any(String) });
    }
    const list = await request(h.app).get('/api/v1/quizzes').set(h.as(other));
    expect(list.body.pagination.total).toBe(0);
  });

  it('answers 409 for a document that is not processed yet', async () => {
    const user = h.newUser();
    const doc = await h.documents.add(user, { title: 'Pending', pages: photosynthesis, status: 'uploaded' });
    const res = await generate(user, { document_id: doc.id, num_questions: 5 });
    expect(res.status).toBe(409);
    expect(res.body.error).toBe('Conflict');
    expect(res.body.message).toMatch(/not processed yet/);
  });

  it('says a document that failed to process needs processing again, rather than waiting', async () => {
    const user = h.newUser();
    const doc = await h.documents.add(user, { title: 'Broken scan', pages: [], status: 'failed' });
    const res = await generate(user, { document_id: doc.id, num_questions: 5 });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: 'Conflict', details: { document_id: doc.id, status: 'failed' } });
    expect(res.body.message).toContain(`/api/v1/documents/${doc.id}/process`);
  });
});

describe('bad generation requests', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['zero questions', { num_questions: 0 }, 'num_questions'],
    ['21 questions', { num_questions: 21 }, 'num_questions'],
    ['a fractional count', { num_questions: 2.5 }, 'num_questions'],
    ['an unknown difficulty', { difficulty: 'impossible' }, 'difficulty'],
    ['an unknown question type', { question_types: ['essay'] }, 'question_types.0'],
    ['an empty list of types', { question_types: [] }, 'question_types'],
    ['a repeated type', { question_types: ['true_false', 'true_false'] }, 'question_types'],
    ['an unknown field', { answers_included: true }, 'answers_included'],
    ['a document id that is text', { document_id: 'seven' }, 'document_id'],
  ];
  for (const [what, change, field] of cases) {
    it(`answers 400 naming the field for ${what}`, async () => {
      const user = h.newUser();
      const doc = await h.documents.add(user, { title: 'Notes', pages: photosynthesis });
      const res = await generate(user, { document_id: doc.id, num_questions: 5, ...change });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('ValidationError');
      expect(res.body.details).toHaveProperty([field]);
    });
  }

  it('answers 400 when no document is named, and for a body that is not JSON', async () => {
    const user = h.newUser();
    expect((await generate(user, { num_questions: 5 })).status).toBe(400);
    const res = await request(h.app)
      .post('/api/v1/quizzes/generate')
      .set(h.as(user))
      .set('content-type', 'application/json')
      .send('{"document_id": ');
    expect(res.status).toBe(400);
  });
});

describe('reaching the document service', () => {
  it('answers 503 when the document service is down', async () => {
    const down = await startHarness({ documentServiceUrl: 'http://127.0.0.1:9' });
    try {
      const user = down.newUser();
      const res = await request(down.app).post('/api/v1/quizzes/generate').set(down.as(user)).send({ document_id: 1, num_questions: 3 });
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ error: 'ServiceUnavailable', details: { dependency: 'document' } });
    } finally {
      await down.close();
    }
  });

  it('answers 503 when the document service does not answer in time', async () => {
    const slow = await startHarness({ documentTimeoutMs: 200 });
    try {
      const user = slow.newUser();
      const doc = await slow.documents.add(user, { title: 'Slow', pages: photosynthesis });
      slow.documents.slowDown(1000);
      const res = await request(slow.app).post('/api/v1/quizzes/generate').set(slow.as(user)).send({ document_id: doc.id, num_questions: 3 });
      expect(res.status).toBe(503);
      expect(res.body.message).toMatch(/in time/);
    } finally {
      await slow.close();
    }
  });
});

describe('identity', () => {
  it('answers 401 without an internal token and with a forged user header', async () => {
    const user = h.newUser();
    const bare = await request(h.app).get('/api/v1/quizzes').set('x-user-id', user.id);
    expect(bare.status).toBe(401);
    const forged = await request(h.app).get('/api/v1/quizzes').set({ ...h.as(user), 'x-user-id': h.newUser().id });
    expect(forged.status).toBe(401);
  });
});
