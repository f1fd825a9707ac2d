import { describe, expect, it } from 'vitest';
import { ConfigError } from '@learner/common/config';
import { awsConfigured } from '@learner/common/storage';
import { loadConfig } from './config.js';

const base = { DATABASE_URL: 'postgres://localhost/tts', INTERNAL_TOKEN_SECRET: 'a-secret-of-sixteen-chars' };

describe('tts configuration', () => {
  it('defaults to port 5001, local storage and the local engines found on PATH', () => {
    const config = loadConfig(base);
    expect(config).toMatchObject({ PORT: 5001, FLITE_PATH: 'flite', ESPEAK_PATH: 'espeak-ng', FFMPEG_PATH: 'ffmpeg', STORAGE_DIR: '.data/storage' });
    expect(config.S3_BUCKET).toBeUndefined();
    expect(awsConfigured(config)).toBe(false);
  });

  it('counts AWS as configured with credentials or with an emulator endpoint', () => {
    expect(awsConfigured(loadConfig({ ...base, AWS_ACCESS_KEY_ID: 'k', AWS_SECRET_ACCESS_KEY: 's' }))).toBe(true);
    expect(awsConfigured(loadConfig({ ...base, AWS_ACCESS_KEY_ID: 'k' }))).toBe(false);
    expect(awsConfigured(loadConfig({ ...base, AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' }))).toBe(true);
  });

  it('names every bad key at once', () => {
    try {
      loadConfig({ ...base, PORT: 'eighty', SYNTHESIS_TIMEOUT_MS: '5', STORAGE_SIGNING_SECRET: 'short' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems.join('\n');
      for (const key of ['PORT', 'SYNTHESIS_TIMEOUT_MS', 'STORAGE_SIGNING_SECRET']) expect(problems).toContain(key);
    }
  });
});
