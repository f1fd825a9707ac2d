// Fair use benchmark: p50/p99 of a light user's search and document-list calls while a heavy user
// uploads large documents of repeated text and searches them, against the document service with
// its processing worker, in embedded mode (PGlite served on a local port, pool of 1, as
// scripts/start.sh runs it) and with real servers (PostgreSQL from scripts/infra/up.sh): first while
// one large upload of the heavy user is processed, then while several are queued and searched. Also
// how long the light user's small upload waits to be processed behind the heavy user's queue.
// Prints figures; asserts nothing. Needs `pnpm build` first and the local servers for PostgreSQL.
// BENCH_MODES=embedded,servers  BENCH_HEAVY_DOCS=3  BENCH_HEAVY_MB=10  BENCH_SECONDS=30
// BENCH_HEAVY_SEARCHERS=2  BENCH_EMBEDDINGS=1 (use EMBEDDINGS_BASE_URL; off by default: the one
// local embedding server would take minutes over the large documents).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createPool, migrationDirs, runMigrations } from '@learner/common/db';
import { closeServer, listen } from '@learner/common/http';
import { assembleDocumentService } from '@learner/document/testing';
import { ensureTemplate, startEmbeddedDatabase } from '../../scripts/launcher/dist/embedded-database.js';

const MODES = (process.env.BENCH_MODES ?? 'embedded,servers').split(',').map((m) => m.trim());
const HEAVY_DOCS = Number(process.env.BENCH_HEAVY_DOCS ?? 3);
const HEAVY_MB = Number(process.env.BENCH_HEAVY_MB ?? 10);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const HEAVY_SEARCHERS = Number(process.env.BENCH_HEAVY_SEARCHERS ?? 2);
const EMBEDDINGS = process.env.BENCH_EMBEDDINGS === '1' ? process.env.EMBEDDINGS_BASE_URL : undefined;

const STUDY_TEXT = `Photosynthesis turns light into chemical energy in the chloroplasts of leaf cells.
The light-dependent reactions split water and release oxygen; the Calvin cycle fixes carbon dioxide into sugar.
Plate tectonics moves the continents a few centimetres a year, and earthquakes mark the edges of the plates.`;
// Repeated text, the worst case for ranking: every passage matches every word of the queries.
const HEAVY_PARAGRAPH = 'The cell membrane controls what enters and leaves the cell, and the cell wall gives the plant cell its shape. ';
const HEAVY_QUERIES = ['cell membrane', 'what gives the plant cell its shape', 'cell wall enters leaves'];
const LIGHT_QUERIES = ['photosynthesis oxygen', 'how do continents move', 'Calvin cycle carbon dioxide'];

const percentile = (sorted, q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function heavyText(mb) {
  const bytes = mb * 1024 * 1024;
  return HEAVY_PARAGRAPH.repeat(Math.ceil(bytes / HEAVY_PARAGRAPH.length)).slice(0, bytes);
}

/** The database for a mode: a fresh PGlite served on a local port (pool of 1), or a PostgreSQL test database. */
async function embeddedDatabase() {
  const dir = await mkdtemp(join(tmpdir(), 'bench-fair-use-'));
  const templateDir = join(tmpdir(), 'learner-bench-pglite-template');
  await ensureTemplate(templateDir);
  const server = await startEmbeddedDatabase({ name: 'document', dataDir: join(dir, 'document'), templateDir, port: 0 });
  const pool = createPool({ connectionString: server.url, max: 1 });
  await runMigrations(pool, migrationDirs('document', import.meta.dirname));
  return {
    url: server.url,
    pool,
    async drop() {
      await pool.end();
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function runMode(mode) {
  const database = mode === 'embedded' ? await embeddedDatabase() : undefined;
  const service = await assembleDocumentService({
    ...(database ? { database } : {}),
    maxFileSize: (HEAVY_MB + 1) * 1024 * 1024,
    embeddings: EMBEDDINGS,
  });
  const server = await listen(service.app, 0, '127.0.0.1');
  const base = `http://127.0.0.1:${server.address().port}`;
  // Internal tokens are short-lived: each call gets fresh headers.
  const heavy = () => service.tokens.headersFor({ id: 'bench-heavy', email: 'heavy@example.test' });
  const light = () => service.tokens.headersFor({ id: 'bench-light', email: 'light@example.test' });

  const call = async (path, headers, init = {}) => {
    const started = performance.now();
    const res = await fetch(`${base}${path}`, { ...init, headers: { ...headers(), ...init.headers } });
    const body = await res.arrayBuffer();
    return { status: res.status, ms: performance.now() - started, body };
  };
  let uploadsRefused = 0;
  /** Uploads as a client would: a 503 (the database busy) is tried again after its Retry-After, up to 10 times. */
  const upload = async (headers, name, text) => {
    for (let attempt = 1; ; attempt++) {
      const form = new FormData();
      form.append('file', new Blob([text], { type: 'text/plain' }), name);
      const res = await call('/api/v1/documents/upload', headers, { method: 'POST', body: form });
      if (res.status === 201 || res.status === 202) return JSON.parse(Buffer.from(res.body).toString()).data.id;
      if (res.status !== 503 || attempt === 10) throw new Error(`upload of ${name} answered ${res.status}: ${Buffer.from(res.body).toString().slice(0, 200)}`);
      uploadsRefused += 1;
      await sleep(1000 * Number(JSON.parse(Buffer.from(res.body).toString()).details?.retry_after ?? 1));
    }
  };
  // A refused look (503 while the database is busy) reads as "not known yet".
  const status = async (headers, id) => {
    const res = await call(`/api/v1/documents/${id}`, headers);
    return res.status === 200 ? JSON.parse(Buffer.from(res.body).toString()).data.status : `answered ${res.status}`;
  };
  const processed = async (headers, id) => {
    for (;;) {
      const s = await status(headers, id);
      if (s === 'completed' || s === 'failed') return s;
      await sleep(100);
    }
  };

  /**
   * The light user's calls, one after another, for `seconds` (or, given `done`, until it settles):
   * search and list in turn.
   */
  const lightLoop = async (seconds, done) => {
    const search = [];
    const list = [];
    const errors = new Map();
    const until = performance.now() + seconds * 1000;
    let settled = false;
    void done?.finally(() => (settled = true));
    for (let i = 0; done ? !settled : performance.now() < until; i++) {
      const isSearch = i % 2 === 0;
      const path = isSearch ? `/api/v1/documents/search?q=${encodeURIComponent(LIGHT_QUERIES[i % LIGHT_QUERIES.length])}` : '/api/v1/documents?limit=20';
      const res = await call(path, light);
      (isSearch ? search : list).push(res.ms);
      if (res.status !== 200) errors.set(res.status, (errors.get(res.status) ?? 0) + 1);
    }
    return { search: search.sort((a, b) => a - b), list: list.sort((a, b) => a - b), errors };
  };
  const describe = (phase, calls) => {
    const row = (kind, sorted) => ({
      mode,
      phase,
      call: kind,
      calls: sorted.length,
      p50_ms: Number(percentile(sorted, 0.5).toFixed(1)),
      p99_ms: Number(percentile(sorted, 0.99).toFixed(1)),
      max_ms: Number((sorted.at(-1) ?? NaN).toFixed(1)),
      errors: [...calls.errors].map(([s, n]) => `${n}×${s}`).join(' ') || '-',
    });
    return [row('search', calls.search), row('list', calls.list)];
  };

  const rows = [];
  const notes = [];
  try {
    const lightDoc = await upload(light, 'light-study.txt', STUDY_TEXT);
    await processed(light, lightDoc);
    rows.push(...describe('alone', await lightLoop(Math.min(10, SECONDS))));

    // One large upload of the heavy user, and the light user's calls while it is processed: the
    // processing's writes take the one embedded connection in turns with everyone else's calls.
    const single = await upload(heavy, 'heavy-single.txt', heavyText(HEAVY_MB));
    const singleStarted = performance.now();
    const singleProcessed = processed(heavy, single);
    rows.push(...describe(`${HEAVY_MB} MB processed`, await lightLoop(0, singleProcessed)));
    notes.push(`${mode}: one ${HEAVY_MB} MB upload was ${await singleProcessed} ${((performance.now() - singleStarted) / 1000).toFixed(1)} s after it was accepted`);
    await call(`/api/v1/documents/${single}`, heavy, { method: 'DELETE' });

    // The heavy user queues every large upload, then searches them without pause while the light user works.
    const text = heavyText(HEAVY_MB);
    const heavyStarted = performance.now();
    const heavyIds = [];
    for (let d = 0; d < HEAVY_DOCS; d++) heavyIds.push(await upload(heavy, `heavy-${d}.txt`, text));
    const uploadSeconds = (performance.now() - heavyStarted) / 1000;
    // The light user's small upload, queued behind the heavy user's.
    const queuedAt = performance.now();
    const lightSecond = await upload(light, 'light-second.txt', STUDY_TEXT);
    const lightProcessed = processed(light, lightSecond).then((s) => ({ s, seconds: (performance.now() - queuedAt) / 1000 }));

    let searching = true;
    const heavySearches = [];
    const heavyErrors = new Map();
    const searchers = Array.from({ length: HEAVY_SEARCHERS }, async (_, k) => {
      for (let i = k; searching; i++) {
        const res = await call(`/api/v1/documents/search?q=${encodeURIComponent(HEAVY_QUERIES[i % HEAVY_QUERIES.length])}`, heavy);
        heavySearches.push(res.ms);
        if (res.status !== 200) heavyErrors.set(res.status, (heavyErrors.get(res.status) ?? 0) + 1);
      }
    });
    rows.push(...describe(`heavy user busy`, await lightLoop(SECONDS)));
    searching = false;
    await Promise.all(searchers);
    // Waits a while longer for the light upload; a heavy document in hand is not interrupted.
    const second = await Promise.race([lightProcessed, sleep(120_000).then(() => ({ s: 'still waiting', seconds: (performance.now() - queuedAt) / 1000 }))]);
    const heavyStates = await Promise.all(heavyIds.map((id) => status(heavy, id)));
    heavySearches.sort((a, b) => a - b);
    notes.push(
      `${mode}: heavy user uploaded ${HEAVY_DOCS} × ${HEAVY_MB} MB in ${uploadSeconds.toFixed(1)} s; after the window their documents were ${heavyStates.join(', ')}; ` +
        `their ${heavySearches.length} searches: p50 ${percentile(heavySearches, 0.5).toFixed(0)} ms, p99 ${percentile(heavySearches, 0.99).toFixed(0)} ms` +
        `${heavyErrors.size ? `, errors ${[...heavyErrors].map(([s, n]) => `${n}×${s}`).join(' ')}` : ''}; ` +
        `the light user's small upload queued behind them was ${second.s} after ${second.seconds.toFixed(1)} s; ` +
        `uploads refused with 503 and tried again: ${uploadsRefused}`,
    );
  } finally {
    await closeServer(server);
    await service.close();
    await database?.drop();
  }
  return { rows, notes };
}

const rows = [];
const notes = [];
for (const mode of MODES) {
  const result = await runMode(mode);
  rows.push(...result.rows);
  notes.push(...result.notes);
}
console.table(rows);
for (const note of notes) console.log(note);
process.exit(0);
