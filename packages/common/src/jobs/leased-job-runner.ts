import type { Logger } from 'pino';
import { renewLease } from './lease-renewal.js';

/**
 * The table side of a job queue. A claim leases the job for `leaseMs`; a job whose lease ran out
 * (its worker died) can be claimed again, so each claim must be told apart from the previous ones
 * (an attempt number or a lease token) and every write that finishes a job checks it still holds it.
 */
export interface LeasedJobQueue<J> {
  /** The next waiting job, or one whose lease ran out, now leased for `leaseMs`; undefined when none waits. */
  claim(leaseMs: number): Promise<J | undefined>;
  /** Extends the lease; false when the claim was lost (the job was deleted, re-queued or taken over). */
  renew(job: J, leaseMs: number): Promise<boolean>;
}

export interface LeasedJobContext {
  /** Aborted when the lease was lost or the runner is stopping; see `leaseLost` and `stopping`. */
  readonly signal: AbortSignal;
  /** Another claim may hold the job now: nobody wants this run's result. */
  readonly leaseLost: boolean;
  /** The runner is stopping; the job may be handed back to the queue or finished. */
  readonly stopping: boolean;
}

export interface LeasedJobRunnerOptions<J> {
  /** Names the jobs in logs ("document processing", "transcription"). */
  name: string;
  queue: LeasedJobQueue<J>;
  /** Does the job and records its outcome (completed, failed, released) through the queue's table. */
  run(job: J, context: LeasedJobContext): Promise<void>;
  /** Fields that name a job in logs. */
  describe?(job: J): Record<string, unknown>;
  logger?: Logger;
  /** Jobs run at once by this runner. */
  concurrency?: number;
  /** How long an idle runner waits before it looks for jobs again. */
  pollMs?: number;
  /** How long a claim lasts without renewal; renewed every third of it while the job runs. */
  leaseMs?: number;
}

export interface LeasedJobRunner {
  start(): void;
  /** Looks for waiting jobs now instead of at the next poll. */
  wake(): void;
  /** Stops claiming, aborts the jobs in hand's signals (`stopping`) and waits for them to return. */
  stop(): Promise<void>;
}

/**
 * Runs jobs that live in a database table, outside the requests that queued them. A job is claimed
 * with a lease that is renewed while it runs; when the process dies, the lease runs out and the next
 * runner (after a restart, or in another replica) claims the job again. State lives only in the table.
 */
export function createLeasedJobRunner<J>(options: LeasedJobRunnerOptions<J>): LeasedJobRunner {
  const { queue, name, logger } = options;
  const concurrency = options.concurrency ?? 1;
  const pollMs = options.pollMs ?? 1000;
  const leaseMs = options.leaseMs ?? 60_000;
  const describe = options.describe ?? (() => ({}));

  let running = false;
  let stopping = new AbortController();
  let loops: Promise<void>[] = [];
  let wakers = new Set<() => void>();

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      wakers.add(done);
    });

  const runOne = async (job: J, stop: AbortSignal): Promise<void> => {
    const lost = new AbortController();
    const signal = AbortSignal.any([lost.signal, stop]);
    const context: LeasedJobContext = {
      signal,
      get leaseLost() {
        return lost.signal.aborted;
      },
      get stopping() {
        return stop.aborted;
      },
    };
    const heartbeat = renewLease(leaseMs, () =>
      queue.renew(job, leaseMs).then(
        (held) => {
          if (!held) lost.abort();
        },
        (err: unknown) => logger?.warn({ err, ...describe(job) }, `could not renew the lease of a ${name} job`),
      ),
    );
    try {
      await options.run(job, context);
    } catch (err) {
      // The run records its own outcome; reaching here means that bookkeeping failed (the database
      // went away). The lease runs out and the job is claimed again.
      logger?.warn({ err, ...describe(job) }, `${name} job failed without recording its outcome; its lease will run out`);
    } finally {
      // Not waited for: the run has recorded its outcome, a renewal still in flight changes nothing.
      void heartbeat.stop();
    }
  };

  const loop = async (stop: AbortSignal): Promise<void> => {
    while (!stop.aborted) {
      try {
        const job = await queue.claim(leaseMs);
        if (job !== undefined) {
          await runOne(job, stop);
          continue;
        }
      } catch (err) {
        logger?.warn({ err }, `could not claim ${name} jobs; will retry`);
      }
      if (!stop.aborted) await sleep(pollMs);
    }
  };

  const wakeAll = (): void => {
    for (const w of [...wakers]) w();
  };

  return {
    start() {
      if (running) return;
      running = true;
      stopping = new AbortController();
      wakers = new Set();
      const stop = stopping.signal;
      loops = Array.from({ length: concurrency }, () => loop(stop));
    },
    wake: wakeAll,
    async stop() {
      if (!running) return;
      running = false;
      stopping.abort();
      wakeAll();
      await Promise.all(loops);
      loops = [];
    },
  };
}
