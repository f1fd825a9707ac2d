import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInternalTokens } from '@learner/common/auth';
import type { Env } from '@learner/common/config';
import { silentLogger } from '@learner/common/logger';
import { createMetrics } from '@learner/common/metrics';
import { createLocalStorage } from '@learner/common/storage';
import {
  closedPortUrl,
  createTestDatabase,
  startChatCompletionsStandIn,
  startHealthStandIn,
  testSecret,
  type TestDatabase,
} from '@learner/common/testing';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createDocumentDependencies, type DocumentDependencies } from '../src/dependencies.js';

let db: TestDatabase;
const closing: Array<() => Promise<void>> = [];
beforeAll(async () => {
  db = await createTestDatabase({ database: 'document', fromDir: import.meta.dirname });
});
afterAll(async () => {
  await Promise.all(closing.map((close) => close()));
  await db?.drop();
});

/** The document service as main.ts builds it from these settings: the configured notes and study packs, no worker running. */
async function documentApp(env: Env) {
  const secret = testSecret();
  const storage = createLocalStorage({ root: await mkdtemp(join(tmpdir(), 'document-ready-')), publicBaseUrl: 'http://localhost/files', signingSecret: secret });
  const config = loadConfig({ DATABASE_URL: 'postgres://the-test-database', INTERNAL_TOKEN_SECRET: secret, OCR_ENGINE: 'tesseract', ...env });
  const logger = silentLogger();
  const deps: DocumentDependencies = createDocumentDependencies({
    config,
    pool: db.pool,
    storage,
    internalTokens: createInternalTokens({ secret, issuer: 'document' }),
    logger,
    embedder: false,
    processing: false,
  });
  closing.push(() => deps.stop());
  return createApp({
    logger,
    internalTokens: createInternalTokens({ secret, issuer: 'gateway' }),
    metrics: createMetrics({ service: 'document', collectDefaults: false }),
    ...deps.app,
    checks: deps.checks,
    pool: db.pool,
    storage,
    localStorage: storage,
    signingSecret: secret,
    maxFileSize: 10_485_760,
  });
}

describe('/ready of the document service', () => {
  it('checks the LLM endpoint that writes the notes and the quiz and tts services that study packs call, ready while they answer', async () => {
    const [quiz, tts, llm] = await Promise.all([startHealthStandIn(), startHealthStandIn(), startChatCompletionsStandIn(() => ({ status: 200, body: {} }))]);
    closing.push(quiz.close, tts.close, llm.close);
    const app = await documentApp({ QUIZ_SERVICE_URL: quiz.url, TTS_SERVICE_URL: tts.url, LLM_BASE_URL: llm.url, LLM_MODEL: 'small' });
    const res = await request(app).get('/ready');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'ready',
      checks: { storage: { status: 'up' }, llm: { status: 'up' }, quiz_service: { status: 'up' }, tts_service: { status: 'up' } },
    });
  });

  it('is degraded naming each of them that does not answer: notes fall back to extractive ones, study packs wait', async () => {
    const app = await documentApp({
      QUIZ_SERVICE_URL: await closedPortUrl(),
      TTS_SERVICE_URL: await closedPortUrl(),
      LLM_BASE_URL: `${await closedPortUrl()}/v1`,
      LLM_MODEL: 'small',
    });
    const res = await request(app).get('/ready');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('degraded');
    expect(res.body.degraded.sort()).toEqual(['llm', 'quiz_service', 'tts_service']);
  });
});
