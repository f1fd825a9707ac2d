import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { textPdf } from './fixtures.js';
import { upload, waitForProcessing, type Harness, useBusyAndIdleHarnesses } from './harness.js';


const PAGES = [
  [
    'Plate tectonics is the theory that the outer shell of the Earth is divided into large moving plates.',
    'The plates of plate tectonics move a few centimetres each year, carried by convection in the mantle.',
  ],
  [
    'A subduction zone is a place where one plate slides beneath another plate into the mantle.',
    'Earthquakes and volcanoes are common near a subduction zone, because the plates grind and melt there.',
    'The mantle is the hot layer of rock between the crust and the core of the Earth.',
  ],
];

type Note = { id: number; kind: string; content: string; items: { text: string; page: number; term?: string }[]; edited: boolean; created_at: string; updated_at: string };

const harnesses = useBusyAndIdleHarnesses();
let h: Harness;
let idle: Harness;
beforeAll(() => {
  h = harnesses.busy();
  idle = harnesses.idle();
});

describe('notes of a document', () => {
  it('generates a summary, key points and key terms with page references after processing', async () => {
    const user = h.newUser();
    const created = await upload(h, user, await textPdf(PAGES), 'geology.pdf');
    const id = created.body.data.id as number;
    await waitForProcessing(h, user, id);
    const res = await request(h.app).get(`/api/v1/documents/${id}/notes`).set(h.as(user));
    expect(res.status).toBe(200);
    const notes = res.body.data as Note[];
    expect(notes.map((n) => n.kind)).toEqual(['summary', 'key_points', 'key_terms']);
    for (const note of notes) {
      expect(Object.keys(note)).toEqual(
        expect.arrayContaining(['id', 'kind', 'content', 'items', 'created_at', 'updated_at']),
      );
      expect(note.content.length).toBeGreaterThan(20);
      for (const item of note.items) expect([1, 2]).toContain(item.page);
    }
    const terms = notes[2]!.items;
    expect(terms.find((t) => t.term?.toLowerCase() === 'subduction zone')).toMatchObject({
      text: 'A subduction zone is a place where one plate slides beneath another plate into the mantle.',
      page: 2,
    });
    expect(terms.find((t) => t.term?.toLowerCase() === 'plate tectonics')).toMatchObject({ page: 1 });
  });

  it('saves an edit of a note, which is then what GET answers', async () => {
    const user = h.newUser();
    const created = await upload(h, user, await textPdf(PAGES), 'edit-me.pdf');
    const id = created.body.data.id as number;
    await waitForProcessing(h, user, id);
    const notes = (await request(h.app).get(`/api/v1/documents/${id}/notes`).set(h.as(user))).body.data as Note[];
    const summary = notes.find((n) => n.kind === 'summary')!;

    const edited = await request(h.app)
      .put(`/api/v1/documents/${id}/notes/${summary.id}`)
      .set(h.as(user))
      .send({ content: 'My own summary: plates move and collide.' });
    expect(edited.status).toBe(200);
    expect(edited.body.data).toMatchObject({ id: summary.id, kind: 'summary', content: 'My own summary: plates move and collide.', edited: true });
    expect(new Date(edited.body.data.updated_at).getTime()).toBeGreaterThanOrEqual(new Date(summary.updated_at).getTime());
    const again = (await request(h.app).get(`/api/v1/documents/${id}/notes`).set(h.as(user))).body.data as Note[];
    expect(again.find((n) => n.id === summary.id)!.content).toBe('My own summary: plates move and collide.');

    const put = (noteId: string | number, body: unknown) =>
      request(h.app).put(`/api/v1/documents/${id}/notes/${noteId}`).set(h.as(user)).send(body as object);
    expect((await put(summary.id, {})).status).toBe(400);
    expect((await put(summary.id, { content: '   ' })).status).toBe(400);
    expect((await put(summary.id, { content: 'nul \u0000 inside' })).status).toBe(400);
    expect((await put(summary.id, { content: 'x', kind: 'key_terms' })).status).toBe(400);
    expect((await put(999_999, { content: 'x' })).status).toBe(404);
    expect((await put('abc', { content: 'x' })).status).toBe(404);
  });

  it('answers 404 for a note of another document, even the caller’s own', async () => {
    const user = h.newUser();
    const a = await upload(h, user, Buffer.from('Erosion is the wearing away of rock by water and wind over long periods.'), 'a.txt');
    const b = await upload(h, user, Buffer.from('Weathering is the breaking down of rock where it lies, without moving it.'), 'b.txt');
    await waitForProcessing(h, user, a.body.data.id as number);
    await waitForProcessing(h, user, b.body.data.id as number);
    const notesOfA = (await request(h.app).get(`/api/v1/documents/${a.body.data.id as number}/notes`).set(h.as(user))).body.data as Note[];
    const res = await request(h.app)
      .put(`/api/v1/documents/${b.body.data.id as number}/notes/${notesOfA[0]!.id}`)
      .set(h.as(user))
      .send({ content: 'moved' });
    expect(res.status).toBe(404);
  });

  it('answers 409 for the notes of a document that is not processed yet', async () => {
    const user = idle.newUser();
    const created = await upload(idle, user, Buffer.from('Not processed yet.'), 'later.txt');
    const res = await request(idle.app).get(`/api/v1/documents/${created.body.data.id as number}/notes`).set(idle.as(user));
    expect(res.status).toBe(409);
  });
});
