import { z } from 'zod';
import { envFields, parseConfig, serviceEnvSchema, type Env } from '@learner/common/config';
import { storageEnvSchema } from '@learner/common/storage';

const schema = serviceEnvSchema.extend(storageEnvSchema.shape).extend({
  PORT: envFields.port(5002),
  MAX_FILE_SIZE: envFields.int(10_485_760, 1).describe('largest audio upload in bytes; larger answers 413'),
  DOCUMENT_SERVICE_URL: envFields.serviceUrl('http://127.0.0.1:5004').describe('the document service, for saving transcripts'),
  DOCUMENT_SERVICE_TIMEOUT_MS: envFields.int(10_000, 100),
  FFMPEG_PATH: z.string().default('ffmpeg').describe('ffmpeg executable (name on PATH or full path)'),
  POCKETSPHINX_PATH: z.string().default('pocketsphinx_continuous').describe('pocketsphinx command-line recognizer'),
  POCKETSPHINX_MODEL_DIR: z
    .string()
    .default('/usr/share/pocketsphinx/model/en-us')
    .describe('folder holding en-us/ (acoustic model), en-us.lm.bin and cmudict-en-us.dict'),
  TRANSCRIPTION_TIMEOUT_MS: envFields.int(3_600_000, 1_000).describe('longest one transcription may run'),
  WORKER_POLL_MS: envFields.int(1_000, 10).describe('how often the worker looks for queued jobs'),
  WORKER_CONCURRENCY: envFields.int(1, 1),
  JOB_LEASE_SECONDS: envFields.int(120, 1).describe('a job whose holder stops renewing is taken over after this'),
  JOB_MAX_ATTEMPTS: envFields.int(3, 1),
  TRANSCRIBE_POLL_MS: envFields.int(5_000, 10).describe('how often an Amazon Transcribe job is asked for its status'),
  PRACTICE_TIMEOUT_MS: envFields
    .int(25_000, 1_000)
    .describe('longest the scoring of one read-aloud recording may take (the caller waits); past it 503'),
  PRACTICE_CONCURRENCY: envFields.int(0, 0).describe('read-aloud recordings scored at once; 0 = the number of CPUs'),
  PRACTICE_QUEUE: envFields.int(8, 0).describe('recordings that may wait for a turn, one user at most half of them; past that a request gets 503 at once'),
});

export type SttConfig = z.infer<typeof schema>;

export function loadConfig(env: Env): SttConfig {
  return parseConfig(schema, env);
}
