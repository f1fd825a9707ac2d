import type { InternalTokens } from '@learner/common/auth';
import { serviceHealthCheck, type Check } from '@learner/common/health';
import { llmClientFromEnv, type LlmClient, type LlmEnv } from '@learner/common/llm';
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
  /**
   * For /ready, degraded when down: the document service (answers cite no passage meanwhile) and
   * the model that writes the answers when one is configured (`llm` or `bedrock`; the extractive
   * answers stand in).
   */
  optionalChecks: Record<string, Check>;
}

/** The configured LLM endpoint or Bedrock model that writes the tutor's answers; none: the tutor's extractive answers. */
function answerModelFromConfig(config: LlmEnv & BedrockEnv): { name: 'llm' | 'bedrock'; client: LlmClient } | undefined {
  const llm = llmClientFromEnv(config);
  if (llm) return { name: 'llm', client: llm };
  const bedrock = bedrockClientFromEnv(config);
  if (bedrock) return { name: 'bedrock', client: bedrock };
  return undefined;
}

/**
 * Builds the chat service from its configuration and the connections it is given: the one place
 * main.ts, the tests and the benchmarks get it from.
 */
export function createChatDependencies(options: {
  config: Pick<ChatConfig, 'DOCUMENT_SERVICE_URL' | 'DOCUMENT_TIMEOUT_MS' | 'READY_TIMEOUT_MS'> & LlmEnv & BedrockEnv;
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
  const model = answerModelFromConfig(config);
  const writer: AnswerWriter | undefined = model ? createLlmAnswerWriter(model) : undefined;
  const tutor = createTutor({ search: documents, ...(logger ? { logger } : {}), ...(writer ? { writer } : {}) });
  return {
    documents,
    tutor,
    writer: writer?.name ?? 'extractive',
    optionalChecks: {
      document_service: serviceHealthCheck(config.DOCUMENT_SERVICE_URL, config.READY_TIMEOUT_MS),
      ...(model ? { [model.name]: () => model.client.check() } : {}),
    },
  };
}
