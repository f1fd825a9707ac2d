import { describe, expect, it } from 'vitest';
import { ConfigError } from '@learner/common/config';
import { loadLauncherConfig } from '../src/launcher-config.js';

const servers = {
  KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:9092',
  REDIS_URL: 'redis://127.0.0.1:6379',
  ...Object.fromEntries(['GATEWAY', 'TTS', 'STT', 'CHAT', 'DOCUMENT', 'QUIZ'].map((s) => [`${s}_DATABASE_URL`, `postgres://db/${s.toLowerCase()}`])),
};

describe('REPLICAS', () => {
  it('starts one process of each service unless asked for more', () => {
    expect(loadLauncherConfig({}, '/app').replicas).toEqual({ gateway: 1, tts: 1, stt: 1, chat: 1, document: 1, quiz: 1 });
  });

  it('takes REPLICAS for every service and <SERVICE>_REPLICAS for one', () => {
    const config = loadLauncherConfig({ ...servers, REPLICAS: '2', DOCUMENT_REPLICAS: '3', GATEWAY_REPLICAS: '1' }, '/app');
    expect(config.replicas).toEqual({ gateway: 1, tts: 2, stt: 2, chat: 2, document: 3, quiz: 2 });
  });

  it('refuses more than one process over the embedded stand-ins, naming what is missing', () => {
    let error: unknown;
    try {
      loadLauncherConfig({ REPLICAS: '2', REDIS_URL: servers.REDIS_URL }, '/app');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/GATEWAY_DATABASE_URL, KAFKA_BOOTSTRAP_SERVERS/);
    expect(() => loadLauncherConfig({ ...servers, QUIZ_DATABASE_URL: '', QUIZ_REPLICAS: '2' }, '/app')).toThrow(/QUIZ_DATABASE_URL/);
    expect(() => loadLauncherConfig({ REPLICAS: '0' }, '/app')).toThrow(ConfigError);
  });
});
