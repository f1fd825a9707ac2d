import { randomInt } from 'node:crypto';
import { type Pool, withTransaction } from '@learner/common/db';
import { assertUserNotErased } from '@learner/common/contracts';
import { AppError, NotFoundError, ValidationError } from '@learner/common/errors';
import { TOPICS, createEvent, enqueueEvent } from '@learner/common/events';
import { createFairGate } from '@learner/common/jobs';
import type { RequestUser } from '@learner/common/http';
import type { DocumentClient } from '../documents/document-client.js';
import type { Difficulty, QuestionType } from '../generation/question.js';
import type { QuestionWriter } from '../generation/question-writer.js';
import { chosenOption, isCorrect, type AnswerValue } from '../grading/grader.js';
import { createQuizRepository, type QuestionResult, type QuestionRecord, type QuizRecord, type SubmissionRecord } from './quiz-repository.js';

export interface GenerateInput {
  documentId: number;
  numQuestions: number;
  difficulty: Difficulty;
  questionTypes: QuestionType[];
  title?: string | undefined;
  seed?: number | undefined;
}

export interface GeneratedQuiz {
  quiz: QuizRecord;
  questions: QuestionRecord[];
  requested: number;
  generated: number;
  warnings: string[];
}

const SERVICE = 'quiz';

function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Grades the answers against the questions; answers naming questions the quiz does not have are a 400. */
function grade(questions: QuestionRecord[], answers: Record<string, AnswerValue>) {
  const known = new Set(questions.map((q) => String(q.id)));
  const unknown = Object.keys(answers).filter((key) => !known.has(key));
  if (unknown.length) {
    throw new ValidationError('Some answers name questions this quiz does not have', {
      ...Object.fromEntries(unknown.map((key) => [`answers.${key}`, 'not a question of this quiz'])),
      question_ids: questions.map((q) => q.id),
    });
  }
  const results: QuestionResult[] = questions.map((q) => {
    const given = answers[String(q.id)];
    const correct = isCorrect(q, given);
    const key = q.type === 'multiple_choice' ? q.options?.find((o) => o.text === q.correctAnswer) : undefined;
    const picked = q.type === 'multiple_choice' && given !== undefined ? chosenOption(q.options ?? [], given) : undefined;
    return {
      question_id: q.id,
      correct,
      your_answer: given ?? null,
      ...(picked ? { your_option_id: picked.id } : {}),
      correct_answer: q.correctAnswer,
      ...(key ? { correct_option_id: key.id } : {}),
      points: q.points,
      points_awarded: correct ? q.points : 0,
      explanation: q.explanation,
      source: q.source,
    };
  });
  const score = results.reduce((sum, r) => sum + r.points_awarded, 0);
  const totalPoints = results.reduce((sum, r) => sum + r.points, 0);
  const percentage = totalPoints ? round((score / totalPoints) * 100) : 0;
  return { results, score, totalPoints, percentage };
}

/** Quizzes written at once by default: the extractive generator has one thread, one more waits at its door. */
const GENERATIONS_AT_ONCE = 2;

export function createQuizService(deps: { pool: Pool; documents: DocumentClient; writer: QuestionWriter; generationsAtOnce?: number }) {
  const repo = createQuizRepository(deps.pool);
  // Users take turns at the question writer: one user's many requests cannot starve another's.
  const writing = createFairGate({ concurrency: deps.generationsAtOnce ?? GENERATIONS_AT_ONCE });

  const requireQuiz = async (userId: string, id: number): Promise<QuizRecord> => {
    const quiz = await repo.find(userId, id);
    if (!quiz) throw new NotFoundError('Quiz not found', { quiz_id: id });
    return quiz;
  };

  return {
    async generate(user: RequestUser, input: GenerateInput, requestId?: string): Promise<GeneratedQuiz> {
      if (await repo.isDocumentDeleted(user.id, input.documentId)) {
        throw new AppError(410, 'Gone', 'The document was deleted; its quizzes stay readable, no new quiz can be made from it', {
          document_id: input.documentId,
        });
      }
      const document = await deps.documents.getPassages(user, input.documentId, requestId);
      const seed = input.seed ?? randomInt(0, 2 ** 31 - 1);
      const result = await writing.run(user.id, () =>
        deps.writer.write(
          document.passages,
          { numQuestions: input.numQuestions, difficulty: input.difficulty, questionTypes: input.questionTypes, seed },
          { relatedness: (terms) => deps.documents.relatedness(user, input.documentId, terms, requestId) },
        ),
      );
      if (result.questions.length === 0) {
        throw new ValidationError('The document does not hold enough distinct statements to make a quiz from', {
          document_id: input.documentId,
          warnings: result.warnings,
        });
      }
      const saved = await withTransaction(deps.pool, async (client) => {
        // The account may have been erased while the questions were written: nothing is kept for it.
        await assertUserNotErased(client, user.id);
        const stored = await repo.insert(
          client,
          {
            userId: user.id,
            documentId: document.id,
            title: input.title ?? `Quiz: ${document.title}`,
            difficulty: input.difficulty,
            questionTypes: input.questionTypes,
            requestedQuestions: input.numQuestions,
            seed,
            generator: result.generator,
            warnings: result.warnings,
          },
          result.questions,
        );
        await enqueueEvent(
          client,
          TOPICS.quizGenerated,
          createEvent({
            type: TOPICS.quizGenerated,
            userId: user.id,
            service: SERVICE,
            payload: {
              quiz_id: stored.quiz.id,
              document_id: document.id,
              title: stored.quiz.title,
              difficulty: input.difficulty,
              question_types: input.questionTypes,
              requested_questions: input.numQuestions,
              total_questions: stored.questions.length,
              generator: result.generator,
              request_id: requestId ?? null,
            },
          }),
        );
        return stored;
      });
      return { ...saved, requested: result.requested, generated: result.generated, warnings: result.warnings };
    },

    list: (userId: string, options: { limit: number; offset: number; documentId?: number | undefined }) =>
      repo.list(userId, options),

    async get(userId: string, id: number): Promise<{ quiz: QuizRecord; questions: QuestionRecord[] }> {
      const quiz = await requireQuiz(userId, id);
      return { quiz, questions: await repo.questions(quiz.id) };
    },

    async remove(userId: string, id: number): Promise<QuizRecord> {
      const removed = await withTransaction(deps.pool, (client) => repo.remove(client, userId, id));
      if (!removed) throw new NotFoundError('Quiz not found', { quiz_id: id });
      return removed;
    },

    async submit(user: RequestUser, id: number, answers: Record<string, AnswerValue>): Promise<SubmissionRecord> {
      // Read, graded and stored in one transaction holding the quiz, so a delete arriving
      // meanwhile either waits for the submission or leaves nothing to submit to (404).
      return withTransaction(deps.pool, async (client) => {
        const quiz = await repo.findAndHold(client, user.id, id);
        if (!quiz) throw new NotFoundError('Quiz not found', { quiz_id: id });
        const questions = await repo.questions(quiz.id, client);
        const { results, score, totalPoints, percentage } = grade(questions, answers);
        const submission = await repo.insertSubmission(client, {
          quizId: quiz.id,
          userId: user.id,
          answers,
          results,
          score,
          totalPoints,
          percentage,
        });
        await enqueueEvent(
          client,
          TOPICS.quizSubmitted,
          createEvent({
            type: TOPICS.quizSubmitted,
            userId: user.id,
            service: SERVICE,
            payload: {
              quiz_id: quiz.id,
              submission_id: submission.id,
              document_id: quiz.documentId,
              score,
              total_points: totalPoints,
              percentage,
              answered: Object.keys(answers).length,
              total_questions: questions.length,
            },
          }),
        );
        return submission;
      });
    },

    async results(userId: string, id: number) {
      const quiz = await requireQuiz(userId, id);
      const submissions = await repo.submissions(userId, quiz.id);
      const best = submissions.reduce<SubmissionRecord | undefined>(
        (top, s) => (!top || s.percentage > top.percentage ? s : top),
        undefined,
      );
      return { quiz, submissions, best };
    },
  };
}

export type QuizService = ReturnType<typeof createQuizService>;
