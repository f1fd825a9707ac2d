import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MigrationChangedError, runMigrations } from '../src/db/index.js';
import { createTestDatabase, repoRoot, type TestDatabase } from '../src/testing/index.js';

const sampleDirs = [join(repoRoot(), 'db', 'shared'), join(import.meta.dirname, 'fixtures', 'sample')];

/** Every shared migration on disk, in file-name order, with the sha256 of its text. */
async function sharedMigrations(): Promise<{ version: string; checksum: string }[]> {
  const names = (await readdir(sampleDirs[0]!)).filter((n) => n.endsWith('.sql')).sort();
  return Promise.all(
    names.map(async (name) => ({
      version: `shared/${name}`,
      checksum: createHash('sha256').update(await readFile(join(sampleDirs[0]!, name), 'utf8')).digest('hex'),
    })),
  );
}

const sampleVersions = ['sample/0001_create_notes.sql', 'sample/0002_add_title.sql'];

async function schemaSnapshot(db: TestDatabase): Promise<string> {
  const { rows } = await db.pool.query(
    `SELECT table_name, column_name, data_type, column_default FROM information_schema.columns
     WHERE table_schema = 'public' ORDER BY table_name, column_name`,
  );
  return JSON.stringify(rows);
}

describe('the migration runner', () => {
  const dbs: TestDatabase[] = [];
  afterAll(async () => {
    await Promise.all(dbs.map((db) => db.drop()));
  });

  it('applies every file once and changes nothing when run again', async () => {
    const db = await createTestDatabase({ database: 'empty', dirs: [] });
    dbs.push(db);
    const shared = await sharedMigrations();
    expect(shared.map((m) => m.version)).toContain('shared/0001_create_outbox.sql');
    const first = await runMigrations(db.pool, sampleDirs);
    // The shared folder first, each in file-name order, then the service's own.
    expect(first).toEqual([...shared.map((m) => m.version), ...sampleVersions]);
    const recorded = await db.pool.query('SELECT version, checksum FROM schema_migrations ORDER BY version');
    expect(recorded.rows.filter((r) => r.version.startsWith('shared/'))).toEqual(shared);
    await db.pool.query(`INSERT INTO notes (user_id, body, title) VALUES ('u', 'kept', 't')`);
    const before = await schemaSnapshot(db);
    expect(await runMigrations(db.pool, sampleDirs)).toEqual([]);
    expect(await schemaSnapshot(db)).toBe(before);
    const { rows } = await db.pool.query('SELECT body FROM notes');
    expect(rows).toEqual([{ body: 'kept' }]);
  });

  it('lets several processes start together and applies each file once', async () => {
    const db = await createTestDatabase({ database: 'empty', dirs: [], poolSize: 6 });
    dbs.push(db);
    const results = await Promise.all([1, 2, 3].map(() => runMigrations(db.pool, sampleDirs)));
    const shared = (await sharedMigrations()).map((m) => m.version);
    expect(results.flat().sort()).toEqual([...shared, ...sampleVersions].sort());
  });

  it('refuses to start when an applied migration was edited', async () => {
    const db = await createTestDatabase({ database: 'empty', dirs: [] });
    dbs.push(db);
    const copy = await mkdtemp(join(tmpdir(), 'migrations-'));
    const dir = join(copy, 'sample');
    await cp(sampleDirs[1]!, dir, { recursive: true });
    await runMigrations(db.pool, [dir]);
    await writeFile(join(dir, '0002_add_title.sql'), 'ALTER TABLE notes ADD COLUMN other TEXT;');
    await expect(runMigrations(db.pool, [dir])).rejects.toBeInstanceOf(MigrationChangedError);
    await rm(copy, { recursive: true, force: true });
  });

  it('rolls back a failing migration completely', async () => {
    const db = await createTestDatabase({ database: 'empty', dirs: [] });
    dbs.push(db);
    const copy = await mkdtemp(join(tmpdir(), 'migrations-'));
    const dir = join(copy, 'broken');
    await cp(sampleDirs[1]!, dir, { recursive: true });
    await writeFile(join(dir, '0003_broken.sql'), 'CREATE TABLE half (id INT); SELECT * FROM missing_table;');
    await expect(runMigrations(db.pool, [dir])).rejects.toThrow(/0003_broken/);
    const { rows } = await db.pool.query(`SELECT to_regclass('public.half') AS t`);
    expect(rows[0].t).toBeNull();
    const applied = await db.pool.query('SELECT version FROM schema_migrations ORDER BY version');
    expect(applied.rows.map((r) => r.version)).toEqual(['broken/0001_create_notes.sql', 'broken/0002_add_title.sql']);
    await rm(copy, { recursive: true, force: true });
  });
});
