import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '@learner/common/logger';

/** How long a process that crashed waits before its replacement starts, so a crash loop cannot spin. */
const RESTART_DELAY_MS = 1_000;

/**
 * The primary of a gateway run as several processes sharing one port (node:cluster). It keeps
 * `count` gateway processes alive, replacing any that exit, and on SIGTERM/SIGINT stops them and
 * exits once the last has finished its requests. Each runs the ordinary gateway; Redis keeps the
 * rate limit and revocations exact across them.
 */
export function superviseProcesses(options: { count: number; logger: Logger; deadlineMs?: number }): void {
  const { count, logger } = options;
  let stopping = false;

  const fork = (): Worker => {
    const child = cluster.fork();
    child.once('exit', (code, signal) => {
      if (stopping) {
        if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
        return;
      }
      logger.error({ pid: child.process.pid, code, signal }, 'gateway process exited; starting another');
      setTimeout(fork, RESTART_DELAY_MS).unref();
    });
    return child;
  };

  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, processes: count }, 'stopping gateway processes');
    setTimeout(() => process.exit(1), options.deadlineMs ?? 10_000).unref();
    const children = Object.values(cluster.workers ?? {});
    if (children.length === 0) process.exit(0);
    for (const child of children) child?.process.kill('SIGTERM');
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  for (let i = 0; i < count; i++) fork();
  logger.info({ processes: count }, 'gateway processes started');
}
