import { z } from 'zod';
import { createInternalClient, type InternalCall, type InternalClientOptions } from '../internal-client/internal-client.js';
import { isoTimestamp } from '../openapi/response-schemas.js';
import { successBody } from './success-body.js';

/**
 * The quiz service's `POST /api/v1/quizzes/generate` as both sides see it: the quiz service parses
 * the request with these schemas and shapes its answer to them; the document service's study packs
 * call it through `createQuizServiceClient`, which checks the answer against them.
 */

/** The same lists as the quiz generator's; the quiz routes hand one to the other, so they compile only while they agree. */
export const QUIZ_QUESTION_TYPES = ['multiple_choice', 'true_false', 'short_answer'] as const;
export const QUIZ_DIFFICULTIES = ['easy', 'medium', 'hard'] as const;

export const generateQuizRequest = z.strictObject({
  document_id: z.number().int().min(1).max(2_147_483_647),
  num_questions: z.number().int().min(1).max(20).default(10),
  difficulty: z.enum(QUIZ_DIFFICULTIES).default('medium'),
  question_types: z
    .array(z.enum(QUIZ_QUESTION_TYPES))
    .min(1)
    .max(QUIZ_QUESTION_TYPES.length)
    .refine((types) => new Set(types).size === types.length, 'list each question type once')
    .default([...QUIZ_QUESTION_TYPES]),
  title: z.string().trim().min(1).max(500).optional(),
  seed: z.number().int().min(0).max(2_147_483_646).optional(),
});
export type GenerateQuizRequest = z.input<typeof generateQuizRequest>;

/** `Idempotency-Key`: the same key answers the quiz the first request with it made. */
export const idempotencyKey = z
  .string()
  .regex(/^[\x21-\x7e]{1,200}$/, 'must be 1 to 200 visible ASCII characters')
  .optional();

/** A quiz without its questions, as the quiz routes answer it. */
export const quizSummary = z.object({
  id: z.int(),
  title: z.string(),
  document_id: z.int().nullable(),
  difficulty: z.enum(QUIZ_DIFFICULTIES),
  question_types: z.array(z.enum(QUIZ_QUESTION_TYPES)),
  total_questions: z.int(),
  requested_questions: z.int(),
  seed: z.int(),
  generator: z.string(),
  warnings: z.array(z.string()),
  created_at: isoTimestamp,
  document_deleted: z
    .boolean()
    .describe('The document it was made from was deleted: the quiz and its results stay, no new quiz can be made from that document'),
});
export type QuizSummary = z.infer<typeof quizSummary>;

/** A question as a quiz taker sees it: never the answer, the explanation or the source. */
export const quizQuestion = z.object({
  id: z.int(),
  position: z.int(),
  question_text: z.string(),
  question_type: z.enum(QUIZ_QUESTION_TYPES),
  options: z.array(z.object({ id: z.string(), text: z.string() })).nullable().describe('null for short answers'),
  points: z.int(),
});
export type QuizQuestion = z.infer<typeof quizQuestion>;

export const quizWithQuestions = quizSummary.extend({ total_points: z.int(), questions: z.array(quizQuestion) });
export type QuizWithQuestions = z.infer<typeof quizWithQuestions>;

/** The answer of `POST /api/v1/quizzes/generate` (201). */
export const generatedQuiz = quizWithQuestions.extend({
  requested: z.int(),
  generated: z.int(),
  note: z.string().optional().describe('Why fewer questions than asked were made'),
});
export type GeneratedQuiz = z.infer<typeof generatedQuiz>;

export interface QuizServiceClient {
  /** A quiz from one of the user's documents; with `idempotencyKey`, the quiz the first call with that key made. */
  generate(call: InternalCall, input: GenerateQuizRequest, options?: { idempotencyKey?: string }): Promise<GeneratedQuiz>;
}

/** The quiz service's generate route, for the document service's study packs. Errors: see `createInternalClient`. */
export function createQuizServiceClient(options: Omit<InternalClientOptions, 'service'>): QuizServiceClient {
  const client = createInternalClient({ ...options, service: 'quiz' });
  return {
    async generate(call, input, { idempotencyKey: key } = {}) {
      const answer = await client.request({
        ...call,
        method: 'POST',
        path: '/api/v1/quizzes/generate',
        ...(key === undefined ? {} : { headers: { 'idempotency-key': key } }),
        body: input,
        response: successBody(generatedQuiz),
      });
      return answer.data;
    },
  };
}
