import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, freePortRange, requireInfra, testSecret, type TestDatabase } from '@learner/common/testing';
import { uniquePrefix } from './gateway-harness.js';

// The built gateway, as `node dist/main.js` runs it in its image (scripts/test.sh builds first).
const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));

let db: TestDatabase;
let gateway: ChildProcess;
let base: string;

/** The node processes whose parent is `pid`: the primary's gateway processes. */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        const fields = readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]!.split(' ');
        return Number(fields[1]) === pid ? [Number(name)] : [];
      } catch {
        return []; // ended while we looked
      }
    });
}

/** A GET on a connection of its own, so the primary hands each one to the next process in turn. */
function getOnNewConnection(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(`${base}${path}`, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** The /health answers counted in http_requests_total, as /metrics reports them. */
async function healthCount(): Promise<number> {
  const { status, body } = await getOnNewConnection('/metrics');
  expect(status).toBe(200);
  return body
    .split('\n')
    .filter((line) => line.startsWith('http_requests_total{') && line.includes('route="/health"') && line.includes('status="200"'))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

beforeAll(async () => {
  db = await createTestDatabase({ database: 'gateway', fromDir: import.meta.dirname });
  const port = await freePortRange(1);
  base = `http://127.0.0.1:${port}`;
  gateway = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      PORT: String(port),
      PROCESSES: '2',
      LOG_LEVEL: 'warn',
      DATABASE_URL: db.url,
      JWT_SECRET: testSecret(),
      INTERNAL_TOKEN_SECRET: testSecret(),
      REDIS_URL: requireInfra('REDIS_URL'),
      REDIS_KEY_PREFIX: uniquePrefix(),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await until('the gateway to answer', async () => {
    const answer = await getOnNewConnection('/health').catch(() => undefined);
    return answer?.status === 200 ? true : undefined;
  });
  await until('two processes', () => (childrenOf(gateway.pid!).length === 2 ? true : undefined));
});

afterAll(async () => {
  if (gateway && gateway.exitCode === null && gateway.signalCode === null) {
    gateway.kill('SIGKILL');
    await once(gateway, 'exit');
  }
  await db?.drop();
});

describe('the gateway with PROCESSES=2', () => {
  it('serves one port from two processes, and /metrics counts the requests of both', async () => {
    expect(childrenOf(gateway.pid!)).toHaveLength(2);
    const before = await healthCount();
    const answers = [];
    for (let i = 0; i < 10; i++) answers.push(await getOnNewConnection('/health'));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    // Connections go to the processes in turn, so a single process's count would be about half.
    expect((await healthCount()) - before).toBe(10);
  });

  it('keeps answering when a gateway process dies, and starts another in its place', async () => {
    const [victim, survivor] = childrenOf(gateway.pid!);
    process.kill(victim!, 'SIGKILL');
    await until('the primary to notice', () => (childrenOf(gateway.pid!).includes(victim!) ? undefined : true));
    for (let i = 0; i < 5; i++) expect((await getOnNewConnection('/health')).status).toBe(200);
    const replaced = await until('a replacement process', () => {
      const now = childrenOf(gateway.pid!);
      return now.length === 2 ? now : undefined;
    });
    expect(replaced).toContain(survivor);
    expect(replaced).not.toContain(victim);
    await until('the replacement to serve', async () => ((await healthCount()) > 0 ? true : undefined));
  });

  it('stops every gateway process and exits cleanly on SIGTERM', async () => {
    const children = childrenOf(gateway.pid!);
    const exited = once(gateway, 'exit');
    gateway.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
    expect(children.filter((pid) => readdirSync('/proc').includes(String(pid)))).toEqual([]);
  });
});
