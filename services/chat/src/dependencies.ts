import type { InternalTokens } from '@learner/common/auth';
import { llmClientFromEnv, type LlmEnv } from '@learner/common/llm';
import { bedrockClientFromEnv, type BedrockEnv } from '@learner/common/llm/bedrock';
import type { Logger } from '@learner/common/logger';
import type { ChatConfig } from './config.js';
import { createDocumentClient, type DocumentClient } from './documents/document-client.js';
import { createLlmAnswerWriter } from './tutor/llm-answer-writer.js';
import { createTutor, type AnswerWriter, type Tutor } from './tutor/tutor.js';

export interface ChatDependencies {
  documents: DocumentClient;
  tutor: Tutor;
  /** Who writes the answers (an LLM endpoint, Bedrock, or the extractive tutor itself), for the log. */
  writer: string;
}

/** The configured LLM endpoint or Bedrock model that writes the tutor's answers; none: the tutor's extractive answers. */
function answerWriterFromConfig(config: LlmEnv & BedrockEnv): AnswerWriter | undefined {
  const llm = llmClientFromEnv(config);
  if (llm) return createLlmAnswerWriter({ name: 'llm', client: llm });
  const bedrock = bedrockClientFromEnv(config);
  if (bedrock) return createLlmAnswerWriter({ name: 'bedrock', client: bedrock });
  return undefined;
}

/**
 * Builds the chat service from its configuration and the connections it is given: the one place
 * main.ts, the tests and the benchmarks get it from.
 */
export function createChatDependencies(options: {
  config: Pick<ChatConfig, 'DOCUMENT_SERVICE_URL' | 'DOCUMENT_TIMEOUT_MS'> & LlmEnv & BedrockEnv;
  /** Signs this service's calls to the document service. */
  internalTokens: InternalTokens;
  logger?: Logger;
}): ChatDependencies {
  const { config, logger } = options;
  const documents = createDocumentClient({
    baseUrl: config.DOCUMENT_SERVICE_URL,
    timeoutMs: config.DOCUMENT_TIMEOUT_MS,
    internalTokens: options.internalTokens,
  });
  const writer = answerWriterFromConfig(config);
  const tutor = createTutor({ search: documents, ...(logger ? { logger } : {}), ...(writer ? { writer } : {}) });
  return { documents, tutor, writer: writer?.name ?? 'extractive' };
}
