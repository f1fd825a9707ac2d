import type { InternalTokens } from '@learner/common/auth';
import { serviceHealthCheck, type Check } from '@learner/common/health';
import { llmClientFromEnv, type LlmEnv } from '@learner/common/llm';
import type { Logger } from '@learner/common/logger';
import type { QuizConfig } from './config.js';
import { createDocumentClient, type DocumentClient } from './documents/document-client.js';
import { createLlmWriter } from './generation/llm-writer.js';
import type { QuestionWriter } from './generation/question-writer.js';
import { createThreadWriter } from './generation/thread-writer.js';

export interface QuizDependencies {
  documents: DocumentClient;
  writer: QuestionWriter;
  /** What writes the questions, for the log. */
  questions: 'llm' | 'extractive' | 'given';
  /**
   * For /ready, degraded when down: the document service (no quiz can be made from a document
   * meanwhile; taking and reading quizzes go on) and the LLM endpoint when configured (the
   * extractive questions stand in).
   */
  optionalChecks: Record<string, Check>;
  /** Stops what the dependencies started (the generator's thread). */
  close(): Promise<void>;
}

/**
 * Builds the quiz service from its configuration and the connections it is given: the one place
 * main.ts, the tests and the benchmarks get it from. `writer` replaces the configured one (the
 * extractive generator in the caller's thread, or a writer that fails, in tests).
 */
export function createQuizDependencies(options: {
  config: Pick<QuizConfig, 'DOCUMENT_SERVICE_URL' | 'DOCUMENT_TIMEOUT_MS' | 'READY_TIMEOUT_MS'> & LlmEnv;
  /** Signs this service's calls to the document service. */
  internalTokens: InternalTokens;
  logger?: Logger;
  writer?: QuestionWriter;
}): QuizDependencies {
  const { config, logger } = options;
  const documents = createDocumentClient({
    baseUrl: config.DOCUMENT_SERVICE_URL,
    timeoutMs: config.DOCUMENT_TIMEOUT_MS,
    internalTokens: options.internalTokens,
  });
  const documentService = { document_service: serviceHealthCheck(config.DOCUMENT_SERVICE_URL, config.READY_TIMEOUT_MS) };
  if (options.writer) return { documents, writer: options.writer, questions: 'given', optionalChecks: documentService, close: async () => {} };
  // The extractive generator runs in a thread of its own, so a long document does not stall other requests.
  const extractive = createThreadWriter();
  const llm = llmClientFromEnv(config);
  const writer = llm
    ? createLlmWriter({
        client: llm,
        extractive,
        onError: (err) => logger?.warn({ err }, 'LLM question writer failed; extractive questions used'),
      })
    : extractive;
  return {
    documents,
    writer,
    questions: llm ? 'llm' : 'extractive',
    optionalChecks: { ...documentService, ...(llm ? { llm: () => llm.check() } : {}) },
    close: () => extractive.close(),
  };
}
