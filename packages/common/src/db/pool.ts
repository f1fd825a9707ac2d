import pg from 'pg';
import type { Logger } from 'pino';
import { createFairGate } from '../jobs/fair-gate.js';
import { currentOwner } from './owner.js';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;
/** Anything that can run a query: the pool, or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'>;

// BIGINT and NUMERIC come back as strings by default; counts and ids here fit in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));

export function createPool(options: {
  connectionString: string;
  max?: number;
  logger?: Logger;
  connectionTimeoutMs?: number;
}): Pool {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection must not crash the process.
  pool.on('error', (err) => options.logger?.warn({ err }, 'idle database client failed'));
  // Nor one that is checked out (a transaction waiting on something else, the outbox relay while
  // it publishes): pg emits the connection's error on the client, with no listener while it is out
  // of the pool. The query in flight fails with that error anyway, and the pool drops the broken
  // client when it is released.
  pool.on('connect', (client) => client.on('error', () => undefined));
  markConnectErrors(pool);
  shareFairly(pool, options.max ?? 10, options.connectionTimeoutMs ?? 5_000);
  return pool;
}

/**
 * Hands the pool's connections out in turn between owners (asOwner, the user a request is for):
 * while all are in use, the next one freed goes to the owner with the fewest in hand, then the one
 * served least recently. With one connection (the embedded database), a user whose queries queue
 * up thereby waits behind their own, not in front of everyone else's. A caller still waiting after
 * `timeoutMs` gets pg's own timeout error, as it would from the pool's queue.
 */
function shareFairly(pool: pg.Pool, max: number, timeoutMs: number): void {
  const gate = createFairGate({ concurrency: max });
  const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
  const acquire = (): Promise<pg.PoolClient> =>
    new Promise<pg.PoolClient>((resolve, reject) => {
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        reject(new Error('timeout exceeded when trying to connect'));
      }, timeoutMs);
      void gate.run(currentOwner() ?? '', () => {
        clearTimeout(timer);
        if (timedOut) return Promise.resolve();
        return new Promise<void>((free) => {
          connect().then(
            (client) => {
              // The pool sets release anew on each checkout; this one frees the turn too, once.
              const release = client.release;
              let freed = false;
              client.release = (err?: Error | boolean) => {
                if (!freed) {
                  freed = true;
                  free();
                }
                return release(err);
              };
              resolve(client);
            },
            (err: unknown) => {
              free();
              reject(err instanceof Error ? err : new Error(String(err)));
            },
          );
        });
      });
    });
  pool.connect = ((callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: (err?: Error | boolean) => void) => void) => {
    if (!callback) return acquire();
    acquire().then(
      (client) => callback(undefined, client, client.release),
      (err: Error) => callback(err, undefined, () => undefined),
    );
    return undefined;
  }) as typeof pool.connect;
}

/**
 * Marks the errors of reaching the server (ECONNREFUSED and the like carry nothing saying they came
 * from the database) with `dependency: 'database'`, so an answer can name what is down. pool.query
 * connects through pool.connect, so both are covered.
 */
function markConnectErrors(pool: pg.Pool): void {
  const connect = pool.connect.bind(pool) as (
    callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void,
  ) => Promise<pg.PoolClient> | undefined;
  const mark = (err: Error): Error => Object.assign(err, { dependency: 'database' });
  pool.connect = ((callback?: Parameters<typeof connect>[0]) => {
    if (callback) return connect((err, client, done) => callback(err ? mark(err) : err, client, done));
    return connect()!.catch((err: Error) => {
      throw mark(err);
    });
  }) as typeof pool.connect;
}

export async function withTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

export async function checkDatabase(pool: Queryable): Promise<void> {
  await pool.query('SELECT 1');
}
