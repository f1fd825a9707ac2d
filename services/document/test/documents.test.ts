import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchSignedUrl, startHarness, upload, type Harness } from './harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ worker: false });
});
afterAll(async () => {
  await h?.close();
});

describe('reading, downloading and deleting documents', () => {
  it('lists only the caller’s documents, newest first, paginated and filtered by status and title', async () => {
    const user = h.newUser();
    const other = h.newUser();
    for (const name of ['Algebra basics', 'Cell biology', 'Linear algebra']) {
      expect((await upload(h, user, Buffer.from(`${name} text`), `${name}.txt`, { title: name })).status).toBe(201);
    }
    await upload(h, other, Buffer.from('Algebra of someone else'), 'x.txt', { title: 'Other algebra' });

    const page1 = await request(h.app).get('/api/v1/documents?limit=2').set(h.as(user));
    expect(page1.status).toBe(200);
    expect(page1.body.pagination).toEqual({ page: 1, limit: 2, total: 3, pages: 2 });
    expect(page1.body.data.map((d: { title: string }) => d.title)).toEqual(['Linear algebra', 'Cell biology']);
    const page2 = await request(h.app).get('/api/v1/documents?limit=2&page=2').set(h.as(user));
    expect(page2.body.data.map((d: { title: string }) => d.title)).toEqual(['Algebra basics']);

    const algebra = await request(h.app).get('/api/v1/documents?q=ALGEBRA').set(h.as(user));
    expect(algebra.body.data.map((d: { title: string }) => d.title).sort()).toEqual(['Algebra basics', 'Linear algebra']);
    const failed = await request(h.app).get('/api/v1/documents?status=failed').set(h.as(user));
    expect(failed.body.data).toEqual([]);
    const uploaded = await request(h.app).get('/api/v1/documents?status=uploaded').set(h.as(user));
    expect(uploaded.body.pagination.total).toBe(3);
  });

  it('answers 400 for an unknown list filter or a bad status', async () => {
    const user = h.newUser();
    expect((await request(h.app).get('/api/v1/documents?status=done').set(h.as(user))).status).toBe(400);
    expect((await request(h.app).get('/api/v1/documents?owner=me').set(h.as(user))).status).toBe(400);
    expect((await request(h.app).get('/api/v1/documents?limit=0').set(h.as(user))).status).toBe(400);
  });

  it('shows one document with its status, and a download link that returns the exact bytes uploaded', async () => {
    const user = h.newUser();
    const bytes = Buffer.from('Exact bytes: \u00e9\u00e8 \u4e2d\u6587\n\nSecond paragraph.\n');
    const created = await upload(h, user, bytes, 'exact.txt');
    const id = created.body.data.id as number;

    const one = await request(h.app).get(`/api/v1/documents/${id}`).set(h.as(user));
    expect(one.status).toBe(200);
    expect(one.body.data).toMatchObject({ id, filename: 'exact.txt', file_type: 'txt', file_size: bytes.length });
    expect(['uploaded', 'processing', 'completed']).toContain(one.body.data.status);

    const link = await request(h.app).get(`/api/v1/documents/${id}/download`).set(h.as(user));
    expect(link.status).toBe(200);
    expect(new Date(link.body.data.expires_at).getTime()).toBeGreaterThan(Date.now());
    const file = await fetchSignedUrl(h, link.body.data.url as string);
    expect(file.status).toBe(200);
    expect(Buffer.compare(file.body as Buffer, bytes)).toBe(0);

    const tampered = await fetchSignedUrl(h, (link.body.data.url as string).replace(/sig=[^&]+/, 'sig=forged'));
    expect(tampered.status).toBe(403);
  });

  it('deletes a document with its file, after which it is gone everywhere', async () => {
    const user = h.newUser();
    const created = await upload(h, user, Buffer.from('To be removed.'), 'bye.txt');
    const id = created.body.data.id as number;
    const link = await request(h.app).get(`/api/v1/documents/${id}/download`).set(h.as(user));
    const { rows } = await h.db.pool.query<{ s3_key: string }>('SELECT s3_key FROM documents WHERE id = $1', [id]);
    const key = rows[0]!.s3_key;

    const deleted = await request(h.app).delete(`/api/v1/documents/${id}`).set(h.as(user));
    expect(deleted.status).toBe(200);
    expect(deleted.body.data).toEqual({ id, deleted: true });
    expect(await h.storage.exists(key)).toBe(false);
    expect((await request(h.app).get(`/api/v1/documents/${id}`).set(h.as(user))).status).toBe(404);
    expect((await fetchSignedUrl(h, link.body.data.url as string)).status).toBe(404);
    expect((await request(h.app).delete(`/api/v1/documents/${id}`).set(h.as(user))).status).toBe(404);
    // The other services hear of it once, with what they need to mark what they made from it.
    const events = await h.db.pool.query<{ payload: { event_type: string; user_id: string; payload: Record<string, unknown> } }>(
      "SELECT payload FROM outbox WHERE topic = 'document.deleted' AND payload->'payload'->>'document_id' = $1",
      [String(id)],
    );
    expect(events.rows.map((r) => r.payload)).toEqual([
      expect.objectContaining({
        event_type: 'document.deleted',
        user_id: user.id,
        payload: { document_id: id, title: 'bye', filename: 'bye.txt' },
      }),
    ]);
  });

  it('answers 404 for another user’s document on every route, and leaves it in place', async () => {
    const owner = h.newUser();
    const intruder = h.newUser();
    const created = await upload(h, owner, Buffer.from('Private thoughts.'), 'private.txt');
    const id = created.body.data.id as number;
    const as = h.as(intruder);
    const answers = await Promise.all([
      request(h.app).get(`/api/v1/documents/${id}`).set(as),
      request(h.app).get(`/api/v1/documents/${id}/text`).set(as),
      request(h.app).get(`/api/v1/documents/${id}/download`).set(as),
      request(h.app).get(`/api/v1/documents/${id}/notes`).set(as),
      request(h.app).put(`/api/v1/documents/${id}/notes/1`).set(as).send({ content: 'mine now' }),
      request(h.app).post(`/api/v1/documents/${id}/process`).set(as),
      request(h.app).delete(`/api/v1/documents/${id}`).set(as),
    ]);
    expect(answers.map((a) => a.status)).toEqual([404, 404, 404, 404, 404, 404, 404]);
    const events = await h.db.pool.query("SELECT 1 FROM outbox WHERE topic = 'document.deleted' AND payload->'payload'->>'document_id' = $1", [String(id)]);
    expect(events.rowCount).toBe(0);
    const list = await request(h.app).get('/api/v1/documents').set(as);
    expect(list.body.data).toEqual([]);
    expect((await request(h.app).get(`/api/v1/documents/${id}`).set(h.as(owner))).status).toBe(200);
  });

  it('answers 404 for ids that cannot name a document', async () => {
    const user = h.newUser();
    for (const id of ['abc', '0', '-1', '1.5', '99999999999']) {
      const res = await request(h.app).get(`/api/v1/documents/${id}`).set(h.as(user));
      expect(res.status).toBe(404);
    }
  });
});
