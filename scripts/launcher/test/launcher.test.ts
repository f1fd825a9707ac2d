import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePortRange } from '@learner/common/testing';

const launcherDir = resolve(import.meta.dirname, '..');
const root = resolve(launcherDir, '..', '..');
const mainScript = join(launcherDir, 'dist', 'main.js');
const SERVICE_NAMES = ['gateway', 'tts', 'stt', 'chat', 'document', 'quiz'];
const built = SERVICE_NAMES.filter((name) => existsSync(join(root, 'services', name, 'dist', 'main.js')));
const pgliteVersion = (JSON.parse(readFileSync(join(launcherDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> })
  .dependencies['@electric-sql/pglite'];

interface State {
  pid: number;
  ready: boolean;
  services: { name: string; pid: number; url: string }[];
  databases: { name: string; url: string }[];
}

interface Run {
  child: ChildProcess;
  output: string[];
  exit: Promise<number | null>;
  state: State;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const launched: ChildProcess[] = [];
afterAll(() => {
  // A launcher whose start timed out is still running: it must not outlive the test file.
  for (const child of launched) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
});

async function startLauncher(dataDir: string, portBase: number, extraEnv: Record<string, string> = {}): Promise<Run> {
  const output: string[] = [];
  const child = spawn(process.execPath, [mainScript], {
    cwd: root,
    // No server addresses, no developer .env: the embedded defaults must carry the platform alone.
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LAUNCHER_ENV_FILE: join(dataDir, 'absent.env'),
      LEARNER_DATA_DIR: dataDir,
      PORT_BASE: String(portBase),
      EMBEDDED_DB_PORT_BASE: '0',
      // Shared between runs: building the empty database once is most of a first start.
      PGLITE_TEMPLATE_DIR: join(tmpdir(), `learner-pglite-template-${pgliteVersion}-wal1`),
      LOG_LEVEL: 'warn',
      LAUNCHER_LOG_FORMAT: 'json',
      // Below the test's own deadline, so a slow service is named by the launcher.
      STARTUP_TIMEOUT_MS: '140000',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  launched.push(child);
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exit = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  let exited = false;
  void exit.then(() => {
    exited = true;
  });
  const file = join(dataDir, 'launcher.json');
  const deadline = Date.now() + 150_000;
  for (;;) {
    if (exited) throw new Error(`the launcher exited before it was ready:\n${output.join('')}`);
    if (Date.now() > deadline) throw new Error(`the launcher was not ready within 150 s:\n${output.join('')}`);
    if (existsSync(file)) {
      const state = JSON.parse(readFileSync(file, 'utf8')) as State;
      if (state.ready) return { child, output, exit, state };
    }
    await sleep(200);
  }
}

async function stopLauncher(run: Run): Promise<number | null> {
  run.child.kill('SIGTERM');
  return run.exit;
}

async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function postJson(url: string, body: unknown): Promise<{ status: number; body: { data?: Record<string, unknown> } }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { data?: Record<string, unknown> } };
}

describe('the launcher with no servers configured', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'learner-launcher-'));
  let portBase = 0;
  let run: Run | undefined;

  beforeAll(async () => {
    // Free ports, so the test never meets a platform already running on 5000–5005.
    portBase = await freePortRange(SERVICE_NAMES.length);
    run = await startLauncher(dataDir, portBase);
  }, 170_000);

  afterAll(async () => {
    if (run && run.child.exitCode === null) await stopLauncher(run);
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('starts every built service, each on its port after the gateway', () => {
    expect(run?.state.services.map((s) => s.name).sort()).toEqual([...built].sort());
    for (const s of run?.state.services ?? []) {
      expect(s.url).toBe(`http://127.0.0.1:${portBase + SERVICE_NAMES.indexOf(s.name)}`);
    }
  });

  it.each(built)('%s answers /health, and /ready with its embedded database up', async (name) => {
    const service = run?.state.services.find((s) => s.name === name);
    const database = run?.state.databases.find((d) => d.name === name);
    expect(database?.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    const health = await getJson(`${service?.url}/health`);
    expect(health.status).toBe(200);
    const ready = await getJson(`${service?.url}/ready`);
    const checks = (ready.body.checks ?? (ready.body.details as { checks?: unknown } | undefined)?.checks) as Record<string, { status: string }>;
    expect(checks.database?.status).toBe('up');
    // The gateway is ready only when all five services are: then every one must have been built.
    if (name !== 'gateway' || built.length === SERVICE_NAMES.length) expect(ready.status).toBe(200);
  });

  it.runIf(built.length === SERVICE_NAMES.length)(
    'erases a deleted account in every service without Kafka: the processes hand each other the events over HTTP',
    async () => {
      const gateway = `http://127.0.0.1:${portBase}`;
      const email = `erase-${Date.now()}@example.com`;
      const registered = await postJson(`${gateway}/api/v1/auth/register`, { email, password: 'a long passphrase' });
      const token = registered.body.data?.token as string;
      const userId = (registered.body.data?.user as { id: string }).id;
      const auth = { authorization: `Bearer ${token}` };
      const form = new FormData();
      form.append('file', new Blob(['Erosion is the wearing away of rock and soil by water, wind and ice.'], { type: 'text/plain' }), 'erosion.txt');
      const upload = await fetch(`${gateway}/api/v1/documents/upload`, { method: 'POST', headers: auth, body: form });
      expect(upload.status).toBe(201);
      const session = await fetch(`${gateway}/api/v1/chat/sessions`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Geography' }),
      });
      expect(session.status).toBe(201);
      const storage = join(dataDir, 'storage');
      const filesNaming = (): string[] =>
        existsSync(storage)
          ? readdirSync(storage, { recursive: true, encoding: 'utf8' }).filter((f) => f.includes(userId) || (statSync(join(storage, f)).isFile() && readFileSync(join(storage, f), 'latin1').includes(userId)))
          : [];
      expect(filesNaming().length).toBeGreaterThan(0);

      const erased = await fetch(`${gateway}/api/v1/auth/me`, {
        method: 'DELETE',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ password: 'a long passphrase' }),
      });
      expect(erased.status, run?.output.join('').slice(-3000)).toBe(202);
      const receipt = ((await erased.json()) as { data: { status_url: string } }).data.status_url;
      let status: { status: string; services: { service: string; status: string }[] } | undefined;
      for (let i = 0; i < 40; i++) {
        await sleep(1_000);
        status = ((await getJson(`${gateway}${receipt}`)).body as { data: typeof status }).data;
        if (status?.status === 'completed') break;
      }
      expect(status?.services.filter((s) => s.status !== 'confirmed'), run?.output.join('').split('\n').filter((l) => l.includes('level')).slice(-12).join('\n')).toEqual([]);
      expect(status?.status).toBe('completed');
      expect(filesNaming()).toEqual([]);
      expect((await fetch(`${gateway}/api/v1/documents`, { headers: auth })).status).toBe(401);
    },
    60_000,
  );

  it('stops every process on SIGTERM, and a user registered before the stop logs in after a restart', async () => {
    const gateway = `http://127.0.0.1:${portBase}`;
    const email = `launcher-${Date.now()}@example.com`;
    const registered = await postJson(`${gateway}/api/v1/auth/register`, { email, password: 'a long passphrase', name: 'Lee' });
    expect(registered.status).toBe(201);

    const first = run!;
    const pids = first.state.services.map((s) => s.pid);
    expect(await stopLauncher(first)).toBe(0);
    expect(pids.filter(isAlive)).toEqual([]);
    expect(existsSync(join(dataDir, 'launcher.json'))).toBe(false);

    run = await startLauncher(dataDir, portBase);
    const login = await postJson(`${gateway}/api/v1/auth/login`, { email, password: 'a long passphrase' });
    expect(login.status).toBe(200);
    expect((login.body.data?.user as { email?: string } | undefined)?.email).toBe(email);
  }, 170_000);
});

describe('the launcher when a service dies', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'learner-launcher-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('says which service stopped, keeps running, and exits non-zero once stopped', async () => {
    const portBase = await freePortRange(SERVICE_NAMES.length);
    const run = await startLauncher(dataDir, portBase, { LAUNCHER_SERVICES: 'quiz' });
    try {
      expect(run.state.services.map((s) => s.name)).toEqual(['quiz']);
      process.kill(run.state.services[0]!.pid, 'SIGKILL');
      for (let i = 0; i < 100 && !run.output.join('').includes('quiz stopped unexpectedly'); i++) await sleep(100);
      expect(run.output.join('')).toContain('quiz stopped unexpectedly (SIGKILL)');
      expect(run.child.exitCode).toBeNull();
    } finally {
      run.child.kill('SIGTERM');
    }
    expect(await run.exit).toBe(1);
  }, 120_000);
});
