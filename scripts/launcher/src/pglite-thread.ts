import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * One PGlite database in its own thread, so six databases use both cores and a long query in one
 * does not hold up the launcher or the others.
 */
export type ThreadJob =
  | { mode: 'initialise'; dataDir: string }
  | { mode: 'serve'; dataDir: string; host: string; port: number; maxConnections: number };

export type ThreadMessage =
  | { type: 'ready'; host: string; port: number }
  | { type: 'initialised' }
  | { type: 'stopped' }
  | { type: 'failed'; message: string };

const job = workerData as ThreadJob;
const port = parentPort;
if (!port) throw new Error('pglite-thread runs in a thread of its own (node:worker_threads)');
const post = (message: ThreadMessage): void => port.postMessage(message);

try {
  // 1 MB WAL segments instead of 16: the empty template is copied once per database, so it is
  // kept small (about 24 MB instead of 39).
  const db = await PGlite.create({
    dataDir: job.dataDir,
    ...(job.mode === 'initialise' ? { initDbStartParams: ['--wal-segsize=1'] } : {}),
  });
  if (job.mode === 'initialise') {
    await db.close();
    post({ type: 'initialised' });
  } else {
    const server = new PGLiteSocketServer({
      db,
      host: job.host,
      port: job.port,
      maxConnections: job.maxConnections,
    });
    await server.start();
    const [, listening] = /:(\d+)$/.exec(server.getServerConn()) ?? [];
    port.on('message', (message: unknown) => {
      if (message !== 'stop') return;
      // Closing PGlite is what writes the last changes to its folder.
      void server
        .stop()
        .then(() => db.close())
        .then(() => post({ type: 'stopped' }), (err: unknown) => post({ type: 'failed', message: String(err) }))
        .finally(() => port.close());
    });
    post({ type: 'ready', host: job.host, port: Number(listening) });
  }
} catch (err) {
  post({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
  port.close();
}
