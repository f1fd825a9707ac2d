import { z } from 'zod';
import type { Logger } from 'pino';
import { createLocalStorage, type LocalStorage } from './local-storage.js';
import { createS3Storage } from './s3-storage.js';
import type { ObjectStorage } from './object-storage.js';

/** Environment keys of object storage; S3 is used when a bucket is named. */
export const storageEnvSchema = z.object({
  S3_BUCKET: z.string().optional().describe('S3 bucket; unset = local folder'),
  AWS_REGION: z.string().default('us-east-1'),
  AWS_ENDPOINT_URL: z.string().optional().describe('custom AWS endpoint, e.g. a local emulator'),
  S3_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000).describe('longest one S3 request may take (ms)'),
  AWS_ACCESS_KEY_ID: z.string().optional(),
  AWS_SECRET_ACCESS_KEY: z.string().optional(),
  AWS_SESSION_TOKEN: z.string().optional(),
  STORAGE_DIR: z.string().default('.data/storage').describe('folder of the local storage'),
  PUBLIC_BASE_URL: z.string().default('http://localhost:5000').describe('the gateway as clients reach it'),
  STORAGE_SIGNING_SECRET: z.string().min(16).optional().describe('HMAC secret of local download links'),
});
export type StorageEnv = z.infer<typeof storageEnvSchema>;

export function awsCredentials(env: StorageEnv): { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined {
  if (!env.AWS_ACCESS_KEY_ID || !env.AWS_SECRET_ACCESS_KEY) return undefined;
  return {
    accessKeyId: env.AWS_ACCESS_KEY_ID,
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
    ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
  };
}

export type ConfiguredStorage = { storage: ObjectStorage; local?: LocalStorage; signingSecret: string };

/**
 * S3 when a bucket is configured; otherwise `<STORAGE_DIR>/<service>` served by the service at
 * `/files`, which the gateway exposes as `/files/<service>`.
 */
export function createStorageFromEnv(env: StorageEnv, service: string, fallbackSecret: string, logger?: Logger): ConfiguredStorage {
  const signingSecret = env.STORAGE_SIGNING_SECRET ?? fallbackSecret;
  if (env.S3_BUCKET) {
    logger?.info({ bucket: env.S3_BUCKET }, 'object storage: S3');
    const credentials = awsCredentials(env);
    return {
      storage: createS3Storage({
        bucket: env.S3_BUCKET,
        region: env.AWS_REGION,
        ...(env.AWS_ENDPOINT_URL ? { endpoint: env.AWS_ENDPOINT_URL, createBucket: true } : {}),
        ...(credentials ? { credentials } : {}),
        requestTimeoutMs: env.S3_REQUEST_TIMEOUT_MS,
      }),
      signingSecret,
    };
  }
  const local = createLocalStorage({
    root: `${env.STORAGE_DIR}/${service}`,
    publicBaseUrl: `${env.PUBLIC_BASE_URL.replace(/\/+$/, '')}/files/${service}`,
    signingSecret,
  });
  logger?.info({ dir: `${env.STORAGE_DIR}/${service}` }, 'object storage: local folder');
  return { storage: local, local, signingSecret };
}
