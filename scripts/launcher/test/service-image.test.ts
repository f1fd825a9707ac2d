import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, freePortRange, testSecret, type TestDatabase } from '@learner/common/testing';

// Docker cannot run here, so the image's `app` stage is replayed in a folder: the same production-
// only install the Dockerfile runs, the built dist folders the build stage hands over, the same
// assemble script; then the service is started from the laid-out folder as the image starts it.

const root = resolve(import.meta.dirname, '..', '..', '..');
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
const work = join(root, '.infra', 'image-check');
const databases: TestDatabase[] = [];

afterAll(async () => {
  await Promise.all(databases.map((db) => db.drop()));
  rmSync(work, { recursive: true, force: true });
});

/** The workspace as the build context sees it: tracked and new files, none of what git ignores. */
function copyContext(to: string): void {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' })
    .split('\0')
    .filter((file) => file && existsSync(join(root, file)));
  for (const file of files) cpSync(join(root, file), join(to, file));
}

function layOut(service: string): string {
  const context = join(work, service, 'repo');
  const out = join(work, service, 'app');
  rmSync(join(work, service), { recursive: true, force: true });
  copyContext(context);
  const install = /^RUN (pnpm install --frozen-lockfile --prod .*)$/m.exec(dockerfile)?.[1];
  expect(install).toBeDefined();
  execFileSync('sh', ['-c', `${install!} --offline --reporter=silent`], { cwd: context, env: { ...process.env, SERVICE: service } });
  for (const group of ['packages', 'services']) {
    for (const name of readdirSync(join(root, group))) {
      const dist = join(root, group, name, 'dist');
      if (existsSync(dist)) cpSync(dist, join(context, group, name, 'dist'), { recursive: true });
    }
  }
  mkdirSync(out, { recursive: true });
  execFileSync('bash', [join(context, 'scripts/docker/assemble-service.sh'), service, out], { cwd: context });
  return out;
}

async function startFrom(app: string, service: string, env: Record<string, string>): Promise<{ base: string; stop: () => void; log: () => string }> {
  const [port] = [await freePortRange(1)];
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: join(app, 'services', service),
    env: { PATH: process.env.PATH ?? '', PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${service} exited:\n${output.join('')}`);
    const ok = await fetch(`${base}/health`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`${service} did not answer /health:\n${output.join('')}`);
    await new Promise((done) => setTimeout(done, 200));
  }
  return { base, stop: () => child.kill('SIGTERM'), log: () => output.join('') };
}

async function secretsAndDatabase(service: string): Promise<Record<string, string>> {
  const db = await createTestDatabase({ database: service, fromDir: root });
  databases.push(db);
  return {
    DATABASE_URL: db.url,
    JWT_SECRET: testSecret(),
    INTERNAL_TOKEN_SECRET: testSecret(),
    STORAGE_SIGNING_SECRET: testSecret(),
  };
}

describe('a service laid out as its image holds it', () => {
  it('gateway: only its own code and production dependencies, and it still serves the whole API document, /docs and the web app', { timeout: 180_000 }, async () => {
    const app = layOut('gateway');
    expect(readdirSync(join(app, 'services'))).toEqual(['gateway']);
    expect(readdirSync(join(app, 'packages')).sort()).toEqual(['common', 'web']);
    const store = readdirSync(join(app, 'node_modules', '.pnpm'));
    expect(store.some((name) => name.startsWith('http-proxy-middleware@'))).toBe(true);
    for (const foreign of ['@aws-sdk+client-textract', 'pdf-parse', 'vitest', 'typescript@']) {
      expect(store.filter((name) => name.startsWith(foreign))).toEqual([]);
    }
    const gateway = await startFrom(app, 'gateway', await secretsAndDatabase('gateway'));
    try {
      const document = (await (await fetch(`${gateway.base}/openapi.json`)).json()) as { paths: Record<string, unknown> };
      expect(Object.keys(document.paths)).toEqual(
        expect.arrayContaining(['/api/v1/auth/login', '/api/v1/documents/upload', '/api/v1/chat/sessions', '/api/v1/quizzes/generate', '/api/v1/tts/synthesize', '/api/v1/stt/transcribe']),
      );
      expect((await fetch(`${gateway.base}/docs`)).status).toBe(200);
      const page = await fetch(`${gateway.base}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
    } finally {
      gateway.stop();
    }
  });

  it('chat: starts with the workspace packages it runs on (common, text) and without the document service it tests against', { timeout: 180_000 }, async () => {
    const app = layOut('chat');
    expect(readdirSync(join(app, 'services'))).toEqual(['chat']);
    expect(readdirSync(join(app, 'packages')).sort()).toEqual(['common', 'text']);
    expect(existsSync(join(app, 'packages', 'text', 'dist', 'index.js'))).toBe(true);
    expect(readdirSync(join(app, 'db')).sort()).toEqual(['chat', 'shared']);
    const chat = await startFrom(app, 'chat', await secretsAndDatabase('chat'));
    try {
      const ready = await fetch(`${chat.base}/health`);
      expect(ready.status).toBe(200);
    } finally {
      chat.stop();
    }
  });
});
