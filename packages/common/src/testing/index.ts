import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import { createPool, type Pool } from '../db/pool.js';
import { readMigrations, runMigrations } from '../db/migrations.js';
import { migrationDirs } from '../db/paths.js';

/** The repository root: the nearest folder above `from` holding pnpm-workspace.yaml. */
export function repoRoot(from = process.cwd()): string {
  let dir = resolve(from);
  while (!existsSync(join(dir, 'pnpm-workspace.yaml'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No pnpm-workspace.yaml above ${from}`);
    dir = parent;
  }
  return dir;
}

/**
 * Addresses of the local test servers: the environment first, then `.infra/env` written by
 * scripts/infra/up.sh, so `pnpm vitest` works after the servers were started once.
 */
export function infraEnv(): Record<string, string> {
  const values: Record<string, string> = {};
  const file = join(repoRoot(), '.infra', 'env');
  if (existsSync(file)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const match = /^(?:export\s+)?([A-Z0-9_]+)=(.*)$/.exec(line.trim());
      if (match?.[1]) values[match[1]] = match[2]!.replace(/^["']|["']$/g, '');
    }
  }
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && /^[A-Z0-9_]+$/.test(key)) values[key] = value;
  }
  return values;
}

export function requireInfra(key: string): string {
  const value = infraEnv()[key];
  if (!value) throw new Error(`${key} is not set: run scripts/infra/up.sh (or scripts/test.sh) first`);
  return value;
}

export interface TestDatabase {
  url: string;
  pool: Pool;
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function adminQuery(adminUrl: string, sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

/**
 * A fresh database for one test file, cloned from a template that holds the service's migrations.
 * The template's name carries a hash of the migration files, so a changed migration makes a new one.
 */
export async function createTestDatabase(options: {
  database: string;
  /** Where to look for db/<database> (import.meta.dirname of the test). */
  fromDir?: string;
  /** Explicit migration folders instead of db/shared + db/<database>. */
  dirs?: string[];
  poolSize?: number;
}): Promise<TestDatabase> {
  const adminUrl = requireInfra('PG_ADMIN_URL');
  const dirs = options.dirs ?? migrationDirs(options.database, options.fromDir ?? process.cwd());
  const migrations = await readMigrations(dirs);
  const hash = createHash('sha256')
    .update(migrations.map((m) => `${m.version}:${m.checksum}`).join('\n'))
    .digest('hex')
    .slice(0, 12);
  const template = `tpl_${options.database}_${hash}`;

  // One process at a time builds a template; the others wait on the lock and then find it.
  const lockClient = new pg.Client({ connectionString: adminUrl });
  await lockClient.connect();
  try {
    await lockClient.query('SELECT pg_advisory_lock(hashtext($1))', [template]);
    const exists = await lockClient.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (exists.rowCount === 0) {
      const building = `${template}_building_${randomBytes(3).toString('hex')}`;
      await lockClient.query(`CREATE DATABASE ${building}`);
      const pool = createPool({ connectionString: withDatabase(adminUrl, building), max: 1 });
      try {
        await runMigrations(pool, dirs);
      } finally {
        await pool.end();
      }
      await lockClient.query(`ALTER DATABASE ${building} RENAME TO ${template}`);
    }
  } finally {
    await lockClient.query('SELECT pg_advisory_unlock(hashtext($1))', [template]).catch(() => undefined);
    await lockClient.end();
  }

  const name = `t_${options.database}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name} TEMPLATE ${template}`);
  const url = withDatabase(adminUrl, name);
  const pool = createPool({ connectionString: url, max: options.poolSize ?? 5 });
  return {
    url,
    pool,
    async drop() {
      await pool.end();
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** A random secret of the right length for test configuration. */
export function testSecret(): string {
  return randomBytes(24).toString('hex');
}
export { freePortRange } from './free-ports.js';
export { closedPortUrl, startHealthStandIn } from './service-stand-ins.js';
export { rawHttpExchange, type RawAnswer } from './raw-http.js';
export { refusalOf } from './refusal.js';
export { eventsConsumed, waitForConsumerGroup } from './kafka-group.js';
export {
  startDedicatedKafka,
  startDedicatedPostgres,
  startDedicatedRedis,
  startStallingProxy,
  waitFor,
  type DedicatedServer,
} from './dedicated-servers.js';
export {
  startChatCompletionsStandIn,
  startBedrockStandIn,
  type LlmStandIn,
  type StandInRequest,
  type StandInReply,
  type StandInAnswer,
  type ChatCompletionsBody,
  type ConverseBody,
} from './llm-stand-ins.js';
