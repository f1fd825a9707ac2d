import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asOwner, createPool, withTransaction, type Pool } from '../src/db/index.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.js';

let db: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  db = await createTestDatabase({ database: 'common_fair_pool', dirs: [] });
  // One connection, as the embedded database has.
  pool = createPool({ connectionString: db.url, max: 1, connectionTimeoutMs: 20_000 });
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

describe('a pool of one connection shared by users', () => {
  it("serves another user's query next, not after the busy user's whole queue", async () => {
    const finished: string[] = [];
    const query = (owner: string, name: string): Promise<void> =>
      asOwner(owner, async () => {
        await pool.query('SELECT pg_sleep(0.05)');
        finished.push(name);
      });
    const heavy = Array.from({ length: 8 }, (_, i) => query('heavy', `heavy-${i}`));
    // Sent once the heavy user's queries are all waiting.
    await new Promise((resolve) => setImmediate(resolve));
    const light = query('light', 'light');
    await Promise.all([...heavy, light]);
    expect(finished.indexOf('light')).toBeLessThanOrEqual(1);
    expect(finished.filter((f) => f.startsWith('heavy'))).toEqual(Array.from({ length: 8 }, (_, i) => `heavy-${i}`));
  });

  it('gives a transaction one connection for its whole length and frees it after a failure', async () => {
    await expect(
      asOwner('a', () =>
        withTransaction(pool, async (tx) => {
          await tx.query('SELECT 1');
          throw new Error('the work failed');
        }),
      ),
    ).rejects.toThrow('the work failed');
    const { rows } = await asOwner('b', () => pool.query<{ n: number }>('SELECT 2 AS n'));
    expect(rows[0]?.n).toBe(2);
  });

  it('answers a caller who waited too long with the timeout error that means the database is busy', async () => {
    const short = createPool({ connectionString: db.url, max: 1, connectionTimeoutMs: 100 });
    try {
      const holding = withTransaction(short, (tx) => tx.query('SELECT pg_sleep(0.5)'));
      await expect(asOwner('other', () => short.query('SELECT 1'))).rejects.toThrow(/timeout exceeded when trying to connect/);
      await holding;
      // The place the timed-out caller was queued for is not lost.
      expect((await short.query<{ n: number }>('SELECT 3 AS n')).rows[0]?.n).toBe(3);
    } finally {
      await short.end();
    }
  });
});
