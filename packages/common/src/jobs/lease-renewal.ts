/** The shortest renewal period, so a very short lease (tests) does not flood the database. */
const MIN_RENEW_MS = 100;

/**
 * Keeps a lease held while its work runs: `renew` is called every third of `leaseMs` (at least
 * MIN_RENEW_MS apart), one call at a time, until `stop`, or until `maxMs` has passed since the start
 * so that work that never settles lets its lease run out. `renew` handles its own errors.
 */
export function renewLease(leaseMs: number, renew: () => Promise<void>, options: { maxMs?: number } = {}): { stop(): Promise<void> } {
  const started = Date.now();
  const maxMs = options.maxMs ?? Number.POSITIVE_INFINITY;
  let renewing: Promise<void> = Promise.resolve();
  const timer = setInterval(
    () => {
      if (Date.now() - started >= maxMs) return clearInterval(timer);
      renewing = renewing.then(renew);
    },
    Math.max(MIN_RENEW_MS, Math.floor(leaseMs / 3)),
  );
  return {
    async stop() {
      clearInterval(timer);
      await renewing;
    },
  };
}
