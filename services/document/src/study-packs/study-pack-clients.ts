import { z } from 'zod';
import type { InternalTokens } from '@learner/common/auth';
import { createInternalClient } from '@learner/common/internal-client';
import type { RequestUser } from '@learner/common/http';

/** What a study pack asks of the quiz and tts services, for the user who owns the document. */
export interface StudyPackClients {
  /** A quiz from the document; the same key answers the quiz made the first time. */
  generateQuiz(user: RequestUser, key: string, input: { documentId: number; title: string; numQuestions: number }): Promise<{ id: number }>;
  /** Reads the text aloud and keeps the audio; answers its id. */
  synthesize(user: RequestUser, text: string): Promise<{ id: string }>;
}

const made = <S extends z.ZodType>(data: S) => z.object({ status: z.literal('success'), data });

export function createStudyPackClients(options: {
  quizUrl: string;
  ttsUrl: string;
  internalTokens: InternalTokens;
  timeoutMs: number;
}): StudyPackClients {
  const quiz = createInternalClient({ service: 'quiz', baseUrl: options.quizUrl, timeoutMs: options.timeoutMs, internalTokens: options.internalTokens });
  const tts = createInternalClient({ service: 'tts', baseUrl: options.ttsUrl, timeoutMs: options.timeoutMs, internalTokens: options.internalTokens });
  return {
    async generateQuiz(user, key, input) {
      const answer = await quiz.request({
        user,
        method: 'POST',
        path: '/api/v1/quizzes/generate',
        headers: { 'idempotency-key': key },
        body: { document_id: input.documentId, title: input.title, num_questions: input.numQuestions },
        response: made(z.object({ id: z.number().int() })),
      });
      return { id: answer.data.id };
    },
    async synthesize(user, text) {
      const answer = await tts.request({
        user,
        method: 'POST',
        path: '/api/v1/tts/synthesize',
        body: { text, format: 'mp3' },
        response: made(z.object({ id: z.string() })),
      });
      return { id: answer.data.id };
    },
  };
}
