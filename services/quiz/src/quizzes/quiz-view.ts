import type { QuizQuestion, QuizSummary, QuizWithQuestions } from '@learner/common/contracts';
import type { QuestionRecord, QuizRecord, SubmissionRecord } from './quiz-repository.js';

/** A question as a quiz taker sees it: never the answer, the explanation or the source. */
export function questionView(q: QuestionRecord): QuizQuestion {
  return {
    id: q.id,
    position: q.position,
    question_text: q.text,
    question_type: q.type,
    options: q.options,
    points: q.points,
  };
}

export function quizView(quiz: QuizRecord): QuizSummary {
  return {
    id: quiz.id,
    title: quiz.title,
    document_id: quiz.documentId,
    difficulty: quiz.difficulty,
    question_types: quiz.questionTypes,
    total_questions: quiz.totalQuestions,
    requested_questions: quiz.requestedQuestions,
    seed: quiz.seed,
    generator: quiz.generator,
    warnings: quiz.warnings,
    created_at: quiz.createdAt.toISOString(),
    document_deleted: quiz.documentDeleted,
  };
}

export function quizWithQuestionsView(quiz: QuizRecord, questions: readonly QuestionRecord[]): QuizWithQuestions {
  return {
    ...quizView(quiz),
    total_points: questions.reduce((sum, q) => sum + q.points, 0),
    questions: questions.map(questionView),
  };
}

export function submissionView(s: SubmissionRecord) {
  return {
    submission_id: s.id,
    quiz_id: s.quizId,
    score: s.score,
    total_points: s.totalPoints,
    percentage: s.percentage,
    submitted_at: s.submittedAt.toISOString(),
    results: s.results,
  };
}
