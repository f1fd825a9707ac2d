import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Logger } from 'pino';
import type { Pool } from './pool.js';

// Any constant works; it only has to be the same for every process migrating one database.
const MIGRATION_LOCK_KEY = 7_331_001;

export interface MigrationFile {
  version: string;
  sql: string;
  checksum: string;
}

/** Reads `NNNN_<what>.sql` files from each folder, in folder order then file-name order. */
export async function readMigrations(dirs: string[]): Promise<MigrationFile[]> {
  const files: MigrationFile[] = [];
  for (const dir of dirs) {
    const names = (await readdir(dir)).filter((n) => n.endsWith('.sql')).sort();
    for (const name of names) {
      const sql = await readFile(join(dir, name), 'utf8');
      files.push({
        version: `${basename(dir)}/${name}`,
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      });
    }
  }
  return files;
}

export class MigrationChangedError extends Error {
  constructor(version: string) {
    super(`Migration ${version} was changed after it was applied; add a new migration instead`);
    this.name = 'MigrationChangedError';
  }
}

/**
 * Applies pending migrations, each in its own transaction, under a session advisory lock so that
 * several processes starting together apply each file once. Returns the versions applied.
 */
export async function runMigrations(pool: Pool, dirs: string[], logger?: Logger): Promise<string[]> {
  const migrations = await readMigrations(dirs);
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version TEXT PRIMARY KEY,
      checksum TEXT NOT NULL,
      applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ version: string; checksum: string }>(
      'SELECT version, checksum FROM schema_migrations',
    );
    const done = new Map(rows.map((r) => [r.version, r.checksum]));
    for (const migration of migrations) {
      const previous = done.get(migration.version);
      if (previous !== undefined) {
        if (previous !== migration.checksum) throw new MigrationChangedError(migration.version);
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, checksum) VALUES ($1, $2)', [
          migration.version,
          migration.checksum,
        ]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw new Error(`Migration ${migration.version} failed: ${(err as Error).message}`, { cause: err });
      }
      applied.push(migration.version);
      logger?.info({ version: migration.version }, 'migration applied');
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    client.release();
  }
  return applied;
}
