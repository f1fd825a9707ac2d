import type { Express } from 'express';
import { onDocumentDeleted } from '@learner/common/contracts';
import type { Pool } from '@learner/common/db';
import type { EventConsumer } from '@learner/common/events';
import { createServiceApp, type ServiceAppDeps } from '@learner/common/service';
import type { DocumentClient } from './documents/document-client.js';
import { createExtractiveWriter, type QuestionWriter } from './generation/question-writer.js';
import { createIdempotentGeneration } from './quizzes/idempotent-generation.js';
import { createQuizRepository } from './quizzes/quiz-repository.js';
import { createQuizzesRouter } from './quizzes/quizzes-routes.js';
import { createQuizService } from './quizzes/quiz-service.js';
import { registerUserErasure } from './erasure/user-erasure.js';

export interface QuizAppDeps extends ServiceAppDeps {
  pool: Pool;
  documents: DocumentClient;
  /** Writes the questions; the extractive generator when not given. */
  writer?: QuestionWriter;
  /** The service's event consumer; its handlers are registered here, the caller starts it. */
  events?: Pick<EventConsumer, 'on'>;
}

export function createApp(deps: QuizAppDeps): Express {
  const quizzes = createQuizService({
    pool: deps.pool,
    documents: deps.documents,
    writer: deps.writer ?? createExtractiveWriter(),
  });
  // The quizzes of a deleted document stay readable with their results and say so; no new quiz is made from it.
  if (deps.events) onDocumentDeleted(deps.events, (deleted, db) => createQuizRepository(db).markDocumentDeleted(deleted));
  // An erased account leaves nothing here: its quizzes, results and marks go.
  if (deps.events) registerUserErasure(deps.events);
  return createServiceApp({
    ...deps,
    service: 'quiz',
    routes(app, identity) {
      app.use('/api/v1', identity);
      app.use('/api/v1/quizzes', createQuizzesRouter(quizzes, createIdempotentGeneration({ pool: deps.pool, quizzes })));
    },
  });
}
