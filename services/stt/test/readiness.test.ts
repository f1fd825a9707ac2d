import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalStorage } from '@learner/common/storage';
import { closedPortUrl, startHealthStandIn, testSecret } from '@learner/common/testing';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConfiguredRecognizers } from '../src/dependencies.js';
import { startHarness, testConfig, type Harness } from './harness.js';

const running: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  await Promise.all(running.map((r) => r.close()));
});

async function harness(options: Parameters<typeof startHarness>[0]): Promise<Harness> {
  const h = await startHarness({ startWorker: false, ...options });
  running.push(h);
  return h;
}

describe('/ready of the stt service', () => {
  it('checks the document service and is ready while it answers', async () => {
    const documentService = await startHealthStandIn();
    running.push(documentService);
    const h = await harness({ documentServiceUrl: documentService.url });
    const res = await request(h.app).get('/ready');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'ready',
      checks: { storage: { status: 'up' }, recognizer: { status: 'up' }, document_service: { status: 'up' } },
    });
  });

  it('is degraded naming the document service while it does not answer: transcribing goes on', async () => {
    const h = await harness({ documentServiceUrl: await closedPortUrl() });
    const res = await request(h.app).get('/ready');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'degraded', degraded: ['document_service'], checks: { document_service: { status: 'down' } } });
  });

  it('is not ready, naming the recognizer and why, when a program pocketsphinx recognition runs is missing', async () => {
    const storage = createLocalStorage({ root: await mkdtemp(join(tmpdir(), 'stt-ready-')), publicBaseUrl: 'http://localhost/files', signingSecret: testSecret() });
    for (const [env, reason] of [
      [{ FFMPEG_PATH: '/nonexistent/ffmpeg' }, 'ffmpeg is missing (/nonexistent/ffmpeg)'],
      [{ POCKETSPHINX_PATH: '/nonexistent/pocketsphinx_continuous' }, 'pocketsphinx is missing (/nonexistent/pocketsphinx_continuous)'],
      [{ POCKETSPHINX_MODEL_DIR: '/nonexistent/model' }, 'the pocketsphinx model is missing (/nonexistent/model)'],
    ] as const) {
      const { recognizer } = await createConfiguredRecognizers(testConfig(env), storage);
      const h = await harness({ recognizer, storage });
      const res = await request(h.app).get('/ready');
      expect(res.status).toBe(503);
      expect(res.body.details).toMatchObject({ down: ['recognizer'], checks: { recognizer: { status: 'down', error: reason } } });
    }
  });
});
