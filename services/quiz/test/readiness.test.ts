import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInternalTokens } from '@learner/common/auth';
import type { Env } from '@learner/common/config';
import { silentLogger } from '@learner/common/logger';
import { createMetrics } from '@learner/common/metrics';
import { startDocumentService, type RunningDocumentService } from '@learner/document/testing';
import { closedPortUrl, createTestDatabase, startChatCompletionsStandIn, testSecret, type TestDatabase } from '@learner/common/testing';
import { createApp } from '../src/app.js';
import { createQuizDependencies } from '../src/dependencies.js';
import { testConfig } from './harness.js';

let db: TestDatabase;
/** The real document service, without its processing worker: the readiness check asks its /health. */
let documentService: RunningDocumentService;
const closing: Array<() => Promise<void>> = [];
beforeAll(async () => {
  [db, documentService] = await Promise.all([
    createTestDatabase({ database: 'quiz', fromDir: import.meta.dirname }),
    startDocumentService({ secret: testSecret(), processing: false }),
  ]);
});
afterAll(async () => {
  await Promise.all(closing.map((close) => close()));
  await Promise.all([db?.drop(), documentService?.stop()]);
});

/** The quiz app as main.ts builds it from these settings (the configured question writer included). */
function quizApp(env: Env) {
  const config = testConfig(env);
  const internalTokens = createInternalTokens({ secret: config.INTERNAL_TOKEN_SECRET, issuer: 'quiz' });
  const quiz = createQuizDependencies({ config, internalTokens });
  closing.push(() => quiz.close());
  return createApp({
    logger: silentLogger(),
    internalTokens,
    metrics: createMetrics({ service: 'quiz', collectDefaults: false }),
    checks: {},
    optionalChecks: quiz.optionalChecks,
    pool: db.pool,
    documents: quiz.documents,
    writer: quiz.writer,
  });
}

describe('/ready of the quiz service', () => {
  it('checks the document service and the configured LLM endpoint, and is ready while both answer', async () => {
    const llm = await startChatCompletionsStandIn(() => ({ status: 200, body: {} }));
    closing.push(llm.close);
    const res = await request(quizApp({ DOCUMENT_SERVICE_URL: documentService.url, LLM_BASE_URL: llm.url, LLM_MODEL: 'small' })).get('/ready');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ready', checks: { document_service: { status: 'up' }, llm: { status: 'up' } } });
  });

  it('is degraded naming the document service and the LLM endpoint while they do not answer (quizzes are still taken and read)', async () => {
    const app = quizApp({ DOCUMENT_SERVICE_URL: await closedPortUrl(), LLM_BASE_URL: `${await closedPortUrl()}/v1`, LLM_MODEL: 'small' });
    const res = await request(app).get('/ready');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('degraded');
    expect(res.body.degraded.sort()).toEqual(['document_service', 'llm']);
    expect(res.body.checks.document_service.status).toBe('down');
  });

  it('counts the document service up while one of its replicas answers, and down naming why while none does', async () => {
    const stopped = await closedPortUrl();
    const up = await request(quizApp({ DOCUMENT_SERVICE_URL: `${stopped},${documentService.url}` })).get('/ready');
    expect(up.body).toMatchObject({ status: 'ready', checks: { document_service: { status: 'up' } } });
    const down = await request(quizApp({ DOCUMENT_SERVICE_URL: `${stopped},${await closedPortUrl()}` })).get('/ready');
    expect(down.body).toMatchObject({ status: 'degraded', degraded: ['document_service'], checks: { document_service: { status: 'down', error: 'fetch failed' } } });
  });

  it('checks no LLM endpoint when none is configured', async () => {
    const res = await request(quizApp({ DOCUMENT_SERVICE_URL: documentService.url })).get('/ready');
    expect(res.body).toMatchObject({ status: 'ready' });
    expect(Object.keys(res.body.checks)).toEqual(['document_service']);
  });
});
