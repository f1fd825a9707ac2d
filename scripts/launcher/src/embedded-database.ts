import { cpSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ThreadJob, ThreadMessage } from './pglite-thread.js';

const THREAD_FILE = new URL('./pglite-thread.js', import.meta.url);

export interface EmbeddedDatabase {
  name: string;
  url: string;
  /** Resolves when the database's thread ends, asked to or not. */
  exited: Promise<void>;
  /** Stops accepting connections and closes PGlite, which persists the folder. */
  stop(): Promise<void>;
}

function runThread(job: ThreadJob, until: ThreadMessage['type']): { thread: Worker; done: Promise<ThreadMessage> } {
  const thread = new Worker(THREAD_FILE, { workerData: job });
  const done = new Promise<ThreadMessage>((resolve, reject) => {
    const onMessage = (message: ThreadMessage): void => {
      if (message.type === until) {
        thread.off('message', onMessage);
        resolve(message);
      } else if (message.type === 'failed') reject(new Error(message.message));
    };
    thread.on('message', onMessage);
    thread.once('error', reject);
    thread.once('exit', (code) => reject(new Error(`PGlite thread exited with code ${code} before it was ${until}`)));
  });
  return { thread, done };
}

/**
 * Creating a PGlite database runs initdb, which takes ~12 s of CPU; copying an initialised empty
 * folder takes ~1 s. The template is built once, into a temporary folder renamed into place, so a
 * half-built template is never used.
 */
export async function ensureTemplate(templateDir: string): Promise<void> {
  if (existsSync(templateDir)) return;
  const building = `${templateDir}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(dirname(templateDir), { recursive: true });
  const { done } = runThread({ mode: 'initialise', dataDir: building }, 'initialised');
  await done;
  try {
    renameSync(building, templateDir);
  } catch (err) {
    // Another launcher finished first; its template is as good.
    rmSync(building, { recursive: true, force: true });
    if (!existsSync(templateDir)) throw err;
  }
}

export async function startEmbeddedDatabase(options: {
  name: string;
  dataDir: string;
  templateDir: string;
  port: number;
}): Promise<EmbeddedDatabase> {
  if (!existsSync(options.dataDir)) {
    mkdirSync(dirname(options.dataDir), { recursive: true });
    cpSync(options.templateDir, options.dataDir, { recursive: true });
  }
  const host = '127.0.0.1';
  // PGlite serves one session; the services use a pool of one. The second slot only covers a
  // reconnect arriving before the server has seen the previous socket close.
  const { thread, done } = runThread(
    { mode: 'serve', dataDir: options.dataDir, host, port: options.port, maxConnections: 2 },
    'ready',
  );
  const ready = await done.catch(async (err: unknown) => {
    await thread.terminate();
    throw new Error(`embedded database ${options.name} did not start: ${(err as Error).message}`, { cause: err });
  });
  const port = ready.type === 'ready' ? ready.port : options.port;
  const exited = new Promise<void>((resolve) => thread.once('exit', () => resolve()));
  let stopping: Promise<void> | undefined;
  return {
    name: options.name,
    url: `postgres://postgres@${host}:${port}/postgres`,
    exited,
    stop() {
      stopping ??= (async () => {
        const timer = setTimeout(() => void thread.terminate(), 15_000);
        thread.postMessage('stop');
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}
