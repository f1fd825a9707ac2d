import type { Pool } from '@learner/common/db';
import type { RequestUser } from '@learner/common/http';
import { createIdempotencyRepository } from './idempotency-repository.js';
import type { GenerateInput, GeneratedQuiz, QuizService } from './quiz-service.js';

/**
 * Quiz generation under an Idempotency-Key: the first request with a key makes the quiz, and every
 * later one (also one sent while the first was still being written) answers that same quiz. Two
 * requests racing both write a quiz; the one that names the key second removes its own again.
 */
export function createIdempotentGeneration(deps: { pool: Pool; quizzes: QuizService }) {
  const keys = createIdempotencyRepository(deps.pool);

  const existing = async (user: RequestUser, quizId: number): Promise<GeneratedQuiz> => {
    const { quiz, questions } = await deps.quizzes.get(user.id, quizId);
    return { quiz, questions, requested: quiz.requestedQuestions, generated: questions.length, warnings: quiz.warnings };
  };

  return async (user: RequestUser, key: string, input: GenerateInput, requestId?: string): Promise<GeneratedQuiz> => {
    const known = await keys.quizOf(user.id, key);
    if (known !== undefined) return existing(user, known);
    const made = await deps.quizzes.generate(user, input, requestId);
    const named = await keys.claim(user.id, key, made.quiz.id);
    if (named === made.quiz.id) return made;
    await deps.quizzes.remove(user.id, made.quiz.id);
    return existing(user, named);
  };
}

export type IdempotentGeneration = ReturnType<typeof createIdempotentGeneration>;
