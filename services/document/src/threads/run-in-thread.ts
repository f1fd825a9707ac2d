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
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
      void thread.terminate();
    };
    const timer = setTimeout(() => settle(() => reject(options.failures.timeout())), options.timeoutMs);
    const answer = options.answer;
    thread.on('message', (message: T | { question: unknown }) => {
      if (answer && typeof message === 'object' && message !== null && 'question' in message) {
        answer(message.question).then(
          (reply) => !settled && thread.postMessage({ reply }),
          () => !settled && thread.postMessage({ reply: undefined }),
        );
        return;
      }
      settle(() => resolve(message as T));
    });
    thread.once('error', (err) => settle(() => reject(options.failures.error(err))));
    thread.once('exit', (code) => settle(() => reject(options.failures.exit(code))));
  });
}
