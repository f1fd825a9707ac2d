import { Router, type Request, type RequestHandler } from 'express';
import { z } from 'zod';
import { currentUser } from '@learner/common/auth';
import { generateQuizRequest, idempotencyKey, type GeneratedQuiz } from '@learner/common/contracts';
import { NotFoundError } from '@learner/common/errors';
import { pageOffset, paginationSchema, parseInput, sendData, sendList } from '@learner/common/http';
import type { IdempotentGeneration } from './idempotent-generation.js';
import type { QuizService } from './quiz-service.js';
import { quizView, quizWithQuestionsView, submissionView } from './quiz-view.js';

export const listQuery = paginationSchema.extend({
  document_id: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
});

const answerValue = z.union([z.string().max(1000), z.number(), z.boolean()]);
export const submitBody = z.strictObject({
  answers: z.record(z.string().regex(/^\d{1,10}$/, 'question ids are numbers'), answerValue),
});

/** A path id; anything that is not a positive integer names no quiz. */
function quizIdOf(req: Request): number {
  const raw = req.params.id;
  const id = typeof raw === 'string' && /^\d{1,10}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(id) || id <= 0 || id > 2_147_483_647) throw new NotFoundError('Quiz not found');
  return id;
}

/** Public routes under /api/v1/quizzes. A quiz read back never carries its answers, whatever the query. */
export function createQuizzesRouter(quizzes: QuizService, generateOnce?: IdempotentGeneration): Router {
  const router = Router();

  const generate: RequestHandler = async (req, res) => {
    const body = parseInput(generateQuizRequest, req.body);
    const key = parseInput(z.object({ 'idempotency-key': idempotencyKey }), { 'idempotency-key': req.get('idempotency-key') }, 'headers')[
      'idempotency-key'
    ];
    const input = {
      documentId: body.document_id,
      numQuestions: body.num_questions,
      difficulty: body.difficulty,
      questionTypes: body.question_types,
      title: body.title,
      seed: body.seed,
    };
    const made =
      key !== undefined && generateOnce
        ? await generateOnce(currentUser(req), key, input, req.requestId)
        : await quizzes.generate(currentUser(req), input, req.requestId);
    const fewer = made.generated < made.requested;
    const answer: GeneratedQuiz = {
      ...quizWithQuestionsView(made.quiz, made.questions),
      requested: made.requested,
      generated: made.generated,
      ...(fewer ? { note: made.warnings.join(' ') } : {}),
    };
    sendData(res, answer, 201);
  };
  router.post('/generate', generate);
  router.post('/', generate);

  router.get('/', async (req, res) => {
    const query = parseInput(listQuery, req.query, 'query');
    const { items, total } = await quizzes.list(currentUser(req).id, {
      limit: query.limit,
      offset: pageOffset(query),
      documentId: query.document_id,
    });
    sendList(res, items.map(quizView), query, total);
  });

  router.get('/:id', async (req, res) => {
    const { quiz, questions } = await quizzes.get(currentUser(req).id, quizIdOf(req));
    sendData(res, quizWithQuestionsView(quiz, questions));
  });

  router.delete('/:id', async (req, res) => {
    const removed = await quizzes.remove(currentUser(req).id, quizIdOf(req));
    sendData(res, { id: removed.id, deleted: true });
  });

  router.post('/:id/submit', async (req, res) => {
    const id = quizIdOf(req);
    const body = parseInput(submitBody, req.body);
    const submission = await quizzes.submit(currentUser(req), id, body.answers);
    sendData(res, submissionView(submission), 201);
  });

  router.get('/:id/results', async (req, res) => {
    const { quiz, submissions, best } = await quizzes.results(currentUser(req).id, quizIdOf(req));
    sendData(res, {
      quiz_id: quiz.id,
      title: quiz.title,
      document_deleted: quiz.documentDeleted,
      attempts: submissions.length,
      best_score: best?.score ?? null,
      best_percentage: best?.percentage ?? null,
      best_submission_id: best?.id ?? null,
      total_points: best?.totalPoints ?? null,
      submissions: submissions.map(submissionView),
    });
  });

  return router;
}
