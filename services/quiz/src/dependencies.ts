import type { InternalTokens } from '@learner/common/auth';
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
  /** Stops what the dependencies started (the generator's thread). */
  close(): Promise<void>;
}

/**
 * Builds the quiz service from its configuration and the connections it is given: the one place
 * main.ts, the tests and the benchmarks get it from. `writer` replaces the configured one (the
 * extractive generator in the caller's thread, or a writer that fails, in tests).
 */
export function createQuizDependencies(options: {
  config: Pick<QuizConfig, 'DOCUMENT_SERVICE_URL' | 'DOCUMENT_TIMEOUT_MS'> & LlmEnv;
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
  if (options.writer) return { documents, writer: options.writer, questions: 'given', close: async () => {} };
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
  return { documents, writer, questions: llm ? 'llm' : 'extractive', close: () => extractive.close() };
}
