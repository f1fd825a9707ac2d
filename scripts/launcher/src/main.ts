import { join, resolve } from 'node:path';
import { exitOnConfigError } from '@learner/common/config';
import { environmentWithFile } from './env-file.js';
import { startLauncher, type Launcher } from './launcher.js';
import { loadLauncherConfig } from './launcher-config.js';

const root = resolve(import.meta.dirname, '..', '..', '..');
// LAUNCHER_ENV_FILE points elsewhere (tests use it to leave a developer's .env out).
const env = environmentWithFile(resolve(root, process.env.LAUNCHER_ENV_FILE ?? '.env'), process.env);
const config = exitOnConfigError(() => loadLauncherConfig(env, root));
const print = (line: string): void => void process.stdout.write(`${line}\n`);

const abort = new AbortController();
let launcher: Launcher | undefined;
let exitCode = 0;
const shutdown = (signal: string): void => {
  if (abort.signal.aborted) return;
  print(`launcher | ${signal}: stopping`);
  abort.abort();
  if (!launcher) return; // startLauncher sees the abort and cleans up itself
  void launcher.stop().then(() => {
    print('launcher | stopped');
    process.exit(exitCode);
  });
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));

try {
  launcher = await startLauncher({
    config,
    env,
    print,
    colour: process.stdout.isTTY,
    signal: abort.signal,
    onDied: (name, code) => {
      exitCode = 1;
      print(`launcher | ${name} stopped unexpectedly (${code}); the rest keeps running. Ctrl-C stops it.`);
    },
  });
} catch (err) {
  if (abort.signal.aborted) {
    print('launcher | stopped');
    process.exit(0);
  }
  print(`launcher | could not start the platform: ${(err as Error).message}`);
  process.exit(1);
}

const rows = launcher.services.map((s) => {
  const mode = launcher?.databaseModes[s.name] === 'embedded' ? 'PGlite (embedded)' : 'PostgreSQL (configured)';
  return `  ${s.name.padEnd(9)} ${s.url.padEnd(24)} database: ${mode}`;
});
print(
  [
    '',
    'Learner Platform is running. Clients use the gateway:',
    `  ${env.PUBLIC_BASE_URL ?? `http://localhost:${config.portBase}`}   (API under /api/v1, docs at /docs)`,
    '',
    ...rows,
    ...(launcher.skipped.length ? [`  not started (not built, or left out by LAUNCHER_SERVICES): ${launcher.skipped.join(', ')}`] : []),
    '',
    `  rate limits and token revocation: ${env.REDIS_URL ? `Redis ${env.REDIS_URL}` : 'in memory'}`,
    `  events: ${env.KAFKA_BOOTSTRAP_SERVERS ? `Kafka ${env.KAFKA_BOOTSTRAP_SERVERS}` : 'in-process bus'}`,
    `  search: ${env.EMBEDDINGS_BASE_URL || env.EMBEDDINGS_PROVIDER === 'bedrock' ? `hybrid, embeddings from ${env.EMBEDDINGS_PROVIDER === 'bedrock' ? 'Amazon Bedrock' : env.EMBEDDINGS_BASE_URL}` : 'full text only (no embedding server)'}`,
    `  local English voice (without AWS): ${env.HIBARI_URL ? `neural, hibari at ${env.HIBARI_URL} (flite while it is down)` : 'flite (no neural voice server)'}`,
    `  files: ${env.S3_BUCKET ? `S3 bucket ${env.S3_BUCKET}` : `local folder ${resolve(root, env.STORAGE_DIR ?? join(config.dataDir, 'storage'))}`}`,
    `  data kept in ${config.dataDir}`,
    '',
    'Press Ctrl-C to stop.',
    '',
  ].join('\n'),
);
