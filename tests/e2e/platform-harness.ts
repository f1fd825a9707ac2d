import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestDatabase, freePortRange, infraEnv, repoRoot, type TestDatabase } from '@learner/common/testing';

export const SERVICES = ['gateway', 'tts', 'stt', 'chat', 'document', 'quiz'] as const;

export interface Platform {
  gatewayUrl: string;
  services: Record<string, string>;
  /** Each service's PostgreSQL database (SERVICES order by name) and the launcher's data folder (local storage). */
  databaseUrls: Record<string, string>;
  dataDir: string;
  output: string[];
  /** Every process the launcher started (replicas are named `<service>-<n>`), from its state file. */
  processes: { name: string; pid: number; url: string }[];
  stop(): Promise<void>;
}

/**
 * Runs the built platform the way production does: the launcher with every server address
 * configured (PostgreSQL database per service, Redis, Kafka), so no embedded stand-in is used.
 */
export async function startPlatform(
  options: {
    env?: Record<string, string>;
    /** Databases elsewhere than the shared test server (e.g. one a test stops), by service. */
    databaseUrls?: Partial<Record<(typeof SERVICES)[number], string>>;
    /** Processes per service (the launcher's REPLICAS); 1 unless given. */
    replicas?: number;
  } = {},
): Promise<Platform> {
  const root = repoRoot();
  const infra = infraEnv();
  const dataDir = mkdtempSync(join(tmpdir(), 'learner-e2e-'));
  const own = SERVICES.filter((name) => !options.databaseUrls?.[name]);
  const created: TestDatabase[] = await Promise.all(
    own.map((name) => createTestDatabase({ database: `e2e_${name}`, dirs: [], poolSize: 1 })),
  );
  const databases = SERVICES.map((name) => {
    const given = options.databaseUrls?.[name];
    return given ? { url: given } : created[own.indexOf(name)]!;
  });
  const portBase = await freePortRange(SERVICES.length);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    LAUNCHER_ENV_FILE: join(dataDir, 'absent.env'),
    LEARNER_DATA_DIR: dataDir,
    PORT_BASE: String(portBase),
    LOG_LEVEL: 'warn',
    LAUNCHER_LOG_FORMAT: 'json',
    REDIS_URL: infra.REDIS_URL ?? '',
    KAFKA_BOOTSTRAP_SERVERS: infra.KAFKA_BOOTSTRAP_SERVERS ?? '',
    OUTBOX_POLL_MS: '100',
    REQUEST_TIMEOUT: '20',
    ...(options.replicas && options.replicas > 1
      ? { REPLICAS: String(options.replicas), REPLICA_PORT_BASE: String(await freePortRange(SERVICES.length * (options.replicas - 1))) }
      : {}),
    ...options.env,
  };
  SERVICES.forEach((name, i) => {
    env[`${name.toUpperCase()}_DATABASE_URL`] = databases[i]!.url;
  });
  // The harness's own pools are not needed: the services connect themselves.
  await Promise.all(created.map((db) => db.pool.end()));

  const output: string[] = [];
  const child: ChildProcess = spawn(process.execPath, [join(root, 'scripts', 'launcher', 'dist', 'main.js')], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exit = new Promise<void>((done) => child.once('exit', () => done()));
  let exited = false;
  void exit.then(() => {
    exited = true;
  });

  const stateFile = join(dataDir, 'launcher.json');
  const deadline = Date.now() + 150_000;
  let services: Record<string, string>;
  let processes: Platform['processes'];
  for (;;) {
    if (exited) throw new Error(`the platform exited before it was ready:\n${output.join('').slice(-4000)}`);
    if (Date.now() > deadline) throw new Error(`the platform was not ready in time:\n${output.join('').slice(-4000)}`);
    if (existsSync(stateFile)) {
      const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { ready: boolean; services: Platform['processes'] };
      if (state.ready) {
        processes = state.services;
        services = Object.fromEntries(state.services.map((s) => [s.name, s.url]));
        break;
      }
    }
    await sleep(250);
  }
  const gatewayUrl = services.gateway;
  if (!gatewayUrl) throw new Error('the gateway was not started (is it built?)');

  return {
    gatewayUrl,
    services,
    databaseUrls: Object.fromEntries(SERVICES.map((name, i) => [name, databases[i]!.url])),
    dataDir,
    output,
    processes,
    async stop() {
      if (!exited) {
        child.kill('SIGTERM');
        await Promise.race([exit, sleep(30_000)]);
      }
      const adminUrl = infra.PG_ADMIN_URL;
      if (adminUrl) {
        const { default: pg } = await import('pg');
        const client = new pg.Client({ connectionString: adminUrl });
        await client.connect();
        for (const db of created) {
          const name = new URL(db.url).pathname.slice(1);
          await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        }
        await client.end();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A small client for the public API, as curl or a web client would use it. */
export function apiClient(baseUrl: string) {
  const call = async (
    method: string,
    path: string,
    options: { token?: string; json?: unknown; form?: FormData } = {},
  ): Promise<{ status: number; body: any; headers: Headers }> => {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | FormData | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.form) {
      body = options.form;
    }
    const res = await fetch(`${baseUrl}${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed, headers: res.headers };
  };
  return call;
}

/**
 * Probes until the probe returns a value, as a client polls: soon at first, then less often (up to
 * every 2 s), so that a long wait on a slow machine stays within the gateway's per-user rate limit.
 */
export async function waitUntil<T>(what: string, probe: () => Promise<T | undefined>, ms = 90_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (let pause = 300; ; pause = Math.min(2_000, pause * 1.5)) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(pause);
  }
}
