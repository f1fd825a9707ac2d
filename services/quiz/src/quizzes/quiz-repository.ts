import type { DeletedDocument } from '@learner/common/contracts';
import type { Queryable } from '@learner/common/db';
import type { Difficulty, GeneratedQuestion, QuestionOption, QuestionType } from '../generation/question.js';

export interface QuizRecord {
  id: number;
  userId: string;
  documentId: number | null;
  title: string;
  difficulty: Difficulty;
  questionTypes: QuestionType[];
  requestedQuestions: number;
  totalQuestions: number;
  seed: number;
  generator: string;
  warnings: string[];
  createdAt: Date;
  /** The document it was made from was deleted since. */
  documentDeleted: boolean;
}

export interface QuestionRecord extends GeneratedQuestion {
  id: number;
  quizId: number;
  position: number;
}

export interface QuestionResult {
  question_id: number;
  correct: boolean;
  your_answer: string | number | boolean | null;
  your_option_id?: string;
  correct_answer: string;
  correct_option_id?: string;
  points: number;
  points_awarded: number;
  explanation: string;
  source: { page: number; sentence: string };
}

export interface SubmissionRecord {
  id: number;
  quizId: number;
  userId: string;
  answers: Record<string, unknown>;
  results: QuestionResult[];
  score: number;
  totalPoints: number;
  percentage: number;
  submittedAt: Date;
}

export type NewQuiz = Omit<QuizRecord, 'id' | 'createdAt' | 'totalQuestions' | 'documentDeleted'>;

interface QuizRow {
  id: number;
  user_id: string;
  document_id: number | null;
  title: string;
  difficulty: Difficulty;
  question_types: QuestionType[];
  requested_questions: number;
  total_questions: number;
  seed: number;
  generator: string;
  warnings: string[];
  created_at: Date;
  document_deleted: boolean;
}

interface QuestionRow {
  id: number;
  quiz_id: number;
  position: number;
  question_text: string;
  question_type: QuestionType;
  options: QuestionOption[] | null;
  correct_answer: string;
  explanation: string;
  source_page: number;
  source_sentence: string;
  points: number;
}

interface SubmissionRow {
  id: number;
  quiz_id: number;
  user_id: string;
  answers: Record<string, unknown>;
  results: QuestionResult[];
  score: number;
  total_points: number;
  percentage: number;
  submitted_at: Date;
}

// Whether its document was deleted is read with the quiz, so a quiz made while its document was being
// deleted says so as well as those made before.
const QUIZ_COLUMNS = `id, user_id, document_id, title, difficulty, question_types, requested_questions, total_questions,
  seed, generator, warnings, created_at,
  EXISTS (SELECT 1 FROM deleted_documents d WHERE d.document_id = quizzes.document_id AND d.user_id = quizzes.user_id)
    AS document_deleted`;

function toQuiz(row: QuizRow): QuizRecord {
  return {
    id: row.id,
    userId: row.user_id,
    documentId: row.document_id,
    title: row.title,
    difficulty: row.difficulty,
    questionTypes: row.question_types,
    requestedQuestions: row.requested_questions,
    totalQuestions: row.total_questions,
    seed: Number(row.seed),
    generator: row.generator,
    warnings: row.warnings,
    createdAt: row.created_at,
    documentDeleted: row.document_deleted,
  };
}

function toQuestion(row: QuestionRow): QuestionRecord {
  return {
    id: row.id,
    quizId: row.quiz_id,
    position: row.position,
    type: row.question_type,
    text: row.question_text,
    options: row.options,
    correctAnswer: row.correct_answer,
    explanation: row.explanation,
    source: { page: row.source_page, sentence: row.source_sentence },
    points: row.points,
  };
}

function toSubmission(row: SubmissionRow): SubmissionRecord {
  return {
    id: row.id,
    quizId: row.quiz_id,
    userId: row.user_id,
    answers: row.answers,
    results: row.results,
    score: row.score,
    totalPoints: row.total_points,
    percentage: row.percentage,
    submittedAt: row.submitted_at,
  };
}

export function createQuizRepository(db: Queryable) {
  return {
    /** Records that the user's document was deleted; recording it again changes nothing. */
    async markDocumentDeleted(deleted: DeletedDocument): Promise<void> {
      await db.query(
        `INSERT INTO deleted_documents (document_id, user_id, title, deleted_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id, document_id) DO NOTHING`,
        [deleted.documentId, deleted.userId, deleted.title, deleted.deletedAt],
      );
    },

    async isDocumentDeleted(userId: string, documentId: number): Promise<boolean> {
      const { rowCount } = await db.query('SELECT 1 FROM deleted_documents WHERE document_id = $1 AND user_id = $2', [
        documentId,
        userId,
      ]);
      return (rowCount ?? 0) > 0;
    },

    /** Inserts a quiz and its questions; pass the transaction's client. */
    async insert(client: Queryable, quiz: NewQuiz, questions: readonly GeneratedQuestion[]): Promise<{ quiz: QuizRecord; questions: QuestionRecord[] }> {
      const { rows } = await client.query<QuizRow>(
        `INSERT INTO quizzes (user_id, document_id, title, difficulty, question_types, requested_questions, total_questions,
           seed, generator, warnings)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         RETURNING ${QUIZ_COLUMNS}`,
        [
          quiz.userId,
          quiz.documentId,
          quiz.title,
          quiz.difficulty,
          quiz.questionTypes,
          quiz.requestedQuestions,
          questions.length,
          quiz.seed,
          quiz.generator,
          JSON.stringify(quiz.warnings),
        ],
      );
      const saved = toQuiz(rows[0]!);
      if (questions.length === 0) return { quiz: saved, questions: [] };
      const inserted = await client.query<QuestionRow>(
        `INSERT INTO questions (quiz_id, position, question_text, question_type, options, correct_answer, explanation,
           source_page, source_sentence, points)
         SELECT $1, q.position, q.question_text, q.question_type, q.options, q.correct_answer, q.explanation,
           q.source_page, q.source_sentence, q.points
         FROM jsonb_to_recordset($2::jsonb) AS q(position INTEGER, question_text TEXT, question_type TEXT, options JSONB,
           correct_answer TEXT, explanation TEXT, source_page INTEGER, source_sentence TEXT, points INTEGER)
         RETURNING *`,
        [
          saved.id,
          JSON.stringify(
            questions.map((q, i) => ({
              position: i + 1,
              question_text: q.text,
              question_type: q.type,
              options: q.options,
              correct_answer: q.correctAnswer,
              explanation: q.explanation,
              source_page: q.source.page,
              source_sentence: q.source.sentence,
              points: q.points,
            })),
          ),
        ],
      );
      return { quiz: saved, questions: inserted.rows.map(toQuestion).sort((a, b) => a.position - b.position) };
    },

    async list(userId: string, options: { limit: number; offset: number; documentId?: number | undefined }): Promise<{ items: QuizRecord[]; total: number }> {
      const params: unknown[] = [userId];
      let where = 'user_id = $1';
      if (options.documentId !== undefined) {
        params.push(options.documentId);
        where += ` AND document_id = $${params.length}`;
      }
      const [items, count] = await Promise.all([
        db.query<QuizRow>(
          `SELECT ${QUIZ_COLUMNS} FROM quizzes WHERE ${where} ORDER BY created_at DESC, id DESC
           LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
          [...params, options.limit, options.offset],
        ),
        db.query<{ total: number }>(`SELECT count(*)::int AS total FROM quizzes WHERE ${where}`, params),
      ]);
      return { items: items.rows.map(toQuiz), total: count.rows[0]?.total ?? 0 };
    },

    async find(userId: string, id: number): Promise<QuizRecord | undefined> {
      const { rows } = await db.query<QuizRow>(`SELECT ${QUIZ_COLUMNS} FROM quizzes WHERE id = $1 AND user_id = $2`, [id, userId]);
      return rows[0] ? toQuiz(rows[0]) : undefined;
    },

    /**
     * The quiz, held until `client`'s transaction ends so that a concurrent delete waits for it
     * (FOR KEY SHARE: rows pointing at the quiz may be added meanwhile, the quiz may not go).
     */
    async findAndHold(client: Queryable, userId: string, id: number): Promise<QuizRecord | undefined> {
      const { rows } = await client.query<QuizRow>(
        `SELECT ${QUIZ_COLUMNS} FROM quizzes WHERE id = $1 AND user_id = $2 FOR KEY SHARE`,
        [id, userId],
      );
      return rows[0] ? toQuiz(rows[0]) : undefined;
    },

    async questions(quizId: number, client: Queryable = db): Promise<QuestionRecord[]> {
      const { rows } = await client.query<QuestionRow>('SELECT * FROM questions WHERE quiz_id = $1 ORDER BY position', [quizId]);
      return rows.map(toQuestion);
    },

    async remove(client: Queryable, userId: string, id: number): Promise<QuizRecord | undefined> {
      const { rows } = await client.query<QuizRow>(
        `DELETE FROM quizzes WHERE id = $1 AND user_id = $2 RETURNING ${QUIZ_COLUMNS}`,
        [id, userId],
      );
      return rows[0] ? toQuiz(rows[0]) : undefined;
    },

    async insertSubmission(
      client: Queryable,
      submission: Omit<SubmissionRecord, 'id' | 'submittedAt'>,
    ): Promise<SubmissionRecord> {
      const { rows } = await client.query<SubmissionRow>(
        `INSERT INTO quiz_submissions (quiz_id, user_id, answers, results, score, total_points, percentage)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
        [
          submission.quizId,
          submission.userId,
          JSON.stringify(submission.answers),
          JSON.stringify(submission.results),
          submission.score,
          submission.totalPoints,
          submission.percentage,
        ],
      );
      return toSubmission(rows[0]!);
    },

    async submissions(userId: string, quizId: number): Promise<SubmissionRecord[]> {
      const { rows } = await db.query<SubmissionRow>(
        'SELECT * FROM quiz_submissions WHERE quiz_id = $1 AND user_id = $2 ORDER BY submitted_at DESC, id DESC',
        [quizId, userId],
      );
      return rows.map(toSubmission);
    },
  };
}

export type QuizRepository = ReturnType<typeof createQuizRepository>;
