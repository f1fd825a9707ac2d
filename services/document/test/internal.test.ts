import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { waitForProcessing, type Harness, useBusyAndIdleHarnesses } from './harness.js';


const harnesses = useBusyAndIdleHarnesses();
let h: Harness;
let idle: Harness;
beforeAll(() => {
  h = harnesses.busy();
  idle = harnesses.idle();
});

const TRANSCRIPT =
  'Welcome to the lecture on plate tectonics. The lithosphere is broken into plates that float on the asthenosphere.\n\n' +
  'Where plates collide, mountains rise and earthquakes happen.';

describe('internal routes for the other services', () => {
  it('saves a transcript as a text document that is processed, searchable and readable like an upload', async () => {
    const user = h.newUser();
    const created = await request(h.app)
      .post('/internal/v1/documents')
      .set(h.as(user))
      .send({ title: 'Lecture 4: plate tectonics', text: TRANSCRIPT, source: 'transcription' });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({
      title: 'Lecture 4: plate tectonics',
      filename: 'Lecture 4 plate tectonics.txt',
      file_type: 'txt',
      file_size: Buffer.byteLength(TRANSCRIPT),
      source: 'transcription',
      status: 'uploaded',
    });
    const id = created.body.data.id as number;
    await waitForProcessing(h, user, id);

    const meta = await request(h.app).get(`/internal/v1/documents/${id}`).set(h.as(user));
    expect(meta.body.data).toEqual({
      id,
      title: 'Lecture 4: plate tectonics',
      filename: 'Lecture 4 plate tectonics.txt',
      file_type: 'txt',
      status: 'completed',
      pages: 1,
      text_length: TRANSCRIPT.length,
      error: null,
      study_pack: null,
    });
    const text = await request(h.app).get(`/internal/v1/documents/${id}/text`).set(h.as(user));
    expect(text.body.data).toEqual({ id, title: 'Lecture 4: plate tectonics', status: 'completed', pages: [{ page: 1, text: TRANSCRIPT }] });
    const hits = await request(h.app).get('/internal/v1/search').query({ q: 'why do earthquakes happen' }).set(h.as(user));
    expect(hits.body.data[0]).toMatchObject({ document_id: id, page: 1 });

    const download = await request(h.app).get(`/api/v1/documents/${id}/download`).set(h.as(user));
    expect(download.status).toBe(200);
    const uploaded = await h.db.pool.query("SELECT 1 FROM outbox WHERE topic = 'document.uploaded' AND payload->'payload'->>'document_id' = $1", [String(id)]);
    expect(uploaded.rowCount).toBe(1);
  });

  it('keeps a given markdown file name', async () => {
    const user = idle.newUser();
    const created = await request(idle.app)
      .post('/internal/v1/documents')
      .set(idle.as(user))
      .send({ title: 'Summary', filename: 'summary.md', text: '# Summary\n\nShort.' });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ filename: 'summary.md', file_type: 'md', source: 'service' });
  });

  it('answers 409 for the text of a document not yet processed, and 404 for someone else’s', async () => {
    const user = idle.newUser();
    const created = await request(idle.app).post('/internal/v1/documents').set(idle.as(user)).send({ title: 'Queued', text: 'Not yet.' });
    const id = created.body.data.id as number;
    const early = await request(idle.app).get(`/internal/v1/documents/${id}/text`).set(idle.as(user));
    expect(early.status).toBe(409);
    expect(early.body.error).toBe('Conflict');
    const stranger = idle.newUser();
    expect((await request(idle.app).get(`/internal/v1/documents/${id}`).set(idle.as(stranger))).status).toBe(404);
    expect((await request(idle.app).get(`/internal/v1/documents/${id}/text`).set(idle.as(stranger))).status).toBe(404);
    expect((await request(idle.app).get('/internal/v1/documents/999999/text').set(idle.as(user))).status).toBe(404);
  });

  it('gives the passages processing stored, in reading order with their page, heading and page offsets', async () => {
    const user = h.newUser();
    const pages = [
      `Plate tectonics\n\n${'The lithosphere is broken into plates that float on the asthenosphere. '.repeat(16)}\n\nWhere plates collide, mountains rise.`,
      `Earthquakes\n\nAn earthquake is a sudden release of energy in the crust. ${'Most earthquakes happen where plates meet. '.repeat(30)}`,
    ];
    const created = await request(h.app).post('/internal/v1/documents').set(h.as(user)).send({ title: 'Plates', text: pages.join('\f') });
    const id = created.body.data.id as number;
    await waitForProcessing(h, user, id);

    const res = await request(h.app).get(`/internal/v1/documents/${id}/passages`).set(h.as(user));
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id, title: 'Plates', status: 'completed' });
    const passages = res.body.data.passages as { id: number; page: number; position: number; text: string; heading: string | null; start_offset: number; end_offset: number }[];
    expect(passages.length).toBeGreaterThanOrEqual(4);
    expect(passages.map((p) => p.position)).toEqual(passages.map((_, i) => i));
    expect(new Set(passages.map((p) => p.page))).toEqual(new Set([1, 2]));
    expect(passages.find((p) => p.page === 1)!.heading).toBe('Plate tectonics');
    expect(passages.find((p) => p.page === 2)!.heading).toBe('Earthquakes');
    expect(passages.find((p) => p.page === 2)!.text).toMatch(/^An earthquake is a sudden release of energy in the crust\./);
    for (const p of passages) {
      expect(Number.isInteger(p.id)).toBe(true);
      // The offsets point into the page's own text, where the passage's first and last words stand.
      const page = pages[p.page - 1]!;
      expect(page.slice(p.start_offset, p.end_offset).startsWith(p.text.slice(0, 20))).toBe(true);
      expect(page.slice(p.start_offset, p.end_offset).endsWith(p.text.slice(-10))).toBe(true);
    }
  });

  it('answers 409 with the status for the passages of a document not yet processed, and 404 for someone else’s or a missing one', async () => {
    const user = idle.newUser();
    const created = await request(idle.app).post('/internal/v1/documents').set(idle.as(user)).send({ title: 'Queued', text: 'Not yet.' });
    const id = created.body.data.id as number;
    const early = await request(idle.app).get(`/internal/v1/documents/${id}/passages`).set(idle.as(user));
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ error: 'Conflict', details: { status: 'uploaded' } });
    const stranger = idle.newUser();
    const theirs = await request(idle.app).get(`/internal/v1/documents/${id}/passages`).set(idle.as(stranger));
    expect(theirs.status).toBe(404);
    expect(theirs.body.error).toBe('NotFound');
    expect((await request(idle.app).get('/internal/v1/documents/999999/passages').set(idle.as(user))).status).toBe(404);
  });

  it('rejects a bad body with 400, a text over 5 MB with 413, and a call without an internal token with 401', async () => {
    const user = idle.newUser();
    const post = (body: unknown) => request(idle.app).post('/internal/v1/documents').set(idle.as(user)).send(body as object);
    expect((await post({ title: 'No text' })).status).toBe(400);
    expect((await post({ title: 'Blank', text: '   ' })).status).toBe(400);
    expect((await post({ title: 'Extra', text: 'x', owner: 'someone' })).status).toBe(400);
    expect((await post({ title: 'Bad name', text: 'x', filename: 'evil.exe' })).status).toBe(400);
    expect((await post({ title: 'Nul', text: 'a\u0000b' })).status).toBe(400);
    expect((await post({ title: 'Bell\u0007', text: 'ok' })).status).toBe(400);
    const big = await post({ title: 'Huge', text: 'a'.repeat(5 * 1024 * 1024 + 1) });
    expect(big.status).toBe(413);
    const anonymous = await request(idle.app).post('/internal/v1/documents').set('x-user-id', user.id).send({ title: 't', text: 'x' });
    expect(anonymous.status).toBe(401);
    const list = await request(idle.app).get('/api/v1/documents').set(idle.as(user));
    expect(list.body.data).toEqual([]);
  });
});
