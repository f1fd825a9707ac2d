import { z } from 'zod';
import {
  generateQuizRequest,
  generatedQuiz as generated,
  idempotencyKey,
  quizSummary as quiz,
  quizWithQuestions,
} from '@learner/common/contracts';
import { deletedResult, defineRoutes, integerIdParams, isoTimestamp, linksToId, type RouteDoc } from '@learner/common/openapi';
import { listQuery, submitBody } from './quizzes/quizzes-routes.js';

const TAG = 'quizzes';

const answer = z.union([z.string(), z.number(), z.boolean()]);
const submission = z.object({
  submission_id: z.int(),
  quiz_id: z.int(),
  score: z.number(),
  total_points: z.number(),
  percentage: z.number(),
  submitted_at: isoTimestamp,
  results: z.array(
    z.object({
      question_id: z.int(),
      correct: z.boolean(),
      your_answer: answer.nullable(),
      your_option_id: z.string().optional(),
      correct_answer: z.string(),
      correct_option_id: z.string().optional(),
      points: z.number(),
      points_awarded: z.number(),
      explanation: z.string(),
      source: z.object({ page: z.int(), sentence: z.string() }),
    }),
  ),
});

const generate = (path: string, summary: string): RouteDoc => ({
  method: 'post',
  path,
  summary,
  description:
    'Writes questions from the text of one of your processed documents. The answers are never in this body; ' +
    'submit answers to see them graded.',
  tags: [TAG],
  body: generateQuizRequest,
  headers: z.object({
    'Idempotency-Key': idempotencyKey.describe(
      'Any text of yours naming this request: sending it again (say, after a timeout) answers the quiz the first request made instead of a new one',
    ),
  }),
  responses: {
    201: {
      description: 'The quiz with its questions, without answers',
      schema: generated,
      links: linksToId(['getApiV1QuizzesById', 'postApiV1QuizzesByIdSubmit', 'getApiV1QuizzesByIdResults', 'deleteApiV1QuizzesById']),
    },
    404: { description: 'No such document of yours' },
    409: { description: 'The document is not processed yet' },
    410: { description: 'The document was deleted; the quizzes made from it stay readable' },
    503: { description: 'The document service is unavailable' },
  },
  security: 'bearer',
});

export const routes: RouteDoc[] = defineRoutes([
  generate('/api/v1/quizzes/generate', 'Generate a quiz from a document'),
  generate('/api/v1/quizzes', 'Generate a quiz from a document (same as /generate)'),
  {
    method: 'get',
    path: '/api/v1/quizzes',
    summary: 'List your quizzes, newest first',
    tags: [TAG],
    query: listQuery,
    responses: { 200: { description: 'A page of quizzes', schema: quiz, envelope: 'list' } },
    security: 'bearer',
  },
  {
    method: 'get',
    path: '/api/v1/quizzes/{id}',
    summary: 'One quiz with its questions (never the answers)',
    tags: [TAG],
    params: integerIdParams,
    responses: { 200: { description: 'The quiz', schema: quizWithQuestions }, 404: { description: 'No such quiz of yours' } },
    security: 'bearer',
  },
  {
    method: 'delete',
    path: '/api/v1/quizzes/{id}',
    summary: 'Delete a quiz and its submissions',
    tags: [TAG],
    params: integerIdParams,
    responses: { 200: { description: 'Deleted', schema: deletedResult(z.int()) }, 404: { description: 'No such quiz of yours' } },
    security: 'bearer',
  },
  {
    method: 'post',
    path: '/api/v1/quizzes/{id}/submit',
    summary: 'Submit answers and get them graded',
    description: 'Answers are keyed by question id: an option id (or its text) for multiple choice, true/false, or free text.',
    tags: [TAG],
    params: integerIdParams,
    body: submitBody,
    responses: { 201: { description: 'The grading, with the right answers', schema: submission }, 404: { description: 'No such quiz of yours' } },
    security: 'bearer',
  },
  {
    method: 'get',
    path: '/api/v1/quizzes/{id}/results',
    summary: 'Your submissions of a quiz and the best score',
    tags: [TAG],
    params: integerIdParams,
    responses: {
      200: {
        description: 'Every attempt, newest first, and the best',
        schema: z.object({
          quiz_id: z.int(),
          title: z.string(),
          document_deleted: z.boolean().describe('The document the quiz was made from was deleted'),
          attempts: z.int(),
          best_score: z.number().nullable(),
          best_percentage: z.number().nullable(),
          best_submission_id: z.int().nullable(),
          total_points: z.number().nullable(),
          submissions: z.array(submission),
        }),
      },
      404: { description: 'No such quiz of yours' },
    },
    security: 'bearer',
  },
]);
