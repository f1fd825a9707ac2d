import type { InternalTokens } from '@learner/common/auth';
import { createQuizServiceClient, createTtsServiceClient } from '@learner/common/contracts';
import type { RequestUser } from '@learner/common/http';

/** What a study pack asks of the quiz and tts services, for the user who owns the document. */
export interface StudyPackClients {
  /** A quiz from the document; the same key answers the quiz made the first time. */
  generateQuiz(user: RequestUser, key: string, input: { documentId: number; title: string; numQuestions: number }): Promise<{ id: number }>;
  /** Reads the text aloud and keeps the audio; answers its id. */
  synthesize(user: RequestUser, text: string): Promise<{ id: string }>;
}

export function createStudyPackClients(options: {
  quizUrl: string;
  ttsUrl: string;
  internalTokens: InternalTokens;
  timeoutMs: number;
}): StudyPackClients {
  const quiz = createQuizServiceClient({ baseUrl: options.quizUrl, timeoutMs: options.timeoutMs, internalTokens: options.internalTokens });
  const tts = createTtsServiceClient({ baseUrl: options.ttsUrl, timeoutMs: options.timeoutMs, internalTokens: options.internalTokens });
  return {
    async generateQuiz(user, key, input) {
      const made = await quiz.generate(
        { user },
        { document_id: input.documentId, title: input.title, num_questions: input.numQuestions },
        { idempotencyKey: key },
      );
      return { id: made.id };
    },
    async synthesize(user, text) {
      const audio = await tts.synthesize({ user }, { text, format: 'mp3' });
      return { id: audio.id };
    },
  };
}
