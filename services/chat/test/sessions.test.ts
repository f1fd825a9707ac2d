import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPortUrl, testSecret } from '@learner/common/testing';
import { newUser, startChat } from './support/chat-harness.js';
import { startDocuments } from './support/document-service.js';
import type { TestUser } from './support/chat-harness.js';

const secret = testSecret();
let documents: Awaited<ReturnType<typeof startDocuments>>;
let chat: Awaited<ReturnType<typeof startChat>>;

beforeAll(async () => {
  documents = await startDocuments({ secret });
  chat = await startChat({ secret, documentServiceUrl: documents.url });
});

afterAll(async () => {
  await chat?.close();
  await documents?.close();
});

/** Uploads a document for `user` to the document service and answers its id. */
function giveDocument(user: TestUser, title: string): Promise<number> {
  return documents.upload(user, title, ['Some text.']);
}

describe('chat sessions', () => {
  it('creates a session with a title and the documents it focuses on, and reads it back', async () => {
    const user = newUser();
    const first = await giveDocument(user, 'First');
    const second = await giveDocument(user, 'Second');
    const created = await chat.as(user).post('/api/v1/chat/sessions', { title: '  Cell biology  ', document_ids: [second, first, second] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'success',
      data: { title: 'Cell biology', document_ids: [second, first], message_count: 0 },
    });
    expect(created.body.data.id).toEqual(expect.any(Number));
    expect(Date.parse(created.body.data.created_at)).not.toBeNaN();

    const read = await chat.as(user).get(`/api/v1/chat/sessions/${created.body.data.id}`);
    expect(read.status).toBe(200);
    expect(read.body.data).toEqual(created.body.data);
  });

  it('answers 404 naming the documents a new session would focus on that the user does not have', async () => {
    const user = newUser();
    const other = newUser();
    const mine = await giveDocument(user, 'Mine');
    const theirs = await giveDocument(other, 'Theirs');
    const missing = theirs + 1000;
    const res = await chat.as(user).post('/api/v1/chat/sessions', { title: 'mixed', document_ids: [mine, theirs, missing] });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: 'NotFound', details: { document_ids: [theirs, missing] } });
    expect((await chat.as(user).get('/api/v1/chat/sessions')).body.data).toEqual([]);
  });

  it('creates a focused session unchecked when the document service cannot be reached', async () => {
    const cut = await startChat({ secret, documentServiceUrl: await closedPortUrl() });
    try {
      const res = await cut.as(newUser()).post('/api/v1/chat/sessions', { document_ids: [5] });
      expect(res.status).toBe(201);
      expect(res.body.data.document_ids).toEqual([5]);
    } finally {
      await cut.close();
    }
  });

  it('creates an untitled session over all documents when the body is empty', async () => {
    const user = newUser();
    const created = await chat.as(user).post('/api/v1/chat/sessions');
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ title: 'New chat', document_ids: [] });
  });

  it('lists only the caller’s sessions, newest first, page by page', async () => {
    const user = newUser();
    const other = newUser();
    await chat.as(other).post('/api/v1/chat/sessions', { title: 'not mine' });
    const ids: number[] = [];
    for (const title of ['first', 'second', 'third', 'fourth', 'fifth']) {
      ids.push((await chat.as(user).post('/api/v1/chat/sessions', { title })).body.data.id);
    }

    const page1 = await chat.as(user).get('/api/v1/chat/sessions?page=1&limit=2');
    expect(page1.status).toBe(200);
    expect(page1.body.data.map((s: { title: string }) => s.title)).toEqual(['fifth', 'fourth']);
    expect(page1.body.pagination).toEqual({ page: 1, limit: 2, total: 5, pages: 3 });

    const page3 = await chat.as(user).get('/api/v1/chat/sessions?page=3&limit=2');
    expect(page3.body.data.map((s: { id: number }) => s.id)).toEqual([ids[0]]);

    const all = await chat.as(user).get('/api/v1/chat/sessions');
    expect(all.body.pagination).toMatchObject({ page: 1, limit: 20, total: 5 });
  });

  it('renames a session', async () => {
    const user = newUser();
    const { id } = (await chat.as(user).post('/api/v1/chat/sessions', { title: 'old' })).body.data;
    const renamed = await chat.as(user).patch(`/api/v1/chat/sessions/${id}`, { title: 'Revision for Friday' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.data.title).toBe('Revision for Friday');
    expect((await chat.as(user).get(`/api/v1/chat/sessions/${id}`)).body.data.title).toBe('Revision for Friday');
  });

  it('deletes a session together with its messages', async () => {
    const user = newUser();
    const { id } = (await chat.as(user).post('/api/v1/chat/sessions', {})).body.data;
    expect((await chat.as(user).post(`/api/v1/chat/sessions/${id}/messages`, { message: 'What is osmosis?' })).status).toBe(201);

    const deleted = await chat.as(user).delete(`/api/v1/chat/sessions/${id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.data).toEqual({ id, deleted: true });
    expect((await chat.as(user).get(`/api/v1/chat/sessions/${id}`)).status).toBe(404);
    expect((await chat.as(user).get(`/api/v1/chat/sessions/${id}/messages`)).status).toBe(404);
    const left = await chat.db.pool.query('SELECT id FROM chat_messages WHERE session_id = $1', [id]);
    expect(left.rows).toEqual([]);
    expect((await chat.as(user).delete(`/api/v1/chat/sessions/${id}`)).status).toBe(404);
  });

  it('answers 404 on every route for another user’s session, and changes nothing', async () => {
    const owner = newUser();
    const intruder = newUser();
    const { id } = (await chat.as(owner).post('/api/v1/chat/sessions', { title: 'private' })).body.data;
    await chat.as(owner).post(`/api/v1/chat/sessions/${id}/messages`, { message: 'What is osmosis?' });

    const attempts = [
      chat.as(intruder).get(`/api/v1/chat/sessions/${id}`),
      chat.as(intruder).patch(`/api/v1/chat/sessions/${id}`, { title: 'mine now' }),
      chat.as(intruder).delete(`/api/v1/chat/sessions/${id}`),
      chat.as(intruder).get(`/api/v1/chat/sessions/${id}/messages`),
      chat.as(intruder).post(`/api/v1/chat/sessions/${id}/messages`, { message: 'hello there' }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ error: 'NotFound', request_id: expect.any(String) });
    }
    const mine = await chat.as(owner).get(`/api/v1/chat/sessions/${id}`);
    expect(mine.body.data).toMatchObject({ title: 'private', message_count: 2 });
    expect((await chat.as(intruder).get('/api/v1/chat/sessions')).body.data).toEqual([]);
  });

  it('answers 401 without an internal token, even with a user header', async () => {
    const { default: request } = await import('supertest');
    const res = await request(chat.app).get('/api/v1/chat/sessions').set('x-user-id', 'someone');
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('Unauthorized');
  });

  describe('bad input', () => {
    it.each([
      ['an empty title', { title: '   ' }, 'title'],
      ['a title that is too long', { title: 'x'.repeat(201) }, 'title'],
      ['a title that is not text', { title: 42 }, 'title'],
      ['document ids that are not numbers', { document_ids: ['7'] }, 'document_ids.0'],
      ['document ids that are not whole', { document_ids: [1.5] }, 'document_ids.0'],
      ['a document id beyond the id range', { document_ids: [1, 99_999_999_999] }, 'document_ids.1'],
      ['a document id list that is not a list', { document_ids: 7 }, 'document_ids'],
      ['an unknown field', { user_id: 'someone-else' }, 'user_id'],
    ])('rejects a session with %s', async (_what, body, field) => {
      const res = await chat.as(newUser()).post('/api/v1/chat/sessions', body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: 'ValidationError', details: { [field]: expect.any(String) } });
    });

    it('rejects a body that is not JSON', async () => {
      const res = await chat.as(newUser()).post('/api/v1/chat/sessions').set('content-type', 'application/json').send('{"title":');
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('ValidationError');
    });

    it.each(['abc', '1.5', '-3', '0', '1e3', '99999999999999999999'])('rejects the session id %s with 400', async (id) => {
      const res = await chat.as(newUser()).get(`/api/v1/chat/sessions/${id}`);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: 'ValidationError', details: { id: expect.any(String) } });
    });

    it('answers 404 for a session id that does not exist', async () => {
      const res = await chat.as(newUser()).get('/api/v1/chat/sessions/987654321');
      expect(res.status).toBe(404);
      expect(res.body.message).toMatch(/987654321/);
    });

    it('rejects a rename without a title, or with other fields', async () => {
      const user = newUser();
      const { id } = (await chat.as(user).post('/api/v1/chat/sessions', {})).body.data;
      expect((await chat.as(user).patch(`/api/v1/chat/sessions/${id}`, {})).status).toBe(400);
      const extra = await chat.as(user).patch(`/api/v1/chat/sessions/${id}`, { title: 'ok', document_ids: [1] });
      expect(extra.status).toBe(400);
      expect(extra.body.details).toEqual({ document_ids: 'unknown field' });
    });

    it.each(['page=0', 'limit=101', 'limit=abc', 'page=-1'])('rejects the list query %s', async (query) => {
      const res = await chat.as(newUser()).get(`/api/v1/chat/sessions?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('ValidationError');
    });
  });
});
