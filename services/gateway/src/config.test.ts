import { describe, expect, it } from 'vitest';
import { ConfigError } from '@learner/common/config';
import { loadConfig } from './config.js';

const required = {
  DATABASE_URL: 'postgres://gateway@localhost/gateway',
  JWT_SECRET: 'a-user-token-secret-0123',
  INTERNAL_TOKEN_SECRET: 'an-internal-secret-0123',
};

describe('gateway configuration', () => {
  it('fills in the documented defaults', () => {
    const config = loadConfig(required);
    expect(config).toMatchObject({
      PORT: 5000,
      JWT_EXPIRATION_HOURS: 24,
      RATE_LIMIT_REQUESTS: 100,
      RATE_LIMIT_WINDOW: 60,
      REQUEST_TIMEOUT: 30,
      MAX_FILE_SIZE: 10_485_760,
      CORS_ORIGINS: ['http://localhost:3000', 'http://localhost:5173'],
      QUIZ_SERVICE_URL: 'http://127.0.0.1:5005',
    });
    expect(config.REDIS_URL).toBeUndefined();
  });

  it('names every bad key at once', () => {
    const attempt = () => loadConfig({ JWT_SECRET: 'short', PORT: 'eighty', TTS_SERVICE_URL: 'not a url' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (err) {
      const keys = (err as ConfigError).problems.map((p) => p.split(':')[0]).sort();
      expect(keys).toEqual(['DATABASE_URL', 'INTERNAL_TOKEN_SECRET', 'JWT_SECRET', 'PORT', 'TTS_SERVICE_URL']);
    }
  });

  it('reads the CORS allowlist as a comma-separated list', () => {
    expect(loadConfig({ ...required, CORS_ORIGINS: 'https://a.example, https://b.example' }).CORS_ORIGINS).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
  });

  it('reads TRUST_PROXY as none, a hop count, or a list of addresses and subnets, and refuses anything else', () => {
    const trust = (value?: string) => loadConfig({ ...required, ...(value === undefined ? {} : { TRUST_PROXY: value }) }).TRUST_PROXY;
    expect(trust()).toBe('loopback');
    expect(trust('none')).toBe(false);
    expect(trust('2')).toBe(2);
    expect(trust('loopback, 10.0.0.0/8 ,172.31.5.9')).toBe('loopback,10.0.0.0/8,172.31.5.9');
    expect(() => trust('10.0.0.0/8, the-load-balancer')).toThrow(/TRUST_PROXY/);
  });

  it('runs several processes only with Redis, where they share limits and revocations', () => {
    expect(loadConfig({ ...required, PROCESSES: '2', REDIS_URL: 'redis://127.0.0.1:6379' }).PROCESSES).toBe(2);
    expect(loadConfig(required).PROCESSES).toBe(1);
    expect(() => loadConfig({ ...required, PROCESSES: '2' })).toThrow(/PROCESSES: more than one process needs REDIS_URL/);
  });
});
