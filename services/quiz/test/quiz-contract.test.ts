import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDocumentService, type RunningDocumentService } from '@learner/document/testing';
import { createInternalTokens } from '@learner/common/auth';
import { createDocumentServiceClient, createQuizServiceClient, type DocumentServiceClient, type QuizServiceClient } from '@learner/common/contracts';
import { closeServer, type RequestUser } from '@learner/common/http';
import { createTestDatabase, refusalOf, testSecret, type TestDatabase } from '@learner/common/testing';
import { cellBiology } from './fixtures/study-texts.js';
import { buildQuizApp } from './harness.js';

/**
 * The client the document service's study packs use checks every answer against the quiz contract's
 * schemas (@learner/common/contracts), so each call below that resolves is a real answer of this
 * quiz service, over HTTP, that validates against them. The document it reads is the real
 * document service's.
 */
const secret = testSecret();
// Signed as the document service signs its calls.
const documentTokens = createInternalTokens({ secret, issuer: 'document' });
const newUser = (): RequestUser => {
  const id = randomUUID();
  return { id, email: `${id.slice(0, 8)}@example.test` };
};

let quizDb: TestDatabase;
let documents: RunningDocumentService;
let quizServer: Server;
let quiz: QuizServiceClient;
let documentClient: DocumentServiceClient;

beforeAll(async () => {
  [quizDb, documents] = await Promise.all([createTestDatabase({ database: 'quiz', fromDir: import.meta.dirname }), startDocumentService({ secret })]);
  const app = buildQuizApp({ pool: quizDb.pool, secret, documentServiceUrl: documents.url, documentTimeoutMs: 10_000 });
  quizServer = await new Promise<Server>((resolve) => {
    const s = createServer(app).listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = quizServer.address() as AddressInfo;
  quiz = createQuizServiceClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 30_000, internalTokens: documentTokens });
  documentClient = createDocumentServiceClient({ baseUrl: documents.url, timeoutMs: 10_000, internalTokens: documentTokens });
}, 60_000);

afterAll(async () => {
  if (quizServer) await closeServer(quizServer);
  await Promise.all([quizDb?.drop(), documents?.stop()]);
});

async function processedDocument(user: RequestUser, title: string): Promise<number> {
  const created = await documentClient.createTextDocument({ user }, { title, text: cellBiology.map((p) => p.text).join('\n\f') });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { status } = await documentClient.getDocument({ user }, created.id);
    if (status === 'completed') return created.id;
    if (status === 'failed' || Date.now() > deadline) throw new Error(`document ${created.id} is ${status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the quiz service answers quiz generation in the shape the study pack client checks', () => {
  it('a quiz of a processed document, and the same quiz again for the same idempotency key', async () => {
    const user = newUser();
    const id = await processedDocument(user, 'Cells');
    const key = `study-pack-${id}`;

    const made = await quiz.generate({ user }, { document_id: id, title: 'Study pack: Cells', num_questions: 4 }, { idempotencyKey: key });
    expect(made).toMatchObject({ document_id: id, title: 'Study pack: Cells', requested: 4, difficulty: 'medium', document_deleted: false });
    expect(made.questions).toHaveLength(made.generated);
    expect(made.generated).toBeGreaterThan(0);
    expect(made.total_points).toBe(made.questions.reduce((sum, q) => sum + q.points, 0));

    const again = await quiz.generate({ user }, { document_id: id, title: 'Study pack: Cells', num_questions: 4 }, { idempotencyKey: key });
    expect(again.id).toBe(made.id);

    const trueFalse = await quiz.generate({ user }, { document_id: id, num_questions: 2, difficulty: 'easy', question_types: ['true_false'] });
    expect(trueFalse.id).not.toBe(made.id);
    expect(trueFalse.questions.map((q) => q.question_type)).toEqual(trueFalse.questions.map(() => 'true_false'));
  });

  it("passes the service's refusals on as they were given: not found, not valid", async () => {
    const owner = newUser();
    const id = await processedDocument(owner, 'Cells, not yours');

    expect(await refusalOf(quiz.generate({ user: newUser() }, { document_id: id }))).toMatchObject({ status: 404, type: 'NotFound' });
    expect(await refusalOf(quiz.generate({ user: owner }, { document_id: id, num_questions: 21 }))).toMatchObject({
      status: 400,
      type: 'ValidationError',
      details: { num_questions: expect.any(String) },
    });
    expect(await refusalOf(quiz.generate({ user: owner }, { document_id: id }, { idempotencyKey: 'not a key' }))).toMatchObject({
      status: 400,
      type: 'ValidationError',
    });
  });
});
