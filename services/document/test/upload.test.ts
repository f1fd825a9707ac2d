import { readdir } from 'node:fs/promises';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ONE_PIXEL_PNG, textPdf } from './fixtures.js';
import { startHarness, upload, type Harness } from './harness.js';

const MAX = 64 * 1024;
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ maxFileSize: MAX, worker: false });
});
afterAll(async () => {
  await h?.close();
});

async function storedFiles(userId: string): Promise<string[]> {
  const { rows } = await h.db.pool.query<{ s3_key: string }>('SELECT s3_key FROM documents WHERE user_id = $1', [userId]);
  return rows.map((r) => r.s3_key);
}

async function filesOnDisk(): Promise<number> {
  return (await readdir(h.folder, { recursive: true })).length;
}

describe('uploading a document', () => {
  it('accepts a PDF, answers 201 with the document and records document.uploaded in the outbox', async () => {
    const user = h.newUser();
    const pdf = await textPdf([['Cells are the basic unit of life.']]);
    const res = await upload(h, user, pdf, 'biology notes.pdf', { title: 'Biology' });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      title: 'Biology',
      filename: 'biology notes.pdf',
      file_type: 'pdf',
      file_size: pdf.length,
      status: 'uploaded',
    });
    const id = res.body.data.id as number;
    const { rows } = await h.db.pool.query<{ payload: { user_id: string; payload: Record<string, unknown> } }>(
      "SELECT payload FROM outbox WHERE topic = 'document.uploaded' AND payload->'payload'->>'document_id' = $1",
      [String(id)],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.payload.user_id).toBe(user.id);
    expect(rows[0]!.payload.payload).toMatchObject({ document_id: id, file_type: 'pdf', file_size: pdf.length });
    const [key] = await storedFiles(user.id);
    expect(key).toMatch(new RegExp(`^users/${user.id}/documents/[0-9a-f-]{36}-biology_notes\\.pdf$`));
    expect(await h.storage.get(key!)).toEqual(pdf);
  });

  it('also accepts POST /api/v1/documents and takes the title from the file name when none is given', async () => {
    const user = h.newUser();
    const res = await request(h.app)
      .post('/api/v1/documents')
      .set(h.as(user))
      .attach('file', Buffer.from('# Heading\n\nSome markdown text.\n'), 'lecture-3.md');
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ title: 'lecture-3', file_type: 'md', status: 'uploaded' });
  });

  it('decides the type from the bytes: a PNG named .txt is a PNG, a JPEG is a jpg, plain text is txt', async () => {
    const user = h.newUser();
    const png = await upload(h, user, ONE_PIXEL_PNG, 'not-really.txt');
    expect(png.status).toBe(201);
    expect(png.body.data.file_type).toBe('png');
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0'), Buffer.alloc(200)]);
    const jpg = await upload(h, user, jpeg, 'photo.bin');
    expect(jpg.status).toBe(201);
    expect(jpg.body.data.file_type).toBe('jpg');
    const txt = await upload(h, user, Buffer.from('Plain words, café and naïve.\n'), 'words.pdf');
    expect(txt.status).toBe(201);
    expect(txt.body.data.file_type).toBe('txt');
  });

  it('answers 415 for a type that is not accepted, even when it is named .pdf, and stores nothing', async () => {
    const user = h.newUser();
    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100, 1)]);
    const res = await upload(h, user, zip, 'archive.pdf');
    expect(res.status).toBe(415);
    expect(res.body).toMatchObject({ error: 'UnsupportedMediaType' });
    const latin1 = await upload(h, user, Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]), 'latin1.txt');
    expect(latin1.status).toBe(415);
    expect(await storedFiles(user.id)).toEqual([]);
  });

  it('answers 413 for a file over MAX_FILE_SIZE and stores nothing', async () => {
    const user = h.newUser();
    const before = await filesOnDisk();
    const res = await upload(h, user, Buffer.alloc(MAX + 1, 'a'), 'big.txt');
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ error: 'PayloadTooLarge' });
    expect(await storedFiles(user.id)).toEqual([]);
    expect(await filesOnDisk()).toBe(before);
  });

  it('answers 400 when the file is missing, empty, or the form has unknown fields', async () => {
    const user = h.newUser();
    const missing = await request(h.app).post('/api/v1/documents/upload').set(h.as(user)).field('title', 'No file');
    expect(missing.status).toBe(400);
    expect(missing.body.details).toHaveProperty('file');
    const json = await request(h.app).post('/api/v1/documents/upload').set(h.as(user)).send({ title: 'x' });
    expect(json.status).toBe(400);
    const empty = await upload(h, user, Buffer.alloc(0), 'empty.txt');
    expect(empty.status).toBe(400);
    const unknown = await upload(h, user, Buffer.from('hello'), 'a.txt', { colour: 'blue' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.details).toHaveProperty('colour');
    const controlTitle = await upload(h, user, Buffer.from('hello'), 'a.txt', { title: 'bad\u0001title' });
    expect(controlTitle.status).toBe(400);
    const otherField = await request(h.app)
      .post('/api/v1/documents/upload')
      .set(h.as(user))
      .attach('attachment', Buffer.from('hello'), 'a.txt');
    expect(otherField.status).toBe(400);
    expect(await storedFiles(user.id)).toEqual([]);
  });

  it('answers 400 for a malformed multipart body', async () => {
    const user = h.newUser();
    const res = await request(h.app)
      .post('/api/v1/documents/upload')
      .set(h.as(user))
      .set('content-type', 'multipart/form-data; boundary=xyz')
      .send('--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nhalf a fi');
    expect(res.status).toBe(400);
    const noBoundary = await request(h.app)
      .post('/api/v1/documents/upload')
      .set(h.as(user))
      .set('content-type', 'multipart/form-data')
      .send('whatever');
    expect(noBoundary.status).toBe(400);
  });

  it('answers 401 without an internal token, even with a user header', async () => {
    const res = await request(h.app)
      .post('/api/v1/documents/upload')
      .set('x-user-id', 'someone')
      .attach('file', Buffer.from('hello'), 'a.txt');
    expect(res.status).toBe(401);
  });
});
