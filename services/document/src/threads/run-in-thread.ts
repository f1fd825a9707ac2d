import { Worker } from 'node:worker_threads';

export interface ThreadFailures {
  timeout: () => Error;
  /** The thread threw or ran out of memory. */
  error: (err: Error) => Error;
  /** The thread ended without answering. */
  exit: (code: number) => Error;
}

/**
 * Runs `source` (CommonJS) in a thread of its own (node:worker_threads) with `workerData` and resolves with the first message
 * it posts that is not a question. A thread that needs something only this side can do posts
 * `{ question }`; `answer` works it out and the thread receives `{ reply }` (undefined when it failed). The thread is ended once it has answered, failed or run past `timeoutMs`; work that
 * would hold the event loop for seconds runs there so the service keeps answering meanwhile.
 * `timeoutMs` bounds the thread's own work: the time it waits for an answer does not count (the
 * answer has deadlines of its own; a long document's notes wait minutes for the embedding server's
 * vectors of its passages on a busy machine, and were failed with the whole document).
 */
export function runInThread<T>(
  source: string,
  workerData: unknown,
  options: { timeoutMs: number; maxOldGenerationSizeMb: number; failures: ThreadFailures; answer?: (question: unknown) => Promise<unknown> },
): Promise<T> {
  return new Promise((resolve, reject) => {
    const thread = new Worker(source, {
      eval: true,
      workerData,
      resourceLimits: { maxOldGenerationSizeMb: options.maxOldGenerationSizeMb },
      stdout: true,
      stderr: true,
    });
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
      void thread.terminate();
    };
    // The thread's time left, counted only while no question of it is being answered.
    let left = options.timeoutMs;
    let since = 0;
    let asking = 0;
    const work = (): void => {
      since = performance.now();
      timer = setTimeout(() => settle(() => reject(options.failures.timeout())), left);
    };
    work();
    const answer = options.answer;
    thread.on('message', (message: T | { question: unknown }) => {
      if (answer && typeof message === 'object' && message !== null && 'question' in message) {
        if (asking++ === 0) {
          clearTimeout(timer);
          left = Math.max(0, left - (performance.now() - since));
        }
        const reply = (value: unknown): void => {
          if (settled) return;
          thread.postMessage({ reply: value });
          if (--asking === 0) work();
        };
        answer(message.question).then(reply, () => reply(undefined));
        return;
      }
      settle(() => resolve(message as T));
    });
    thread.once('error', (err) => settle(() => reject(options.failures.error(err))));
    thread.once('exit', (code) => settle(() => reject(options.failures.exit(code))));
  });
}
