// Web app benchmark: the JavaScript a first visit loads (gzipped), and how long the library takes
// to show a learner's documents on the local platform (the launcher with its embedded defaults, as
// scripts/start.sh runs it), in Debian's Chromium with a cold cache each time.
// Budgets (printed beside the figures): initial JavaScript <= 200 kB gzipped, library <= 1 s.
// Prints figures; asserts nothing. Needs `pnpm build` and /usr/bin/chromium (scripts/infra/up.sh chromium).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

/* global document -- read in the page, by page.waitForFunction */

const root = resolve(import.meta.dirname, '..', '..');
const dist = join(root, 'packages', 'web', 'dist');
const DOCUMENTS = Number(process.env.BENCH_DOCUMENTS ?? 30);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const JS_BUDGET_KB = 200;
const RENDER_BUDGET_MS = 1000;

const kb = (bytes) => (bytes / 1000).toFixed(1);

/** The scripts index.html loads before the app runs: its module entry and anything preloaded. */
function initialAssets() {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<script[^>]+src="([^"]+)"/g), ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)].map((m) => m[1]);
  const styles = [...html.matchAll(/<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"/g)].map((m) => m[1]);
  const size = (path) => {
    const bytes = readFileSync(join(dist, path));
    return { path, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  };
  return { scripts: scripts.map(size), styles: styles.map(size) };
}

async function freePort() {
  const server = createServer();
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address();
  await new Promise((done) => server.close(done));
  return port;
}

async function startLauncher(dataDir, port) {
  const child = spawn(process.execPath, [join(root, 'scripts', 'launcher', 'dist', 'main.js')], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      LAUNCHER_ENV_FILE: join(dataDir, 'absent.env'),
      LEARNER_DATA_DIR: dataDir,
      PORT_BASE: String(port),
      EMBEDDED_DB_PORT_BASE: '0',
      LOG_LEVEL: 'warn',
      LAUNCHER_LOG_FORMAT: 'json',
      EMBEDDINGS_PROVIDER: 'none',
      // One learner's page loads are many calls: the benchmark is not the rate limit's test.
      RATE_LIMIT_REQUESTS: '100000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = [];
  child.stdout.on('data', (c) => output.push(String(c)));
  child.stderr.on('data', (c) => output.push(String(c)));
  const deadline = Date.now() + 240_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the launcher exited:\n${output.join('').slice(-3000)}`);
    if (Date.now() > deadline) throw new Error(`the platform was not ready in time:\n${output.join('').slice(-3000)}`);
    const state = join(dataDir, 'launcher.json');
    if (existsSync(state) && JSON.parse(readFileSync(state, 'utf8')).ready) return child;
    await sleep(250);
  }
}

async function api(base, method, path, { token, json, form } = {}) {
  const headers = token ? { authorization: `Bearer ${token}` } : {};
  if (json) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, { method, headers, body: json ? JSON.stringify(json) : form });
  const body = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(body)}`);
  return body.data;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const assets = initialAssets();
const js = assets.scripts.reduce((n, a) => n + a.gzip, 0);
console.log('web app: initial load');
for (const a of [...assets.scripts, ...assets.styles]) console.log(`  ${a.path.padEnd(36)} ${kb(a.raw).padStart(7)} kB, ${kb(a.gzip).padStart(6)} kB gzipped`);
console.log(`  initial JavaScript: ${kb(js)} kB gzipped (budget ${JS_BUDGET_KB} kB: ${js <= JS_BUDGET_KB * 1000 ? 'within' : 'OVER'})`);

const dataDir = mkdtempSync(join(tmpdir(), 'bench-web-'));
const port = await freePort();
const launcher = await startLauncher(dataDir, port);
const origin = `http://localhost:${port}`;
let browser;
try {
  const email = `bench-${Date.now()}@example.com`;
  const auth = await api(origin, 'POST', '/api/v1/auth/register', { json: { email, password: 'correct horse battery', name: 'Bench' } });
  for (let i = 1; i <= DOCUMENTS; i++) {
    const form = new FormData();
    form.append('file', new Blob([`Chapter ${i}\n\nPhotosynthesis turns light into chemical energy in chapter ${i}.`], { type: 'text/plain' }), `chapter-${i}.txt`);
    await api(origin, 'POST', '/api/v1/documents/upload', { token: auth.token, form });
  }
  // Measured once the documents are processed: the figure is the page's, not the processing's.
  const deadline = Date.now() + 180_000;
  for (;;) {
    const list = await api(origin, 'GET', '/api/v1/documents?limit=100', { token: auth.token });
    if (list.every((d) => d.status === 'completed' || d.status === 'failed')) break;
    if (Date.now() > deadline) throw new Error('the documents were not processed in time');
    await sleep(500);
  }
  const session = JSON.stringify({ token: auth.token, refreshToken: auth.refresh_token, user: auth.user });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const times = [];
  for (let run = 0; run < RUNS; run++) {
    // A new context each run: an empty cache, as on a first visit, with the learner signed in.
    const context = await browser.newContext({
      baseURL: origin,
      storageState: { cookies: [], origins: [{ origin, localStorage: [{ name: 'learner.session', value: session }] }] },
    });
    const page = await context.newPage();
    await page.goto('/', { waitUntil: 'commit' });
    await page.waitForFunction((n) => document.querySelectorAll('.doc-row').length >= n, DOCUMENTS, { polling: 'raf', timeout: 30_000 });
    times.push(await page.evaluate(() => performance.now()));
    await context.close();
  }
  const m = median(times);
  console.log(`\nweb app: the library with ${DOCUMENTS} documents, from navigation to the list shown (${RUNS} cold loads)`);
  console.log(`  each: ${times.map((t) => `${Math.round(t)} ms`).join(', ')}`);
  console.log(`  median ${Math.round(m)} ms, slowest ${Math.round(Math.max(...times))} ms (budget ${RENDER_BUDGET_MS} ms: ${m <= RENDER_BUDGET_MS ? 'within' : 'OVER'})`);
} finally {
  await browser?.close();
  launcher.kill('SIGTERM');
  await new Promise((done) => launcher.once('exit', done));
  rmSync(dataDir, { recursive: true, force: true });
}
