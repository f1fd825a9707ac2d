export { LlmError, type LlmClient, type LlmFailure, type LlmRequest } from './llm-client.js';
export { createOpenAiCompatibleClient, type OpenAiCompatibleOptions } from './openai-compatible-client.js';
export { createBedrockClient, type BedrockClientOptions } from './bedrock-client.js';
export { llmEnvSchema, bedrockEnvSchema, llmClientFromEnv, bedrockClientFromEnv, type LlmEnv, type BedrockEnv } from './llm-env.js';
