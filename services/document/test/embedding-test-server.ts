import { createServer } from 'node:net';
import { requireInfra } from '@learner/common/testing';

/** The local embedding server started by scripts/infra/up.sh (bge-small-en-v1.5, scripts/infra/embeddings-server.py). */
export function embeddingsBaseUrl(): string {
  return requireInfra('EMBEDDINGS_BASE_URL');
}

/** An address where nothing listens: an embedding server that is down. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/v1`;
}
