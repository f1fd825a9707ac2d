import { z } from 'zod';
import { envFields, parseConfig, serviceEnvSchema, type Env } from '@learner/common/config';
import { storageEnvSchema } from '@learner/common/storage';

const schema = serviceEnvSchema.extend(storageEnvSchema.shape).extend({
  PORT: envFields.port(5001),
  SYNTHESIS_TIMEOUT_MS: envFields.int(60_000, 1_000).describe('longest a local engine may take for one request'),
  SYNTHESIS_CONCURRENCY: envFields
    .int(0, 0)
    .describe('syntheses run at once; 0 = the number of CPUs for the local engines, 8 for Polly'),
  SYNTHESIS_QUEUE: envFields.int(16, 0).describe('syntheses that may wait for a turn, one user at most half of them; past that a request gets 503 at once'),
  FLITE_PATH: z.string().default('flite').describe('flite executable (name on PATH or full path)'),
  ESPEAK_PATH: z.string().default('espeak-ng').describe('espeak-ng executable'),
  HIBARI_URL: z
    .url()
    .optional()
    .describe('the local neural voice server (scripts/infra/hibari.sh); English is read with it, and with flite while it is down'),
  FFMPEG_PATH: z.string().default('ffmpeg').describe('ffmpeg executable; when missing, a WebAssembly encoder is used'),
});

export type TtsConfig = z.infer<typeof schema>;

export function loadConfig(env: Env): TtsConfig {
  return parseConfig(schema, env);
}

