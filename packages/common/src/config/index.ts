import { z } from 'zod';

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export type Env = Record<string, string | undefined>;

/**
 * Parses the environment with one zod object schema. Empty strings count as unset, so
 * `KEY=` in an .env file falls back to the default. Throws one ConfigError naming every bad key.
 */
export function parseConfig<S extends z.ZodType>(schema: S, env: Env): z.infer<S> {
  const cleaned: Env = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') cleaned[key] = value;
  }
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  return result.data;
}

/** Reusable field schemas for environment variables. */
export const envFields = {
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  int: (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback),
  bool: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'])
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1' || v === 'yes'),
  logLevel: () =>
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  url: () => z.url(),
  /** Another service's base URL, or its replicas' comma-separated (calls go to each in turn). */
  serviceUrl: (fallback: string) =>
    z
      .string()
      .default(fallback)
      .refine((v) => v.split(',').every((url) => z.url().safeParse(url.trim()).success), 'a URL, or URLs separated by commas'),
  secret: () => z.string().min(16, 'must be at least 16 characters'),
  list: (fallback: string[]) =>
    z
      .string()
      .default(fallback.join(','))
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
} as const;

/**
 * Keys shared by the five services behind the gateway. A service's own schema extends this.
 */
export const serviceEnvSchema = z.object({
  LOG_LEVEL: envFields.logLevel(),
  DATABASE_URL: z.string().min(1).describe('PostgreSQL URL of this service database'),
  DATABASE_POOL_SIZE: envFields.int(10, 1),
  INTERNAL_TOKEN_SECRET: envFields.secret().describe('HMAC secret of the gateway-to-service token'),
  KAFKA_BOOTSTRAP_SERVERS: z.string().optional().describe('Kafka brokers; unset = in-process bus'),
  EVENT_PEERS: envFields.list([]).describe('Without Kafka: base URLs of the other processes that get this one\'s events (the launcher sets it)'),
  REDIS_URL: z.string().optional().describe('Redis URL; unset = in-memory caches'),
  OUTBOX_POLL_MS: envFields.int(250, 10),
  READY_TIMEOUT_MS: envFields.int(1000, 50),
});
export type ServiceEnv = z.infer<typeof serviceEnvSchema>;

/** Loads the process environment once; used by main.ts only. */
export function exitOnConfigError<T>(load: () => T): T {
  try {
    return load();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}
