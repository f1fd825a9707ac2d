/** The public API's bodies (see the gateway's /openapi.json), as this app reads them. */

export interface User {
  id: string;
  email: string;
  name: string | null;
}

export interface AuthResult {
  user: User;
  token: string;
  refresh_token: string;
  expires_in: number;
}

export interface Pagination {
  page: number;
  limit: number;
  total: number;
  pages: number;
}

export type DocumentStatus = 'uploaded' | 'processing' | 'completed' | 'failed';

export interface DocumentRecord {
  id: number;
  title: string;
  filename: string;
  file_type: string;
  file_size: number;
  source: string;
  status: DocumentStatus;
  error: string | null;
  pages: number | null;
  text_length: number | null;
  created_at: string;
}

export interface DocumentText {
  id: number;
  title: string;
  pages: { page: number; text: string; method: 'text' | 'ocr' }[];
}

export interface Note {
  id: number;
  document_id: number;
  kind: 'summary' | 'key_points' | 'key_terms';
  content: string;
  items: { text: string; page: number; term?: string }[];
  edited: boolean;
}

export interface SearchHit {
  document_id: number;
  title: string;
  page: number;
  passage_id: number;
  snippet: string;
  rank: number;
}

export interface ChatSession {
  id: number;
  title: string;
  document_ids: number[];
  message_count: number;
  created_at: string;
  updated_at: string;
}

export interface Citation {
  document_id: number;
  title: string;
  page: number | null;
  snippet: string;
}

export interface ChatMessage {
  id: number;
  session_id: number;
  role: 'user' | 'assistant';
  content: string;
  citations: Citation[];
  answer_source: string | null;
  created_at: string;
}

export type QuestionType = 'multiple_choice' | 'true_false' | 'short_answer';
export type Difficulty = 'easy' | 'medium' | 'hard';

export interface QuizSummary {
  id: number;
  title: string;
  document_id: number | null;
  difficulty: Difficulty;
  question_types: QuestionType[];
  total_questions: number;
  created_at: string;
}

export interface QuizQuestion {
  id: number;
  position: number;
  question_text: string;
  question_type: QuestionType;
  options: { id: string; text: string }[] | null;
  points: number;
}

export interface Quiz extends QuizSummary {
  total_points: number;
  questions: QuizQuestion[];
  warnings: string[];
  note?: string;
}

export interface QuestionResult {
  question_id: number;
  correct: boolean;
  your_answer: string | number | boolean | null;
  correct_answer: string;
  explanation: string;
  source: { page: number; sentence: string };
  points: number;
  points_awarded: number;
}

export interface Submission {
  submission_id: number;
  quiz_id: number;
  score: number;
  total_points: number;
  percentage: number;
  submitted_at: string;
  results: QuestionResult[];
}

export interface QuizResults {
  quiz_id: number;
  attempts: number;
  best_percentage: number | null;
  submissions: Submission[];
}

export interface Speech {
  id: string;
  audio_url: string;
  duration_seconds: number;
}

export type TranscriptionStatus = 'queued' | 'in_progress' | 'completed' | 'failed';

export interface Transcription {
  id: string;
  status: TranscriptionStatus;
  filename: string;
  transcript: string | null;
  confidence: number | null;
  segments: { start: number; end: number; speaker: string | null; text: string; confidence: number | null }[];
  duration_seconds: number | null;
  error: string | null;
  document_id: number | null;
  created_at: string;
}
