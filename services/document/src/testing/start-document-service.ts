import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import { createInternalTokens } from '@learner/common/auth';
import { closeServer, listen } from '@learner/common/http';
import { silentLogger } from '@learner/common/logger';
import { createMetrics } from '@learner/common/metrics';
import { createLocalStorage } from '@learner/common/storage';
import { createTestDatabase, testSecret, type TestDatabase } from '@learner/common/testing';
import { createApp } from '../app.js';
import { createTesseractOcr } from '../ocr/tesseract-ocr.js';
import { createProcessingWorker, type ProcessingWorker } from '../processing/processing-worker.js';
import { createTextExtractor } from '../processing/text-extractor.js';

export interface RunningDocumentService {
  app: Express;
  server: Server;
  url: string;
  db: TestDatabase;
  /** Undefined when started with `processing: false`. */
  worker?: ProcessingWorker;
  stop(): Promise<void>;
}

/**
 * The real document service for other services' tests: its app on a random loopback port, with a
 * fresh database, local storage in a temporary folder and (unless turned off) its processing
 * worker, accepting internal tokens signed with `secret`.
 */
export async function startDocumentService(options: {
  secret: string;
  processing?: boolean;
  pollMs?: number;
}): Promise<RunningDocumentService> {
  const db = await createTestDatabase({ database: 'document', fromDir: import.meta.dirname });
  const folder = await mkdtemp(join(tmpdir(), 'document-service-'));
  const signingSecret = testSecret();
  const storage = createLocalStorage({ root: folder, publicBaseUrl: 'http://localhost:5000/files/document', signingSecret });
  const logger = silentLogger();
  const worker =
    options.processing === false
      ? undefined
      : createProcessingWorker({
          pool: db.pool,
          storage,
          extractor: createTextExtractor({ ocr: createTesseractOcr({ timeoutMs: 60_000 }) }),
          logger,
          pollMs: options.pollMs ?? 100,
        });
  worker?.start();
  const app = createApp({
    logger,
    internalTokens: createInternalTokens({ secret: options.secret, issuer: 'document' }),
    metrics: createMetrics({ service: 'document', collectDefaults: false }),
    checks: {},
    pool: db.pool,
    storage,
    localStorage: storage,
    signingSecret,
    maxFileSize: 10_485_760,
    ...(worker ? { onQueued: () => worker.wake() } : {}),
  });
  const server = await listen(app, 0, '127.0.0.1');
  return {
    app,
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    db,
    ...(worker ? { worker } : {}),
    async stop() {
      if (server.listening) await closeServer(server);
      await worker?.stop();
      await db.drop();
      await rm(folder, { recursive: true, force: true });
    },
  };
}
