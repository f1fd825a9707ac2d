-- Quizzes generated from a user's documents (seed §9.3), with what the generation was asked and
-- the seed that reproduces it.
CREATE TABLE quizzes (
  id INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id TEXT NOT NULL,
  document_id INTEGER,
  title TEXT NOT NULL,
  difficulty TEXT NOT NULL CHECK (difficulty IN ('easy', 'medium', 'hard')),
  question_types TEXT[] NOT NULL,
  requested_questions INTEGER NOT NULL,
  total_questions INTEGER NOT NULL,
  seed BIGINT NOT NULL,
  generator TEXT NOT NULL,
  warnings JSONB NOT NULL DEFAULT '[]',
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX quizzes_user_id_created_at_idx ON quizzes (user_id, created_at DESC, id DESC);
CREATE INDEX quizzes_created_at_idx ON quizzes (created_at);

CREATE TABLE questions (
  id INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  quiz_id INTEGER NOT NULL REFERENCES quizzes (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  question_text TEXT NOT NULL,
  question_type TEXT NOT NULL CHECK (question_type IN ('multiple_choice', 'true_false', 'short_answer')),
  options JSONB,
  correct_answer TEXT NOT NULL,
  explanation TEXT NOT NULL,
  source_page INTEGER NOT NULL,
  source_sentence TEXT NOT NULL,
  points INTEGER NOT NULL DEFAULT 1,
  UNIQUE (quiz_id, position)
);

CREATE TABLE quiz_submissions (
  id INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  quiz_id INTEGER NOT NULL REFERENCES quizzes (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL,
  answers JSONB NOT NULL,
  results JSONB NOT NULL,
  score DOUBLE PRECISION NOT NULL,
  total_points INTEGER NOT NULL,
  percentage DOUBLE PRECISION NOT NULL,
  submitted_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX quiz_submissions_quiz_user_idx ON quiz_submissions (quiz_id, user_id, submitted_at DESC);
CREATE INDEX quiz_submissions_user_id_idx ON quiz_submissions (user_id);
CREATE INDEX quiz_submissions_submitted_at_idx ON quiz_submissions (submitted_at);
