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

describe('the embedded database (one connection) while one user’s large document is processed', () => {
  it('keeps answering another user’s calls, each with their own results, and finishes the large document', async () => {
    const light = h.newUser();
    const heavy = h.newUser();
    const lightDoc = (await upload(h, light, Buffer.from(LIGHT_TEXT), 'plants.txt')).body.data.id as number;
    await waitForProcessing(h, light, lightDoc);

    const bytes = HEAVY_MB * 1024 * 1024;
    const heavyText = HEAVY_PARAGRAPH.repeat(Math.ceil(bytes / HEAVY_PARAGRAPH.length)).slice(0, bytes);
    const created = await upload(h, heavy, Buffer.from(heavyText), 'membranes.txt');
    expect(created.status).toBe(201);
    const heavyDoc = created.body.data.id as number;

    let settled = false;
    const processed = waitForProcessing(h, heavy, heavyDoc, 120_000).finally(() => (settled = true));
    const statuses = new Map<number, number>();
    let calls = 0;
    let sawProcessing = false;
    while (!settled) {
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
      if (heavyNow.body.data?.status === 'processing') sawProcessing = true;
    }

    expect(await processed).toMatchObject({ status: 'completed', pages: 1 });
    expect(sawProcessing).toBe(true);
    // Every call of the other user answered, none refused for want of the connection.
    expect(calls).toBeGreaterThan(0);
    expect(Object.fromEntries(statuses)).toEqual({ 200: calls });

    const found = await request(h.app).get('/api/v1/documents/search').query({ q: 'cell membrane' }).set(h.as(heavy));
    expect(found.status).toBe(200);
    expect((found.body.data as { document_id: number }[]).every((hit) => hit.document_id === heavyDoc)).toBe(true);
    expect(found.body.data.length).toBeGreaterThan(0);
  });
});
