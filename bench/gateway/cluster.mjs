// Runs the built gateway in WORKERS processes sharing one port (node:cluster); Redis keeps the rate
// limit and revocations exact across them.
import cluster from 'node:cluster';
import { fileURLToPath } from 'node:url';

const workers = Number(process.env.WORKERS ?? 2);
if (cluster.isPrimary) {
  for (let i = 0; i < workers; i++) cluster.fork();
  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    process.exit(0);
  });
} else {
  await import(fileURLToPath(new URL('../../services/gateway/dist/main.js', import.meta.url)));
}
