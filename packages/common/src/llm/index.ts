export { LlmError, type LlmClient, type LlmFailure, type LlmRequest } from './llm-client.js';
export { createOpenAiCompatibleClient, type OpenAiCompatibleOptions } from './openai-compatible-client.js';
export { llmEnvSchema, llmClientFromEnv, type LlmEnv } from './llm-env.js';
