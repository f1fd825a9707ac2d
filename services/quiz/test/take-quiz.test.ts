import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOPICS } from '@learner/common/events';
import type { RequestUser } from '@learner/common/http';
import { createQuizRepository, type QuestionRecord } from '../src/quizzes/quiz-repository.js';
import { cellBiology, frenchRevolution } from './fixtures/study-texts.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

async function makeQuiz(user: RequestUser, numQuestions = 9) {
  const doc = await h.documents.add(user, { title: 'Revolution', pages: frenchRevolution });
  const res = await request(h.app)
    .post('/api/v1/quizzes/generate')
    .set(h.as(user))
    .send({ document_id: doc.id, num_questions: numQuestions, difficulty: 'medium' });
  expect(res.status).toBe(201);
  const questions = await createQuizRepository(h.db.pool).questions(res.body.data.id);
  return { id: res.body.data.id as number, questions };
}

function submit(user: RequestUser, id: number, body: unknown) {
  return request(h.app).post(`/api/v1/quizzes/${id}/submit`).set(h.as(user)).send(body as object);
}

/** The right answer written the way a hurried person might: option ids, words, no capitals, a typo. */
function forgivingForm(q: QuestionRecord, i: number): string | boolean {
  if (q.type === 'multiple_choice') {
    const key = q.options!.find((o) => o.text === q.correctAnswer)!;
    return i % 2 ? key.id.toUpperCase() : `${q.correctAnswer.toLowerCase()}.`;
  }
  if (q.type === 'true_false') {
    const forms = q.correctAnswer === 'true' ? [true, 'True', 'yes', 'T'] : [false, 'False', 'no', 'F'];
    return forms[i % forms.length]!;
  }
  const answer = q.correctAnswer.toUpperCase();
  const longWord = /[A-Za-z]{6,}/.exec(q.correctAnswer);
  if (longWord && i % 2 === 0) {
    // Drop one letter from a long word: one small typo.
    const at = longWord.index + 3;
    return `the ${q.correctAnswer.slice(0, at)}${q.correctAnswer.slice(at + 1)}!`;
  }
  return `the ${answer}?`;
}

function wrongAnswer(q: QuestionRecord): string | boolean {
  if (q.type === 'multiple_choice') return q.options!.find((o) => o.text !== q.correctAnswer)!.id;
  if (q.type === 'true_false') return q.correctAnswer !== 'true';
  return 'photosynthesis';
}

describe('submitting answers', () => {
  it('grades the right answers in forgiving forms as right and answers 201 with the score', async () => {
    const user = h.newUser();
    const { id, questions } = await makeQuiz(user);
    expect(new Set(questions.map((q) => q.type)).size).toBe(3);
    const answers = Object.fromEntries(questions.map((q, i) => [String(q.id), forgivingForm(q, i)]));
    const res = await submit(user, id, { answers });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      submission_id: expect.any(Number),
      quiz_id: id,
      score: questions.length,
      total_points: questions.length,
      percentage: 100,
    });
    expect(res.body.data.results.filter((r: { correct: boolean }) => !r.correct)).toEqual([]);
  });

  it('grades wrong answers as wrong and shows the correct answer, explanation and source of each', async () => {
    const user = h.newUser();
    const { id, questions } = await makeQuiz(user);
    const answers = Object.fromEntries(questions.map((q) => [String(q.id), wrongAnswer(q)]));
    const res = await submit(user, id, { answers });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ score: 0, total_points: questions.length, percentage: 0 });
    for (const q of questions) {
      const result = res.body.data.results.find((r: { question_id: number }) => r.question_id === q.id);
      expect(result).toMatchObject({
        correct: false,
        your_answer: answers[String(q.id)],
        correct_answer: q.correctAnswer,
        explanation: q.explanation,
        source: q.source,
        points_awarded: 0,
      });
      if (q.type === 'multiple_choice') expect(result.correct_option_id).toBe(q.options!.find((o) => o.text === q.correctAnswer)!.id);
    }
  });

  it('counts unanswered questions as wrong and works out the percentage', async () => {
    const user = h.newUser();
    const { id, questions } = await makeQuiz(user, 4);
    const [first] = questions;
    const res = await submit(user, id, { answers: { [first!.id]: forgivingForm(first!, 1) } });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ score: 1, total_points: 4, percentage: 25 });
    const unanswered = res.body.data.results.filter((r: { your_answer: unknown }) => r.your_answer === null);
    expect(unanswered).toHaveLength(3);
    expect(unanswered.every((r: { correct: boolean }) => !r.correct)).toBe(true);
  });

  it('writes quiz.submitted to the outbox with the score', async () => {
    const user = h.newUser();
    const { id, questions } = await makeQuiz(user, 3);
    const res = await submit(user, id, { answers: { [questions[0]!.id]: forgivingForm(questions[0]!, 1) } });
    const events = (await h.events(TOPICS.quizSubmitted)).filter((e) => e.user_id === user.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      event_type: 'quiz.submitted',
      payload: { quiz_id: id, submission_id: res.body.data.submission_id, score: 1, total_points: 3 },
    });
  });
});

describe('bad submissions', () => {
  it('answers 400 naming an answer to a question the quiz does not have, and stores nothing', async () => {
    const user = h.newUser();
    const { id, questions } = await makeQuiz(user, 3);
    const res = await submit(user, id, { answers: { [questions[0]!.id]: 'a', 99999: 'b' } });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('ValidationError');
    expect(res.body.details['answers.99999']).toMatch(/not a question/);
    const results = await request(h.app).get(`/api/v1/quizzes/${id}/results`).set(h.as(user));
    expect(results.body.data.attempts).toBe(0);
  });

  const malformed: Array<[string, unknown]> = [
    ['no answers field', {}],
    ['answers that are a list', { answers: ['a', 'b'] }],
    ['an answer that is an object', { answers: { 1: { option: 'a' } } }],
    ['an answer that is null', { answers: { 1: null } }],
    ['a question id that is not a number', { answers: { first: 'a' } }],
    ['an unknown field', { answers: {}, user_id: 'someone-else' }],
  ];
  for (const [what, body] of malformed) {
    it(`answers 400 for ${what}`, async () => {
      const user = h.newUser();
      const { id } = await makeQuiz(user, 2);
      const res = await submit(user, id, body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: 'ValidationError', details: expect.any(Object) });
    });
  }

  it('answers 404, not 500, when the quiz is deleted while an answer is being submitted', async () => {
    const user = h.newUser();
    const { id, questions } = await makeQuiz(user, 3);
    // A delete in progress on another connection: the submission arrives before it commits.
    const deleting = await h.db.pool.connect();
    try {
      await deleting.query('BEGIN');
      await deleting.query('DELETE FROM quizzes WHERE id = $1', [id]);
      // then() sends the request now; it waits on the delete's lock.
      const submitting = submit(user, id, { answers: { [questions[0]!.id]: wrongAnswer(questions[0]!) } }).then((res) => res);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await deleting.query('COMMIT');
      const res = await submitting;
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ error: 'NotFound', details: { quiz_id: id } });
    } finally {
      deleting.release();
    }
    const { rows } = await h.db.pool.query('SELECT count(*)::int AS n FROM quiz_submissions WHERE quiz_id = $1', [id]);
    expect(rows[0].n).toBe(0);
  });

  it('answers 404 when submitting to another user’s quiz or one that does not exist', async () => {
    const owner = h.newUser();
    const { id } = await makeQuiz(owner, 2);
    const other = h.newUser();
    expect((await submit(other, id, { answers: {} })).status).toBe(404);
    expect((await submit(other, 7_654_321, { answers: {} })).status).toBe(404);
  });
});

describe('results', () => {
  it('lists the caller’s submissions, newest first, with the best score', async () => {
    const user = h.newUser();
    const { id, questions } = await makeQuiz(user, 4);
    const right = Object.fromEntries(questions.map((q, i) => [String(q.id), forgivingForm(q, i)]));
    const wrong = Object.fromEntries(questions.map((q) => [String(q.id), wrongAnswer(q)]));
    const best = await submit(user, id, { answers: right });
    const worst = await submit(user, id, { answers: wrong });
    // Someone else's attempt at a quiz of theirs never shows here.
    const res = await request(h.app).get(`/api/v1/quizzes/${id}/results`).set(h.as(user));
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      quiz_id: id,
      attempts: 2,
      best_score: 4,
      best_percentage: 100,
      best_submission_id: best.body.data.submission_id,
      total_points: 4,
    });
    expect(res.body.data.submissions.map((s: { submission_id: number }) => s.submission_id)).toEqual([
      worst.body.data.submission_id,
      best.body.data.submission_id,
    ]);
  });

  it('answers 404 for another user’s quiz results', async () => {
    const owner = h.newUser();
    const doc = await h.documents.add(owner, { title: 'Cells', pages: cellBiology });
    const made = await request(h.app).post('/api/v1/quizzes').set(h.as(owner)).send({ document_id: doc.id, num_questions: 2 });
    const res = await request(h.app).get(`/api/v1/quizzes/${made.body.data.id}/results`).set(h.as(h.newUser()));
    expect(res.status).toBe(404);
  });

  it('shows no best score before any submission', async () => {
    const user = h.newUser();
    const { id } = await makeQuiz(user, 2);
    const res = await request(h.app).get(`/api/v1/quizzes/${id}/results`).set(h.as(user));
    expect(res.body.data).toMatchObject({ attempts: 0, best_score: null, best_percentage: null, submissions: [] });
  });
});
