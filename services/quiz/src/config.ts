import { type z } from 'zod';
import { envFields, parseConfig, serviceEnvSchema, type Env } from '@learner/common/config';

const schema = serviceEnvSchema.extend({
  PORT: envFields.port(5005),
});

export type QuizConfig = z.infer<typeof schema>;

export function loadConfig(env: Env): QuizConfig {
  return parseConfig(schema, env);
}
