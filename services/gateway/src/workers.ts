import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '@learner/common/logger';

/** How long a worker that crashed waits before its replacement starts, so a crash loop cannot spin. */
const RESTART_DELAY_MS = 1_000;

/**
 * The primary of a gateway run as several processes sharing one port (node:cluster). It keeps
 * `count` workers alive, replacing any that exit, and on SIGTERM/SIGINT stops them and exits once
 * the last has finished its requests. The workers run the ordinary gateway; Redis keeps the rate
 * limit and revocations exact across them.
 */
export function superviseWorkers(options: { count: number; logger: Logger; deadlineMs?: number }): void {
  const { count, logger } = options;
  let stopping = false;

  const fork = (): Worker => {
    const worker = cluster.fork();
    worker.once('exit', (code, signal) => {
      if (stopping) {
        if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
        return;
      }
      logger.error({ pid: worker.process.pid, code, signal }, 'gateway worker exited; starting another');
      setTimeout(fork, RESTART_DELAY_MS).unref();
    });
    return worker;
  };

  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, workers: count }, 'stopping gateway workers');
    setTimeout(() => process.exit(1), options.deadlineMs ?? 10_000).unref();
    const workers = Object.values(cluster.workers ?? {});
    if (workers.length === 0) process.exit(0);
    for (const worker of workers) worker?.process.kill('SIGTERM');
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  for (let i = 0; i < count; i++) fork();
  logger.info({ workers: count }, 'gateway workers started');
}
