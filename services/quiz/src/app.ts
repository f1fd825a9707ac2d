import type { Express } from 'express';
import type { Pool } from '@learner/common/db';
import { createServiceApp, type ServiceAppDeps } from '@learner/common/service';
import type { DocumentClient } from './documents/document-client.js';
import { createExtractiveWriter, type QuestionWriter } from './generation/question-writer.js';
import { createQuizRouter } from './quizzes/quiz-routes.js';
import { createQuizService } from './quizzes/quiz-service.js';

export interface QuizAppDeps extends ServiceAppDeps {
  pool: Pool;
  documents: DocumentClient;
  /** Writes the questions; the extractive generator when not given. */
  writer?: QuestionWriter;
}

export function createApp(deps: QuizAppDeps): Express {
  const quizzes = createQuizService({
    pool: deps.pool,
    documents: deps.documents,
    writer: deps.writer ?? createExtractiveWriter(),
  });
  return createServiceApp({
    ...deps,
    service: 'quiz',
    routes(app, identity) {
      app.use('/api/v1', identity);
      app.use('/api/v1/quizzes', createQuizRouter(quizzes));
    },
  });
}
