import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPortUrl, testSecret } from '@learner/common/testing';
import { MESSAGES } from '../src/tutor/tutor.js';
import { newUser, startChat, type TestUser } from './support/chat-harness.js';
import { startDocuments } from './support/document-service.js';

const secret = testSecret();
const learner = newUser();

let documents: Awaited<ReturnType<typeof startDocuments>>;
let chat: Awaited<ReturnType<typeof startChat>>;
/** The learner's two documents in the real document service. */
let plants: number;
let cells: number;

beforeAll(async () => {
  documents = await startDocuments({ secret });
  chat = await startChat({ secret, documentServiceUrl: documents.url, documentTimeoutMs: 500 });
  // Form feeds are page breaks in a text file: the photosynthesis passage is on page 2, the mitochondria one on page 5.
  [plants, cells] = await Promise.all([
    documents.upload(learner, 'Plant biology', [
      'Plant biology',
      'Photosynthesis is the process by which green plants turn light energy into chemical energy. It takes place in the chloroplasts of leaf cells.',
    ]),
    documents.upload(learner, 'Cell biology', ['Cell biology', 'Cells', 'Organelles', 'Energy', 'Mitochondria are the organelles where cellular respiration releases energy from glucose.']),
  ]);
});

afterAll(async () => {
  await chat?.close();
  await documents?.close();
});

async function newSession(user: TestUser, body: object = {}): Promise<number> {
  return (await chat.as(user).post('/api/v1/chat/sessions', body)).body.data.id;
}

describe('posting a message', () => {
  it('stores the question and an answer quoting the document sentence, with a citation to its page', async () => {
    const id = await newSession(learner);
    const res = await chat.as(learner).post(`/api/v1/chat/sessions/${id}/messages`, { message: 'What is photosynthesis?' });
    expect(res.status).toBe(201);
    expect(res.body.data.user_message).toMatchObject({ session_id: id, role: 'user', content: 'What is photosynthesis?', citations: [] });
    const reply = res.body.data.ai_response;
    expect(reply).toMatchObject({ session_id: id, role: 'assistant', answer_source: 'documents' });
    expect(reply.content).toContain('Photosynthesis is the process by which green plants turn light energy into chemical energy.');
    expect(reply.citations).toEqual([
      {
        document_id: plants,
        title: 'Plant biology',
        page: 2,
        snippet: expect.stringContaining('Photosynthesis is the process'),
        document_deleted: false,
      },
    ]);
    expect(reply.id).toBeGreaterThan(res.body.data.user_message.id);
  });

  it('says the answer is not in the documents, and suggests uploading material, when they do not cover it', async () => {
    const id = await newSession(learner);
    const res = await chat.as(learner).post(`/api/v1/chat/sessions/${id}/messages`, { message: 'Who won the 1966 World Cup?' });
    expect(res.status).toBe(201);
    expect(res.body.data.ai_response).toMatchObject({ content: MESSAGES.notFound, citations: [], answer_source: 'not_found' });
  });

  it('searches only the documents the session focuses on', async () => {
    const id = await newSession(learner, { document_ids: [cells] });
    const res = await chat.as(learner).post(`/api/v1/chat/sessions/${id}/messages`, { message: 'What is photosynthesis?' });
    expect(res.body.data.ai_response).toMatchObject({ content: MESSAGES.notFoundInSession, answer_source: 'not_found' });
    expect(documents.searches.at(-1)).toMatchObject({ userId: learner.id, documentIds: String(cells) });
  });

  it('never answers from another user’s documents', async () => {
    const stranger = newUser();
    const id = await newSession(stranger);
    const res = await chat.as(stranger).post(`/api/v1/chat/sessions/${id}/messages`, { message: 'What is photosynthesis?' });
    expect(res.body.data.ai_response).toMatchObject({ answer_source: 'not_found', citations: [] });
  });

  it('resolves the subject of a follow-up question from the conversation', async () => {
    const id = await newSession(learner);
    await chat.as(learner).post(`/api/v1/chat/sessions/${id}/messages`, { message: 'What is photosynthesis?' });
    const res = await chat.as(learner).post(`/api/v1/chat/sessions/${id}/messages`, { message: 'Where does it happen?' });
    expect(res.status).toBe(201);
    expect(documents.searches.at(-1)!.q).toBe('photosynthesis');
    expect(res.body.data.ai_response.content).toContain('It takes place in the chloroplasts of leaf cells.');
    expect(res.body.data.ai_response.citations).toEqual([expect.objectContaining({ document_id: plants, page: 2 })]);
  });

  it('names an untitled session after its first question and counts its messages', async () => {
    const id = await newSession(learner);
    await chat.as(learner).post(`/api/v1/chat/sessions/${id}/messages`, { message: 'What are mitochondria for?' });
    await chat.as(learner).post(`/api/v1/chat/sessions/${id}/messages`, { message: 'And what is photosynthesis?' });
    const session = await chat.as(learner).get(`/api/v1/chat/sessions/${id}`);
    expect(session.body.data).toMatchObject({ title: 'What are mitochondria for?', message_count: 4 });
  });

  it('publishes chat.message.sent keyed by the user for each message', async () => {
    const user = newUser();
    const id = await newSession(user);
    const res = await chat.as(user).post(`/api/v1/chat/sessions/${id}/messages`, { message: 'What is osmosis?' });
    const events = await chat.eventsOf(user);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      event_type: 'chat.message.sent',
      user_id: user.id,
      service: 'chat',
      version: '1.0',
      payload: {
        session_id: id,
        message_id: res.body.data.user_message.id,
        response_id: res.body.data.ai_response.id,
        message_length: 'What is osmosis?'.length,
        answer_source: 'not_found',
      },
    });
    const row = await chat.db.pool.query('SELECT event_key FROM outbox WHERE event_id = $1', [events[0]!.event_id]);
    expect(row.rows[0].event_key).toBe(user.id);
  });
});

describe('the history', () => {
  it('lists the messages oldest first, page by page', async () => {
    const id = await newSession(learner);
    for (const message of ['What is photosynthesis?', 'Where does it happen?', 'What are mitochondria?']) {
      expect((await chat.as(learner).post(`/api/v1/chat/sessions/${id}/messages`, { message })).status).toBe(201);
    }
    const first = await chat.as(learner).get(`/api/v1/chat/sessions/${id}/messages?limit=4`);
    expect(first.status).toBe(200);
    expect(first.body.pagination).toEqual({ page: 1, limit: 4, total: 6, pages: 2 });
    expect(first.body.data.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(first.body.data[0].content).toBe('What is photosynthesis?');
    expect(first.body.data[2].content).toBe('Where does it happen?');
    expect(first.body.data[1].citations[0]).toMatchObject({ document_id: plants });

    const second = await chat.as(learner).get(`/api/v1/chat/sessions/${id}/messages?page=2&limit=4`);
    expect(second.body.data.map((m: { content: string }) => m.content)[0]).toBe('What are mitochondria?');
    expect(second.body.data[1].content).toContain('Mitochondria are the organelles');
  });

  it('is empty for a new session', async () => {
    const id = await newSession(learner);
    const res = await chat.as(learner).get(`/api/v1/chat/sessions/${id}/messages`);
    expect(res.body).toMatchObject({ data: [], pagination: { total: 0, pages: 0 } });
  });
});

describe('when the document service cannot answer', () => {
  async function expectStoredUnavailableAnswer(target: typeof chat, reason: string) {
    const user = newUser();
    const id = (await target.as(user).post('/api/v1/chat/sessions', {})).body.data.id;
    const res = await target.as(user).post(`/api/v1/chat/sessions/${id}/messages`, { message: 'What is photosynthesis?' });
    expect(res.status).toBe(201);
    expect(res.body.data.ai_response).toMatchObject({ content: MESSAGES.unavailable, citations: [], answer_source: 'documents_unavailable' });
    const history = await target.as(user).get(`/api/v1/chat/sessions/${id}/messages`);
    expect(history.body.data.map((m: { content: string }) => m.content)).toEqual(['What is photosynthesis?', MESSAGES.unavailable]);
    const stored = await target.db.pool.query("SELECT metadata FROM chat_messages WHERE session_id = $1 AND role = 'assistant'", [id]);
    expect(stored.rows[0].metadata).toMatchObject({ answer_source: 'documents_unavailable', documents_error: reason });
  }

  it('stores the question and an answer saying the documents could not be reached when the service is down', async () => {
    const down = await startChat({ secret, documentServiceUrl: await closedPortUrl() });
    try {
      await expectStoredUnavailableAnswer(down, 'unreachable');
    } finally {
      await down.close();
    }
  });

  it('gives up on a slow document service after the timeout and still answers', async () => {
    documents.behaviour.delayMs = 3000;
    try {
      await expectStoredUnavailableAnswer(chat, 'timeout');
    } finally {
      documents.behaviour.delayMs = 0;
    }
  });

  it('answers the same way when the document service fails with a 5xx', async () => {
    documents.behaviour.status = 503;
    try {
      await expectStoredUnavailableAnswer(chat, 'bad_status');
    } finally {
      documents.behaviour.status = 200;
    }
  });
});

describe('while an answer is being prepared', () => {
  it('answers 404 and stores nothing when the session is deleted meanwhile', async () => {
    const id = await newSession(learner);
    documents.behaviour.delayMs = 300;
    try {
      const posting = chat.as(learner).post(`/api/v1/chat/sessions/${id}/messages`, { message: 'What is photosynthesis?' }).then((r) => r);
      await new Promise((r) => setTimeout(r, 100));
      expect((await chat.as(learner).delete(`/api/v1/chat/sessions/${id}`)).status).toBe(200);
      const res = await posting;
      expect(res.status).toBe(404);
      const left = await chat.db.pool.query('SELECT id FROM chat_messages WHERE session_id = $1', [id]);
      expect(left.rows).toEqual([]);
    } finally {
      documents.behaviour.delayMs = 0;
    }
  });

  it('keeps both exchanges when two questions arrive at once', async () => {
    const id = await newSession(learner);
    const [a, b] = await Promise.all([
      chat.as(learner).post(`/api/v1/chat/sessions/${id}/messages`, { message: 'What is photosynthesis?' }),
      chat.as(learner).post(`/api/v1/chat/sessions/${id}/messages`, { message: 'What are mitochondria?' }),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    const history = await chat.as(learner).get(`/api/v1/chat/sessions/${id}/messages`);
    // Each question stays next to its own answer.
    expect(history.body.data.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(history.body.data.filter((m: { role: string }) => m.role === 'user').map((m: { content: string }) => m.content).sort()).toEqual([
      'What are mitochondria?',
      'What is photosynthesis?',
    ]);
  });
});

describe('bad messages', () => {
  it.each([
    ['no message', {}, 'message'],
    ['an empty message', { message: '' }, 'message'],
    ['a message of spaces', { message: '   \n ' }, 'message'],
    ['a message over 4000 characters', { message: 'a'.repeat(4001) }, 'message'],
    ['a message that is not text', { message: 123 }, 'message'],
    ['a message that is a list', { message: ['What?'] }, 'message'],
    ['an unknown field', { message: 'What is osmosis?', role: 'assistant' }, 'role'],
  ])('rejects %s with 400 and stores nothing', async (_what, body, field) => {
    const id = await newSession(learner);
    const res = await chat.as(learner).post(`/api/v1/chat/sessions/${id}/messages`, body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'ValidationError', details: { [field]: expect.any(String) } });
    expect((await chat.as(learner).get(`/api/v1/chat/sessions/${id}/messages`)).body.pagination.total).toBe(0);
  });

  it('accepts a message of exactly 4000 characters', async () => {
    const id = await newSession(learner);
    const res = await chat.as(learner).post(`/api/v1/chat/sessions/${id}/messages`, { message: 'photosynthesis '.repeat(267).slice(0, 4000) });
    expect(res.status).toBe(201);
  });

  it('answers 404 for a message to a session that does not exist, and 400 for a non-numeric id', async () => {
    const missing = await chat.as(learner).post('/api/v1/chat/sessions/987654321/messages', { message: 'Hello?' });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe('NotFound');
    const bad = await chat.as(learner).post('/api/v1/chat/sessions/abc/messages', { message: 'Hello?' });
    expect(bad.status).toBe(400);
    expect(bad.body.details).toHaveProperty('id');
  });

  it.each(['page=0', 'limit=1000', 'page=x'])('rejects the history query %s', async (query) => {
    const id = await newSession(learner);
    const res = await chat.as(learner).get(`/api/v1/chat/sessions/${id}/messages?${query}`);
    expect(res.status).toBe(400);
  });
});
