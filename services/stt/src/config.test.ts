import { describe, expect, it } from 'vitest';
import { ConfigError } from '@learner/common/config';
import { loadConfig } from './config.js';

const base = { DATABASE_URL: 'postgres://localhost/stt', INTERNAL_TOKEN_SECRET: 'a-secret-of-sixteen-chars' };

describe('stt configuration', () => {
  it("defaults to port 5002, a 10 MB upload limit, one worker and the document service on 5004", () => {
    expect(loadConfig(base)).toMatchObject({
      PORT: 5002,
      MAX_FILE_SIZE: 10_485_760,
      DOCUMENT_SERVICE_URL: 'http://127.0.0.1:5004',
      WORKER_CONCURRENCY: 1,
      JOB_LEASE_SECONDS: 120,
      POCKETSPHINX_MODEL_DIR: '/usr/share/pocketsphinx/model/en-us',
    });
  });

  it('names every bad key at once', () => {
    try {
      loadConfig({ ...base, MAX_FILE_SIZE: '0', DOCUMENT_SERVICE_URL: 'not a url', WORKER_CONCURRENCY: 'two' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems.join('\n');
      for (const key of ['MAX_FILE_SIZE', 'DOCUMENT_SERVICE_URL', 'WORKER_CONCURRENCY']) expect(problems).toContain(key);
    }
  });
});
