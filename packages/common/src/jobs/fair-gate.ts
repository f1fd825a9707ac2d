/** Runs in-process tasks a few at a time, taking their users in turn. */
export interface FairGate {
  /** Runs `task` once a place is free and `owner`'s turn has come; settles as the task does. */
  run<T>(owner: string, task: () => Promise<T>): Promise<T>;
  /** Tasks waiting for a place, all users together. */
  readonly waiting: number;
  /**
   * Whether a task of `owner` may join now: with `queue` set, no more than `concurrency + queue`
   * tasks are held (running or waiting), and one user holds no more than `concurrency` plus half the
   * queue, so that the rest of the queue stays open to the other users. Without `queue`, always.
   */
  admits(owner: string): boolean;
}

interface Waiting {
  start(): void;
}

interface Owner {
  queue: Waiting[];
  running: number;
  /** When the user was last given a place (a counter); -1 before the first. */
  lastServed: number;
}

/**
 * The in-process counterpart of fairNextJobSql: at most `concurrency` tasks run at once, and when a
 * place frees, the user with the fewest tasks running, then the one served least recently, starts
 * their oldest waiting task. One user's many requests thereby wait behind each other, not in front
 * of another user's single one.
 */
export function createFairGate(options: { concurrency: number; queue?: number }): FairGate {
  const concurrency = Math.max(1, options.concurrency);
  const queue = options.queue === undefined ? Infinity : Math.max(0, options.queue);
  const perOwner = concurrency + Math.ceil(queue / 2);
  const owners = new Map<string, Owner>();
  let running = 0;
  let waiting = 0;
  let served = 0;

  const next = (): void => {
    while (running < concurrency) {
      let chosen: Owner | undefined;
      for (const owner of owners.values()) {
        if (owner.queue.length === 0) continue;
        if (!chosen || owner.running < chosen.running || (owner.running === chosen.running && owner.lastServed < chosen.lastServed)) {
          chosen = owner;
        }
      }
      if (!chosen) return;
      const task = chosen.queue.shift()!;
      waiting -= 1;
      running += 1;
      chosen.running += 1;
      chosen.lastServed = served++;
      task.start();
    }
  };

  return {
    get waiting() {
      return waiting;
    },
    admits(ownerId: string): boolean {
      const owner = owners.get(ownerId);
      const held = owner ? owner.running + owner.queue.length : 0;
      return running + waiting < concurrency + queue && held < perOwner;
    },
    run<T>(ownerId: string, task: () => Promise<T>): Promise<T> {
      let owner = owners.get(ownerId);
      if (!owner) {
        owner = { queue: [], running: 0, lastServed: -1 };
        owners.set(ownerId, owner);
      }
      const held = owner;
      return new Promise<T>((resolve, reject) => {
        held.queue.push({
          start() {
            void (async () => {
              try {
                resolve(await task());
              } catch (err) {
                reject(err instanceof Error ? err : new Error(String(err)));
              } finally {
                running -= 1;
                held.running -= 1;
                // A user with nothing left is forgotten; coming back, they count as not served yet.
                if (held.running === 0 && held.queue.length === 0) owners.delete(ownerId);
                next();
              }
            })();
          },
        });
        waiting += 1;
        next();
      });
    },
  };
}
