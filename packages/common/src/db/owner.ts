import { AsyncLocalStorage } from 'node:async_hooks';

const owners = new AsyncLocalStorage<string>();

/**
 * Runs `work` on behalf of `owner` (a user id): the database connections it asks for while the pool
 * is busy are handed out in turn with other owners' (see createPool), not first come first served.
 */
export function asOwner<T>(owner: string, work: () => T): T {
  return owners.run(owner, work);
}

/** The owner of the work running now, or undefined outside of asOwner. */
export function currentOwner(): string | undefined {
  return owners.getStore();
}
