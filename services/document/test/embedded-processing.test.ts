import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, migrationDirs, runMigrations, type Pool } from '@learner/common/db';
import { ensureTemplate, startEmbeddedDatabase, type EmbeddedDatabase } from '../../../scripts/launcher/dist/embedded-database.js';
import { startHarness, upload, waitForProcessing, type Harness } from './harness.js';

/**
 * How long a call waits for the embedded database's one connection before it answers 503. The
 * service waits 5 s; shorter here, so that a transaction holding the connection for seconds (as
 * storing a 6 MB document in one did) shows within a test's time.
 */
const CONNECTION_TIMEOUT_MS = 2_000;
const HEAVY_MB = 6;

const launcherDir = join(import.meta.dirname, '..', '..', '..', 'scripts', 'launcher');
const pgliteVersion = (JSON.parse(readFileSync(join(launcherDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> })
  .dependencies['@electric-sql/pglite'];

const LIGHT_TEXT = 'Photosynthesis turns light into chemical energy in the chloroplasts. The Calvin cycle fixes carbon dioxide into sugar.';
const HEAVY_PARAGRAPH = 'The cell membrane controls what enters and leaves the cell, and the cell wall gives the plant cell its shape. ';

let folder: string;
let database: EmbeddedDatabase;
let pool: Pool;
let h: Harness;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'document-embedded-'));
  // The launcher's template, shared with its tests: initialising an empty PGlite takes seconds.
  const templateDir = join(tmpdir(), `learner-pglite-template-${pgliteVersion}-wal1`);
  await ensureTemplate(templateDir);
  database = await startEmbeddedDatabase({ name: 'document', dataDir: join(folder, 'document'), templateDir, port: 0 });
  // As the launcher runs the service over it: a pool of one connection.
  pool = createPool({ connectionString: database.url, max: 1, connectionTimeoutMs: CONNECTION_TIMEOUT_MS });
  await runMigrations(pool, migrationDirs('document', import.meta.dirname));
  h = await startHarness({
    database: { url: database.url, pool, drop: () => Promise.resolve() },
    maxFileSize: (HEAVY_MB + 1) * 1024 * 1024,
    worker: { pollMs: 100 },
  });
});
afterAll(async () => {
  await h?.close();
  await pool?.end();
  await database?.stop();
  if (folder) await rm(folder, { recursive: true, force: true });
});

/** Uploads HEAVY_MB of repeated text as `user`, in pages of 2 MB (a form feed starts the next): each is written in a transaction of its own. */
async function uploadHeavy(user: ReturnType<Harness['newUser']>): Promise<number> {
  const pageBytes = 2 * 1024 * 1024;
  const page = HEAVY_PARAGRAPH.repeat(Math.ceil(pageBytes / HEAVY_PARAGRAPH.length)).slice(0, pageBytes - 1);
  const heavyText = Array.from({ length: HEAVY_MB / 2 }, () => page).join('\f');
  const created = await upload(h, user, Buffer.from(heavyText), 'membranes.txt');
  expect(created.status).toBe(201);
  return created.body.data.id as number;
}

// Each test waits up to two minutes for the large document to be processed, then calls for 8 s: on a
// busy machine that is more than the suite's 30 s a test.
const HEAVY_TEST_MS = 180_000;

describe('the embedded database (one connection) while one user’s large document is processed', () => {
  it('keeps answering another user’s calls, each with their own results, and finishes the large document', async () => {
    const light = h.newUser();
    const heavy = h.newUser();
    const lightDoc = (await upload(h, light, Buffer.from(LIGHT_TEXT), 'plants.txt')).body.data.id as number;
    await waitForProcessing(h, light, lightDoc);

    const heavyDoc = await uploadHeavy(heavy);

    const statuses = new Map<number, number>();
    const heavyStatuses = new Map<number, number>();
    let calls = 0;
    let sawProcessing = false;
    let heavyEnd: Record<string, unknown> | undefined;
    const deadline = Date.now() + 120_000;
    while (!heavyEnd) {
      if (Date.now() > deadline) throw new Error('the large document was not processed within 120 s');
      const [search, list, one] = await Promise.all([
        request(h.app).get('/api/v1/documents/search').query({ q: 'Calvin cycle carbon dioxide' }).set(h.as(light)),
        request(h.app).get('/api/v1/documents').set(h.as(light)),
        request(h.app).get(`/api/v1/documents/${lightDoc}`).set(h.as(light)),
      ]);
      for (const res of [search, list, one]) statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      calls += 3;
      if (search.status === 200) expect((search.body.data as { document_id: number }[]).map((hit) => hit.document_id)).toEqual([lightDoc]);
      if (list.status === 200) expect((list.body.data as { id: number }[]).map((d) => d.id)).toEqual([lightDoc]);
      const heavyNow = await request(h.app).get(`/api/v1/documents/${heavyDoc}`).set(h.as(heavy));
      heavyStatuses.set(heavyNow.status, (heavyStatuses.get(heavyNow.status) ?? 0) + 1);
      const status = (heavyNow.body.data as { status?: string } | undefined)?.status;
      if (status === 'processing') sawProcessing = true;
      if (status === 'completed' || status === 'failed') heavyEnd = heavyNow.body.data as Record<string, unknown>;
    }

    expect(heavyEnd).toMatchObject({ status: 'completed', pages: HEAVY_MB / 2 });
    expect(sawProcessing).toBe(true);
    // Every call of the other user answered, none refused for want of the connection; the heavy
    // user's own looks at their document too.
    expect(calls).toBeGreaterThan(0);
    expect(Object.fromEntries(statuses)).toEqual({ 200: calls });
    expect([...heavyStatuses.keys()]).toEqual([200]);

    const found = await request(h.app).get('/api/v1/documents/search').query({ q: 'cell membrane' }).set(h.as(heavy));
    expect(found.status).toBe(200);
    expect((found.body.data as { document_id: number }[]).every((hit) => hit.document_id === heavyDoc)).toBe(true);
    expect(found.body.data.length).toBeGreaterThan(0);
  }, HEAVY_TEST_MS);
});

describe('the embedded database (one connection) while one user searches a large document four at a time', () => {
  it('keeps answering another user’s calls, none refused for want of the connection, and answers the heavy user’s searches too', async () => {
    const light = h.newUser();
    const heavy = h.newUser();
    const lightDoc = (await upload(h, light, Buffer.from(LIGHT_TEXT), 'plants.txt')).body.data.id as number;
    await waitForProcessing(h, light, lightDoc);
    const heavyDoc = await uploadHeavy(heavy);
    expect(await waitForProcessing(h, heavy, heavyDoc, 120_000)).toMatchObject({ status: 'completed' });

    // Every passage holds every word of these: the all-words search, and (with a word found nowhere) the any-word fallback.
    const queries = ['cell membrane shape', 'membrane mitochondria wall'];
    let searching = true;
    const heavyStatuses = new Map<number, number>();
    const searchers = Array.from({ length: 4 }, async (_, k) => {
      for (let i = k; searching; i++) {
        const res = await request(h.app).get('/api/v1/documents/search').query({ q: queries[i % queries.length] }).set(h.as(heavy));
        heavyStatuses.set(res.status, (heavyStatuses.get(res.status) ?? 0) + 1);
      }
    });
    const statuses = new Map<number, number>();
    const started = Date.now();
    let calls = 0;
    try {
      while (Date.now() - started < 8_000) {
        const [search, list] = await Promise.all([
          request(h.app).get('/api/v1/documents/search').query({ q: 'Calvin cycle carbon dioxide' }).set(h.as(light)),
          request(h.app).get('/api/v1/documents').set(h.as(light)),
        ]);
        for (const res of [search, list]) statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        calls += 2;
        if (search.status === 200) expect((search.body.data as { document_id: number }[]).map((hit) => hit.document_id)).toEqual([lightDoc]);
      }
    } finally {
      searching = false;
      await Promise.all(searchers);
    }
    expect(Object.fromEntries(statuses)).toEqual({ 200: calls });
    // The heavy user's searches were answered too, and found their document.
    expect(heavyStatuses.get(200)).toBeGreaterThan(0);
  }, HEAVY_TEST_MS);
});

