import proxyAddr from 'proxy-addr';
import { z } from 'zod';
import { envFields, parseConfig, type Env } from '@learner/common/config';
import type { TrustProxy } from '@learner/common/http';

/** `false`/`none`, a number of hops, or a comma-separated list of addresses, subnets and presets. */
function parseTrustProxy(raw: string, ctx: z.RefinementCtx): TrustProxy {
  const value = raw.trim();
  if (value === '' || value === 'false' || value === 'none') return false;
  if (/^\d+$/.test(value)) return Number(value);
  const list = value.split(',').map((part) => part.trim()).filter(Boolean);
  try {
    proxyAddr.compile(list);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `not an address, subnet or preset: ${(err as Error).message}` });
    return z.NEVER;
  }
  return list.join(',');
}

/** A service's address, or its replicas' addresses comma-separated (calls go round robin). */
const serviceUrl = (port: number) =>
  z
    .string()
    .default(`http://127.0.0.1:${port}`)
    .refine((value) => value.split(',').every((url) => z.url().safeParse(url.trim()).success), 'a URL, or URLs separated by commas');

// The gateway does not extend serviceEnvSchema: it owns the user secrets, and its only events are an
// account erasure's (user.deleted out, erasure.confirmed in).
const schema = z.object({
  PORT: envFields.port(5000).describe('Port the gateway listens on'),
  LOG_LEVEL: envFields.logLevel(),
  DATABASE_URL: z.string().min(1).describe('PostgreSQL URL of the gateway database (users, refresh tokens)'),
  DATABASE_POOL_SIZE: envFields.int(10, 1),
  JWT_SECRET: envFields.secret().describe('HMAC secret of the user access tokens'),
  JWT_EXPIRATION_HOURS: envFields.int(24, 1).describe('Lifetime of an access token'),
  REFRESH_TOKEN_DAYS: envFields.int(30, 1).describe('Lifetime of a refresh token'),
  INTERNAL_TOKEN_SECRET: envFields.secret().describe('HMAC secret of the gateway-to-service token'),
  REDIS_URL: z.string().optional().describe('Redis URL; unset = in-memory rate limiter and revocation list'),
  REDIS_KEY_PREFIX: z.string().default('').describe('Prefix of every Redis key the gateway writes'),
  KAFKA_BOOTSTRAP_SERVERS: z.string().optional().describe('Kafka brokers (account erasure events); unset = in-process bus'),
  OUTBOX_POLL_MS: envFields.int(250, 10).describe('How often the outbox relay looks for events to publish'),
  EVENT_PEERS: envFields.list([]).describe('Without Kafka: base URLs of the services that get the gateway\'s events (the launcher sets it)'),
  RATE_LIMIT_REQUESTS: envFields.int(100, 1).describe('Requests allowed per identity per window'),
  RATE_LIMIT_WINDOW: envFields.int(60, 1).describe('Sliding window length in seconds'),
  REQUEST_TIMEOUT: z.coerce.number().positive().default(30).describe('Seconds to wait for a service to answer'),
  MAX_FILE_SIZE: envFields.int(10_485_760, 1).describe('Largest upload in bytes'),
  CORS_ORIGINS: envFields.list(['http://localhost:3000', 'http://localhost:5173']).describe('Allowed browser origins'),
  WEB_APP_DIR: z.string().optional().describe('Folder of the built web app served at /; unset = packages/web/dist beside the gateway'),
  PUBLIC_BASE_URL: z.url().optional().describe('The gateway as clients reach it; the web app may play audio from links signed for it'),
  WEB_MEDIA_ORIGINS: envFields.list([]).describe('More origins the web app may play audio from (an S3 bucket\'s, say)'),
  TRUST_PROXY: z
    .string()
    .default('loopback')
    .transform(parseTrustProxy)
    .describe('Peers whose X-Forwarded-For names the client (per-IP rate limit): none, a hop count, or addresses/subnets'),
  TTS_SERVICE_URL: serviceUrl(5001),
  STT_SERVICE_URL: serviceUrl(5002),
  CHAT_SERVICE_URL: serviceUrl(5003),
  DOCUMENT_SERVICE_URL: serviceUrl(5004),
  QUIZ_SERVICE_URL: serviceUrl(5005),
  READY_TIMEOUT_MS: envFields.int(1000, 50),
  PROCESSES: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(1)
    .describe('Gateway processes sharing the port (node:cluster); more than 1 needs REDIS_URL'),
}).superRefine((config, ctx) => {
  // Each process would keep its own in-memory limiter and revocation list: a token revoked in one
  // would still work in the others.
  if (config.PROCESSES > 1 && !config.REDIS_URL) {
    ctx.addIssue({ code: 'custom', path: ['PROCESSES'], message: 'more than one process needs REDIS_URL (limits and revocations are shared there)' });
  }
});

export type GatewayConfig = z.infer<typeof schema>;

export function loadConfig(env: Env): GatewayConfig {
  return parseConfig(schema, env);
}
