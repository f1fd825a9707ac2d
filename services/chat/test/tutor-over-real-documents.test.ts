import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createInternalTokens } from '@learner/common/auth';
import { closeServer, listen } from '@learner/common/http';
import { testSecret } from '@learner/common/testing';
import { startDocumentService, uploadDocument, type RunningDocumentService } from '@learner/document/testing';
import { MESSAGES } from '../src/tutor/tutor.js';
import { newUser, startChat, type TestUser } from './support/chat-harness.js';

/**
 * The tutor against the real document service: its app runs in this process on a random port
 * with its own database and local storage, processes a real uploaded text file, and answers
 * chat's internal search calls over HTTP.
 */

// Form feeds are page breaks in a text file, so the answers have pages to cite.
const PLANT_BIOLOGY = [
  'Plant biology\n\nPlants are living things that make their own food. Most plants have roots, stems and leaves.',
  'Photosynthesis\n\nPhotosynthesis is the process by which green plants turn light energy into chemical energy. It takes place in the chloroplasts of leaf cells. Chlorophyll, the green pigment inside chloroplasts, absorbs red and blue light.',
  'Transport in plants\n\nWater moves from the roots up to the leaves through vessels called xylem. Transpiration is the loss of water vapour through small pores in the leaves called stomata.',
];

const ROMAN_HISTORY = 'The Roman Republic was founded in 509 BC. Julius Caesar crossed the Rubicon in 49 BC, starting a civil war.';

const secret = testSecret();
const gatewayTokens = createInternalTokens({ secret, issuer: 'gateway' });
const learner = newUser();

let documents: RunningDocumentService;
let documentApp: Express;
let chat: Awaited<ReturnType<typeof startChat>>;
let plantsId: number;
let historyId: number;

// The chat service's wait for a document search: a hybrid search waits on the embedding server,
// which answers one request at a time and is shared by every test running beside this one (the
// test document service waits up to 30 s for a question's vector, so the search stays hybrid).
const DOCUMENT_TIMEOUT_MS = 40_000;
vi.setConfig({ testTimeout: 60_000 });

function urlOf(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  // The real local embedding server (scripts/infra/up.sh starts it): search is hybrid, as in production.
  const embeddingsBaseUrl = process.env.EMBEDDINGS_BASE_URL;
  if (!embeddingsBaseUrl) throw new Error('EMBEDDINGS_BASE_URL is not set: start the local servers with scripts/infra/up.sh');
  documents = await startDocumentService({ secret, pollMs: 200, embeddingsBaseUrl });
  documentApp = documents.app;
  chat = await startChat({ secret, documentServiceUrl: documents.url, documentTimeoutMs: DOCUMENT_TIMEOUT_MS });

  [plantsId, historyId] = await Promise.all([
    uploadDocument(documents.url, gatewayTokens.headersFor(learner), { title: 'Plant biology', pages: PLANT_BIOLOGY }),
    uploadDocument(documents.url, gatewayTokens.headersFor(learner), { title: 'Roman history', pages: [ROMAN_HISTORY] }),
  ]);
});

afterAll(async () => {
  await chat?.close();
  await documents?.stop();
});

async function ask(user: TestUser, sessionId: number, message: string) {
  const res = await chat.as(user).post(`/api/v1/chat/sessions/${sessionId}/messages`, { message });
  expect(res.status).toBe(201);
  return res.body.data.ai_response as {
    content: string;
    answer_source: string;
    citations: Array<{ document_id: number; title: string; page: number; snippet: string }>;
    retrieval: string | null;
    retrieval_reason: string | null;
  };
}

async function newSession(user: TestUser, body: object = {}): Promise<number> {
  return (await chat.as(user).post('/api/v1/chat/sessions', body)).body.data.id as number;
}

describe('the tutor over the real document service', () => {
  it('answers a question from the sentence that holds the answer, citing its document and page', async () => {
    const answer = await ask(learner, await newSession(learner), 'What is photosynthesis?');
    expect(answer.answer_source).toBe('documents');
    // The page heading ("Photosynthesis") is not part of the answer.
    expect(answer.content).toMatch(/^Photosynthesis is the process by which green plants turn light energy into chemical energy\./);
    expect(answer.citations[0]).toMatchObject({ document_id: plantsId, title: 'Plant biology', page: 2 });
    expect(answer.citations[0]!.snippet).toMatch(/photosynthesis/i);
  });

  it('answers from the passage nearest the question in meaning, and says the search was hybrid', async () => {
    const answer = await ask(learner, await newSession(learner), 'How does a plant lose water vapour?');
    expect(answer.answer_source).toBe('documents');
    expect(answer.citations[0]).toMatchObject({ document_id: plantsId, page: 3 });
    expect(answer.content).toContain('Transpiration is the loss of water vapour through small pores in the leaves called stomata.');
    expect(answer).toMatchObject({ retrieval: 'hybrid', retrieval_reason: null });
  });

  it('finds an answer on another page of the same document', async () => {
    const answer = await ask(learner, await newSession(learner), 'Which vessels carry water from the roots to the leaves?');
    expect(answer.content).toMatch(/^Water moves from the roots up to the leaves through vessels called xylem\./);
    expect(answer.citations).toEqual([expect.objectContaining({ document_id: plantsId, page: 3 })]);
  });

  it('still finds the answer when the question carries a pasted run of letters longer than the search takes', async () => {
    const answer = await ask(learner, await newSession(learner), `What is photosynthesis? ${'z'.repeat(520)}`);
    expect(answer.answer_source).toBe('documents');
    expect(answer.citations[0]).toMatchObject({ document_id: plantsId, page: 2 });
  });

  it('answers from the documents when the question carries control characters, which the search does not take', async () => {
    const answer = await ask(learner, await newSession(learner), 'What is\u0007 photosynthesis?\u001b[0m');
    expect(answer.answer_source).toBe('documents');
    expect(answer.citations[0]).toMatchObject({ document_id: plantsId, page: 2 });
  });

  it('says a question about something absent is not in the documents, without inventing an answer', async () => {
    const answer = await ask(learner, await newSession(learner), 'What causes volcanic eruptions?');
    expect(answer).toMatchObject({ content: MESSAGES.notFound, answer_source: 'not_found', citations: [] });
  });

  it('resolves the subject of a follow-up question from the conversation', async () => {
    const id = await newSession(learner);
    await ask(learner, id, 'What is photosynthesis?');
    const answer = await ask(learner, id, 'Where does it happen?');
    expect(answer.content).toContain('It takes place in the chloroplasts of leaf cells.');
    expect(answer.citations).toEqual([expect.objectContaining({ document_id: plantsId, page: 2 })]);
  });

  it('searches only the documents a session focuses on', async () => {
    const history = await newSession(learner, { document_ids: [historyId] });
    expect(await ask(learner, history, 'What is photosynthesis?')).toMatchObject({ content: MESSAGES.notFoundInSession });
    const caesar = await ask(learner, history, 'When did Caesar cross the Rubicon?');
    expect(caesar.content).toContain('Julius Caesar crossed the Rubicon in 49 BC');
    expect(caesar.citations).toEqual([expect.objectContaining({ document_id: historyId, title: 'Roman history', page: 1 })]);
  });

  it('never answers from, nor focuses a session on, another learner’s documents', async () => {
    const stranger = newUser();
    const answer = await ask(stranger, await newSession(stranger), 'What is photosynthesis?');
    expect(answer).toMatchObject({ answer_source: 'not_found', citations: [] });
    const focused = await chat.as(stranger).post('/api/v1/chat/sessions', { document_ids: [plantsId] });
    expect(focused.status).toBe(404);
    expect(focused.body.details).toEqual({ document_ids: [plantsId] });
  });

  it('answers by words alone when the embedding server is down, and says so in the answer', async () => {
    // A closed port stands for an embedding server that has stopped.
    const probe = await listen(documentApp, 0, '127.0.0.1');
    const deadUrl = `${urlOf(probe)}/nothing-here/v1`;
    await closeServer(probe);
    const offline = await startDocumentService({ secret, pollMs: 200, embeddingsBaseUrl: deadUrl });
    const offlineChat = await startChat({ secret, documentServiceUrl: offline.url, documentTimeoutMs: DOCUMENT_TIMEOUT_MS });
    try {
      await uploadDocument(offline.url, gatewayTokens.headersFor(learner), { title: 'Plant biology', pages: PLANT_BIOLOGY });
      const session = (await offlineChat.as(learner).post('/api/v1/chat/sessions', {})).body.data.id as number;
      const reply = await offlineChat.as(learner).post(`/api/v1/chat/sessions/${session}/messages`, { message: 'What is photosynthesis?' });
      expect(reply.status).toBe(201);
      expect(reply.body.data.ai_response).toMatchObject({ answer_source: 'documents', retrieval: 'full_text' });
      expect(reply.body.data.ai_response.retrieval_reason).toMatch(/embedding server/);
      expect(reply.body.data.ai_response.content).toMatch(/^Photosynthesis is the process/);
    } finally {
      await offlineChat.close();
      await offline.stop();
    }
  });

  it('stores an answer saying the documents could not be reached once the document service has stopped', async () => {
    const second = await listen(documentApp, 0, '127.0.0.1');
    const cut = await startChat({ secret, documentServiceUrl: urlOf(second), documentTimeoutMs: DOCUMENT_TIMEOUT_MS });
    try {
      const id = (await cut.as(learner).post('/api/v1/chat/sessions', {})).body.data.id as number;
      const before = await cut.as(learner).post(`/api/v1/chat/sessions/${id}/messages`, { message: 'What is photosynthesis?' });
      expect(before.body.data.ai_response.answer_source).toBe('documents');

      await closeServer(second);
      const after = await cut.as(learner).post(`/api/v1/chat/sessions/${id}/messages`, { message: 'What is chlorophyll?' });
      expect(after.status).toBe(201);
      expect(after.body.data.ai_response).toMatchObject({ content: MESSAGES.unavailable, answer_source: 'documents_unavailable', citations: [] });

      const history = await cut.as(learner).get(`/api/v1/chat/sessions/${id}/messages`);
      expect(history.body.data.map((m: { content: string }) => m.content).slice(2)).toEqual(['What is chlorophyll?', MESSAGES.unavailable]);
    } finally {
      if (second.listening) await closeServer(second);
      await cut.close();
    }
  });
});
