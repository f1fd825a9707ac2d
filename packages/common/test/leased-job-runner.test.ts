import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLeasedJobRunner, fairNextJobSql, type LeasedJobContext, type LeasedJobQueue, type LeasedJobRunner } from '../src/jobs/index.js';
import { createTestDatabase, repoRoot, type TestDatabase } from '../src/testing/index.js';

/** A job queue table the way the services keep theirs: a claim is told apart by its attempt number. */
interface Job {
  id: number;
  attempts: number;
}

let db: TestDatabase;
const runners: LeasedJobRunner[] = [];

beforeAll(async () => {
  db = await createTestDatabase({ database: 'empty', dirs: [join(repoRoot(), 'db', 'shared')] });
  await db.pool.query(`CREATE TABLE jobs (
    id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    status text NOT NULL DEFAULT 'queued',
    attempts int NOT NULL DEFAULT 0,
    lease_until timestamptz,
    runs text[] NOT NULL DEFAULT '{}')`);
  await db.pool.query(`CREATE TABLE user_jobs (
    id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id text NOT NULL,
    status text NOT NULL DEFAULT 'queued',
    attempts int NOT NULL DEFAULT 0,
    lease_until timestamptz,
    claimed_at timestamptz,
    started_at timestamptz)`);
});
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
  await db.pool.query('DELETE FROM jobs');
  await db.pool.query('DELETE FROM user_jobs');
});
afterAll(async () => {
  await db?.drop();
});

/** Extends the lease of a claim that is still held. */
function renewIn(table: string): LeasedJobQueue<Job>['renew'] {
  return async (job, leaseMs) => {
    const { rowCount } = await db.pool.query(
      `UPDATE ${table} SET lease_until = now() + make_interval(secs => $3::double precision / 1000)
       WHERE id = $1 AND attempts = $2 AND status = 'running'`,
      [job.id, job.attempts, leaseMs],
    );
    return rowCount === 1;
  };
}

const queue: LeasedJobQueue<Job> = {
  async claim(leaseMs) {
    const { rows } = await db.pool.query<Job>(
      `UPDATE jobs SET status = 'running', attempts = attempts + 1,
         lease_until = now() + make_interval(secs => $1::double precision / 1000)
       WHERE id = (SELECT id FROM jobs WHERE status = 'queued' OR (status = 'running' AND lease_until < now())
                   ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING id, attempts`,
      [leaseMs],
    );
    return rows[0];
  },
  renew: renewIn('jobs'),
};

/** Finishes the job only while the claim is still held. */
async function finish(job: Job): Promise<boolean> {
  const { rowCount } = await db.pool.query(
    `UPDATE jobs SET status = 'done', lease_until = NULL WHERE id = $1 AND attempts = $2 AND status = 'running'`,
    [job.id, job.attempts],
  );
  return rowCount === 1;
}

async function recordRun(worker: string, job: Job): Promise<void> {
  await db.pool.query('UPDATE jobs SET runs = runs || $2::text WHERE id = $1', [job.id, worker]);
}

async function enqueue(count: number): Promise<number[]> {
  const { rows } = await db.pool.query<{ id: number }>(
    'INSERT INTO jobs (status) SELECT $1 FROM generate_series(1, $2::int) RETURNING id',
    ['queued', count],
  );
  return rows.map((r) => r.id);
}

async function job(id: number): Promise<{ status: string; attempts: number; runs: string[] }> {
  const { rows } = await db.pool.query<{ status: string; attempts: number; runs: string[] }>(
    'SELECT status, attempts, runs FROM jobs WHERE id = $1',
    [id],
  );
  return rows[0]!;
}

async function waitFor(condition: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function runner(worker: string, run: (job: Job, context: LeasedJobContext) => Promise<void>, extra: { leaseMs?: number; concurrency?: number } = {}): LeasedJobRunner {
  const r = createLeasedJobRunner<Job>({ name: 'test', queue, run, pollMs: 30, leaseMs: extra.leaseMs ?? 300, concurrency: extra.concurrency ?? 1 });
  runners.push(r);
  r.start();
  return r;
}

describe('the leased job runner', () => {
  it('when a worker dies holding a job, its lease runs out and another worker runs the job', async () => {
    const [id] = await enqueue(1);
    // The worker that died claimed the job and never renewed or finished it.
    const dead = await queue.claim(300);
    expect(dead?.id).toBe(id);
    runner('b', async (j) => {
      await recordRun('b', j);
      await finish(j);
    });
    await waitFor(async () => (await job(id!)).status === 'done');
    expect(await job(id!)).toMatchObject({ status: 'done', attempts: 2, runs: ['b'] });
  });

  it('a job that runs for many lease periods stays with its worker: no other worker runs it', async () => {
    const [id] = await enqueue(1);
    const slow = async (worker: string, j: Job): Promise<void> => {
      await recordRun(worker, j);
      await new Promise((r) => setTimeout(r, 1500));
      await finish(j);
    };
    runner('a', (j) => slow('a', j), { leaseMs: 300 });
    runner('b', (j) => slow('b', j), { leaseMs: 300 });
    await waitFor(async () => (await job(id!)).status === 'done');
    const done = await job(id!);
    expect(done.runs).toHaveLength(1);
    expect(done.attempts).toBe(1);
  });

  it('a finished job is never run twice, with several workers running several jobs each', async () => {
    const ids = await enqueue(12);
    for (const w of ['a', 'b', 'c']) {
      runner(
        w,
        async (j) => {
          await recordRun(w, j);
          await new Promise((r) => setTimeout(r, 20));
          await finish(j);
        },
        { concurrency: 2, leaseMs: 200 },
      );
    }
    await waitFor(async () => {
      const { rows } = await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM jobs WHERE status = 'done'");
      return rows[0]!.n === ids.length;
    });
    // Several lease periods later, nothing finished has been claimed again.
    await new Promise((r) => setTimeout(r, 700));
    for (const id of ids) expect(await job(id)).toMatchObject({ status: 'done', attempts: 1, runs: [expect.any(String)] });
  });

  it('when the job is deleted while it runs, the run is told its lease was lost', async () => {
    await enqueue(1);
    const seen: { leaseLost: boolean; stopping: boolean }[] = [];
    runner('a', async (j, context) => {
      await recordRun('a', j);
      await db.pool.query('DELETE FROM jobs WHERE id = $1', [j.id]);
      await new Promise<void>((resolve) => context.signal.addEventListener('abort', () => resolve(), { once: true }));
      seen.push({ leaseLost: context.leaseLost, stopping: context.stopping });
    });
    await waitFor(async () => seen.length === 1);
    expect(seen).toEqual([{ leaseLost: true, stopping: false }]);
  });

  it('stop tells the jobs in hand the runner is stopping and waits for them, and claims nothing more', async () => {
    const [first, second] = await enqueue(2);
    const seen: boolean[] = [];
    const r = runner('a', async (j, context) => {
      await recordRun('a', j);
      await new Promise<void>((resolve) => context.signal.addEventListener('abort', () => resolve(), { once: true }));
      seen.push(context.stopping);
      await db.pool.query("UPDATE jobs SET status = 'queued', attempts = attempts - 1 WHERE id = $1", [j.id]);
    });
    await waitFor(async () => (await job(first!)).runs.length === 1);
    await r.stop();
    expect(seen).toEqual([true]);
    expect(await job(first!)).toMatchObject({ status: 'queued', attempts: 0 });
    expect(await job(second!)).toMatchObject({ status: 'queued', runs: [] });
  });
});

/** A job queue whose jobs belong to users, claimed the fair way. */
const fairQueue: LeasedJobQueue<Job> = {
  async claim(leaseMs) {
    const next = fairNextJobSql({
      table: 'user_jobs',
      owner: 'user_id',
      claimedAt: 'claimed_at',
      claimable: (a) => `(${a}.status = 'queued' OR (${a}.status = 'running' AND ${a}.lease_until < now()))`,
      running: (a) => `(${a}.status = 'running' AND ${a}.lease_until >= now())`,
      order: (a) => `${a}.id`,
    });
    const { rows } = await db.pool.query<Job>(
      `UPDATE user_jobs SET status = 'running', attempts = attempts + 1, claimed_at = now(),
         lease_until = now() + make_interval(secs => $1::double precision / 1000)
       WHERE id = (${next})
       RETURNING id, attempts`,
      [leaseMs],
    );
    return rows[0];
  },
  renew: renewIn('user_jobs'),
};

async function enqueueFor(userId: string, count: number): Promise<number[]> {
  const { rows } = await db.pool.query<{ id: number }>(
    'INSERT INTO user_jobs (user_id) SELECT $1 FROM generate_series(1, $2::int) RETURNING id',
    [userId, count],
  );
  return rows.map((r) => r.id);
}

/** The jobs in the order they started. */
async function startOrder(): Promise<{ userId: string; id: number }[]> {
  const { rows } = await db.pool.query<{ user_id: string; id: number }>(
    'SELECT user_id, id FROM user_jobs WHERE started_at IS NOT NULL ORDER BY started_at, id',
  );
  return rows.map((r) => ({ userId: r.user_id, id: r.id }));
}

function fairRunner(concurrency: number): LeasedJobRunner {
  const r = createLeasedJobRunner<Job>({
    name: 'test',
    queue: fairQueue,
    pollMs: 30,
    leaseMs: 2000,
    concurrency,
    run: async (j) => {
      await db.pool.query('UPDATE user_jobs SET started_at = clock_timestamp() WHERE id = $1', [j.id]);
      await new Promise((resolve) => setTimeout(resolve, 30));
      await db.pool.query("UPDATE user_jobs SET status = 'done', lease_until = NULL WHERE id = $1 AND attempts = $2", [j.id, j.attempts]);
    },
  });
  runners.push(r);
  r.start();
  return r;
}

async function allDone(): Promise<boolean> {
  const { rows } = await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM user_jobs WHERE status <> 'done'");
  return rows[0]!.n === 0;
}

describe('fair claiming across users', () => {
  it("one user's 20 queued jobs do not hold back another user's single job queued after them", async () => {
    await enqueueFor('heavy', 20);
    const [light] = await enqueueFor('light', 1);
    fairRunner(1);
    await waitFor(allDone);
    const order = await startOrder();
    expect(order).toHaveLength(21);
    // Served in turn: the light user's job comes right after the heavy user's first.
    expect(order.findIndex((o) => o.id === light)).toBe(1);
  });

  it("a job queued while two workers go through another user's backlog starts before most of that backlog", async () => {
    await enqueueFor('heavy', 20);
    fairRunner(2);
    await waitFor(async () => (await startOrder()).length >= 3);
    const [light] = await enqueueFor('light', 1);
    await waitFor(allDone);
    const { rows } = await db.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM user_jobs WHERE user_id = 'heavy' AND started_at < (SELECT started_at FROM user_jobs WHERE id = $1)",
      [light],
    );
    // Most of the heavy user's jobs were still waiting when the light user's started.
    expect(rows[0]!.n).toBeLessThan(10);
  });

});
