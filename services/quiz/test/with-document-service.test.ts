import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcessingWorker } from '@learner/document/dist/processing/processing-worker.js';
import { startDocumentService, uploadDocument, type RunningDocumentService } from '@learner/document/testing';
import { createInternalTokens } from '@learner/common/auth';
import type { RequestUser } from '@learner/common/http';
import { createTestDatabase, testSecret, type TestDatabase } from '@learner/common/testing';
import { checkQuiz } from '../src/generation/item-check.js';
import { createQuizRepository } from '../src/quizzes/quiz-repository.js';
import { cellBiology, frenchRevolution, photosynthesis } from './fixtures/study-texts.js';
import { buildQuizApp } from './harness.js';

/**
 * The quiz service against the real document service, both in this process: a text document is
 * uploaded through the document service's public route, processed by its worker, and read by the
 * quiz service through the internal text route over HTTP.
 */
let quizDb: TestDatabase;
let stopDocuments: () => Promise<void>;
let worker: ProcessingWorker;
let documentApp: Express;
let documentUrl: string;
let quizApp: Express;
const secret = testSecret();
const tokens = createInternalTokens({ secret, issuer: 'gateway' });
const as = (user: RequestUser) => tokens.headersFor(user);
const newUser = (): RequestUser => {
  const id = randomUUID();
  return { id, email: `${id.slice(0, 8)}@example.test` };
};

beforeAll(async () => {
  let documents: RunningDocumentService;
  [quizDb, documents] = await Promise.all([
    createTestDatabase({ database: 'quiz', fromDir: import.meta.dirname }),
    startDocumentService({ secret }),
  ]);
  stopDocuments = documents.stop;
  documentApp = documents.app;
  documentUrl = documents.url;
  worker = documents.worker!;
  quizApp = buildQuizApp({ pool: quizDb.pool, secret, documentServiceUrl: documents.url });
});

afterAll(async () => {
  await Promise.all([quizDb?.drop(), stopDocuments?.()]);
});

/** Study notes as a .txt file, one page per form feed, as the document service splits them. */
function textFile(pages: { text: string }[]): Buffer {
  return Buffer.from(pages.map((p) => p.text).join('\n\f'), 'utf8');
}

/** A PDF with a text layer, one page per study page, paragraphs wrapped to the page width. */
async function textPdf(pages: { text: string }[]): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const size = 10;
  for (const { text } of pages) {
    const page = pdf.addPage([612, 792]);
    let y = 740;
    for (const paragraph of text.split(/\n+/)) {
      let line = '';
      const flush = (): void => {
        page.drawText(line, { x: 50, y, size, font });
        y -= size * 1.4;
        line = '';
      };
      for (const word of paragraph.split(/\s+/).filter(Boolean)) {
        const candidate = line ? `${line} ${word}` : word;
        if (line && font.widthOfTextAtSize(candidate, size) > 500) {
          flush();
          line = word;
        } else line = candidate;
      }
      if (line) flush();
      y -= size;
    }
  }
  return Buffer.from(await pdf.save());
}

function uploadAndWait(user: RequestUser, bytes: Buffer, filename: string): Promise<number> {
  return uploadDocument(documentUrl, as(user), { title: filename.replace(/\.\w+$/, ''), filename, bytes });
}

async function pagesOf(user: RequestUser, id: number): Promise<{ page: number; text: string }[]> {
  const res = await request(documentApp).get(`/internal/v1/documents/${id}/text`).set(as(user));
  expect(res.status).toBe(200);
  return res.body.data.pages;
}

describe('with the real document service', () => {
  it('generates a quiz from an uploaded, processed document whose items cite its real sentences, and grades it', async () => {
    const user = newUser();
    const id = await uploadAndWait(user, textFile(frenchRevolution), 'french-revolution.txt');
    const generated = await request(quizApp)
      .post('/api/v1/quizzes/generate')
      .set(as(user))
      .send({ document_id: id, num_questions: 6, difficulty: 'hard' });
    expect(generated.status).toBe(201);
    expect(generated.body.data).toMatchObject({ document_id: id, title: 'Quiz: french-revolution', generated: 6 });

    const pages = await pagesOf(user, id);
    expect(pages.length).toBe(frenchRevolution.length);
    const questions = await createQuizRepository(quizDb.pool).questions(generated.body.data.id);
    expect(checkQuiz(questions, pages).problems).toEqual({});

    const answers = Object.fromEntries(
      questions.map((q) => [String(q.id), q.type === 'true_false' ? q.correctAnswer === 'true' : q.correctAnswer.toLowerCase()]),
    );
    const submitted = await request(quizApp).post(`/api/v1/quizzes/${generated.body.data.id}/submit`).set(as(user)).send({ answers });
    expect(submitted.status).toBe(201);
    expect(submitted.body.data).toMatchObject({ score: 6, total_points: 6, percentage: 100 });
    for (const result of submitted.body.data.results) {
      expect(pages.find((p) => p.page === result.source.page)!.text.replace(/\s+/g, ' ')).toContain(result.source.sentence);
    }
  });

  it('cites sentences as the document service extracted them from a PDF, page by page', async () => {
    const user = newUser();
    const id = await uploadAndWait(user, await textPdf(photosynthesis), 'photosynthesis.pdf');
    const generated = await request(quizApp)
      .post('/api/v1/quizzes/generate')
      .set(as(user))
      .send({ document_id: id, num_questions: 6, difficulty: 'medium' });
    expect(generated.status).toBe(201);
    expect(generated.body.data.generated).toBe(6);
    const pages = await pagesOf(user, id);
    expect(pages.map((p) => p.page)).toEqual([1, 2]);
    const questions = await createQuizRepository(quizDb.pool).questions(generated.body.data.id);
    expect(checkQuiz(questions, pages).problems).toEqual({});
    expect(new Set(questions.map((q) => q.source.page))).toEqual(new Set([1, 2]));
  });

  it('answers 404 for a document of another user and 409 for one still being processed', async () => {
    const owner = newUser();
    const id = await uploadAndWait(owner, textFile(cellBiology), 'cells.txt');
    const stranger = await request(quizApp).post('/api/v1/quizzes/generate').set(as(newUser())).send({ document_id: id, num_questions: 3 });
    expect(stranger.status).toBe(404);

    // Stopped worker: the next upload stays "uploaded".
    await worker.stop();
    try {
      const uploaded = await request(documentApp)
        .post('/api/v1/documents/upload')
        .set(as(owner))
        .attach('file', textFile(cellBiology), { filename: 'pending.txt', contentType: 'text/plain' });
      expect(uploaded.status).toBe(201);
      const pending = await request(quizApp)
        .post('/api/v1/quizzes/generate')
        .set(as(owner))
        .send({ document_id: uploaded.body.data.id, num_questions: 3 });
      expect(pending.status).toBe(409);
      expect(pending.body.error).toBe('Conflict');
    } finally {
      worker.start();
    }
  });
});
