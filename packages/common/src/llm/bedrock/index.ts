export { createBedrockClient, type BedrockClientOptions } from './bedrock-client.js';
export { bedrockEnvSchema, bedrockClientFromEnv, type BedrockEnv } from './bedrock-env.js';
export { createBedrockInvoke, type BedrockInvoke } from './bedrock-invoke.js';
