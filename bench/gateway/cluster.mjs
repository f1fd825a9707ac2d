// Runs the built gateway in WORKERS processes sharing one port (node:cluster); Redis keeps the rate
// limit and revocations exact across them.
import cluster from 'node:cluster';
import { fileURLToPath } from 'node:url';

const workers = Number(process.env.WORKERS ?? 2);
if (cluster.isPrimary) {
  for (let i = 0; i < workers; i++) cluster.fork();
  process.on('SIGTERM', () => {
    // Workers close their servers through the primary, so it stays until the last one has exited.
    cluster.on('exit', () => {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    });
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  });
} else {
  await import(fileURLToPath(new URL('../../services/gateway/dist/main.js', import.meta.url)));
}
