import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Env } from '@learner/common/config';
import { ensureTemplate, startEmbeddedDatabase, type EmbeddedDatabase } from './embedded-database.js';
import type { LauncherConfig } from './launcher-config.js';
import { formatLogLine } from './log-format.js';
import { resolveSecrets } from './secrets.js';
import { SERVICES, databaseUrlKey, type ServiceName } from './service-catalogue.js';
import { spawnService, waitUntilHealthy, type ServiceProcess } from './service-process.js';

export interface Launcher {
  services: ServiceProcess[];
  databases: EmbeddedDatabase[];
  /** Services not started: not built yet (no `services/<name>/dist/main.js`) or not asked for. */
  skipped: ServiceName[];
  /** Where each started service uses its database from: a configured URL or embedded PGlite. */
  databaseModes: Record<string, 'embedded' | 'server'>;
  /** Stops the services, then the databases (which persists them); resolves once all are gone. */
  stop(): Promise<void>;
}

export interface LauncherState {
  pid: number;
  ready: boolean;
  services: { name: string; pid: number; url: string }[];
  databases: { name: string; url: string }[];
}

export function stateFile(dataDir: string): string {
  return join(dataDir, 'launcher.json');
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Two launchers on one data folder would open the same PGlite files twice and corrupt them. */
function claimDataDir(dataDir: string): void {
  const file = stateFile(dataDir);
  if (!existsSync(file)) return;
  const previous = JSON.parse(readFileSync(file, 'utf8')) as Partial<LauncherState>;
  if (typeof previous.pid === 'number' && previous.pid !== process.pid && isRunning(previous.pid)) {
    throw new Error(`the platform is already running from ${dataDir} (launcher pid ${previous.pid})`);
  }
}

export async function startLauncher(options: {
  config: LauncherConfig;
  env: Env;
  /** Receives every line: the launcher's own and the services' logs. */
  print: (line: string) => void;
  colour?: boolean;
  signal?: AbortSignal;
  /** Called for each service or embedded database that ends without being asked to, once started. */
  onDied?: (name: string, code: number | string) => void;
}): Promise<Launcher> {
  const { config, env, print, signal } = options;
  const { root, dataDir } = config;
  mkdirSync(dataDir, { recursive: true });
  claimDataDir(dataDir);
  const secrets = resolveSecrets(env, join(dataDir, 'secrets.json'));

  const portOf = (index: number): number => config.portBase + index;
  const started = SERVICES.map((s, index) => ({ ...s, index, script: join(root, 'services', s.name, 'dist', 'main.js') }))
    .filter((s) => config.services.includes(s.name) && existsSync(s.script));
  const skipped = SERVICES.map((s) => s.name).filter((name) => !started.some((s) => s.name === name));
  const databaseModes = Object.fromEntries(started.map((s) => [s.name, env[databaseUrlKey(s.name)] ? 'server' : 'embedded'] as const));

  const databases: EmbeddedDatabase[] = [];
  const services: ServiceProcess[] = [];
  const expected = new Set<ServiceProcess>();
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      for (const s of services) expected.add(s);
      await Promise.all(services.map((s) => s.stop()));
      await Promise.all(databases.map((d) => d.stop()));
      rmSync(stateFile(dataDir), { force: true });
    })();
    return stopping;
  };
  const writeState = (ready: boolean): void => {
    const state: LauncherState = {
      pid: process.pid,
      ready,
      services: services.map((s) => ({ name: s.name, pid: s.pid, url: s.url })),
      databases: databases.map((d) => ({ name: d.name, url: d.url })),
    };
    // Written whole and renamed, so a reader never sees half a file.
    const file = stateFile(dataDir);
    writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
    renameSync(`${file}.tmp`, file);
  };

  try {
    writeState(false);
    const embedded = started.filter((s) => databaseModes[s.name] === 'embedded');
    if (embedded.length > 0) {
      if (!existsSync(config.templateDir)) print('launcher | initialising the embedded PostgreSQL template (once, ~15 s)');
      await ensureTemplate(config.templateDir);
      signal?.throwIfAborted();
      const opened = await Promise.allSettled(
        embedded.map((s) =>
          startEmbeddedDatabase({
            name: s.name,
            dataDir: join(dataDir, 'pglite', s.name),
            templateDir: config.templateDir,
            port: config.dbPortBase === 0 ? 0 : config.dbPortBase + s.index,
          }),
        ),
      );
      for (const result of opened) if (result.status === 'fulfilled') databases.push(result.value);
      const failed = opened.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
      signal?.throwIfAborted();
    }

    const serviceUrls = Object.fromEntries(SERVICES.map((s, index) => [s.urlKey, `http://127.0.0.1:${portOf(index)}`]));
    // Replica r (from 2) of the service at index i listens on REPLICA_PORT_BASE + (r-2)·6 + i; the
    // callers (the gateway, and the services calling each other) get every replica's address, in turn.
    const replicaPort = (index: number, replica: number): number =>
      replica === 1 ? portOf(index) : config.replicaPortBase + (replica - 2) * SERVICES.length + index;
    const replicaNumbers = (name: ServiceName): number[] => Array.from({ length: name === 'gateway' ? 1 : config.replicas[name] }, (_, r) => r + 1);
    const replicaUrls = Object.fromEntries(
      started.map((s) => [s.urlKey, replicaNumbers(s.name).map((r) => `http://127.0.0.1:${replicaPort(s.index, r)}`).join(',')]),
    );
    const shared: Env = {
      ...env,
      ...secrets,
      ...serviceUrls,
      ...replicaUrls,
      STORAGE_DIR: resolve(root, env.STORAGE_DIR ?? join(dataDir, 'storage')),
      PUBLIC_BASE_URL: env.PUBLIC_BASE_URL ?? `http://localhost:${portOf(0)}`,
    };
    for (const s of started) for (const replica of replicaNumbers(s.name)) {
      const database = databases.find((d) => d.name === s.name);
      const port = replicaPort(s.index, replica);
      const name = replica === 1 ? s.name : `${s.name}-${replica}`;
      const serviceEnv: Env = {
        ...shared,
        PORT: String(port),
        // The gateway's replicas are processes sharing its port (node:cluster).
        ...(s.name === 'gateway' && config.replicas.gateway > 1 ? { PROCESSES: String(config.replicas.gateway) } : {}),
        DATABASE_URL: database ? database.url : env[databaseUrlKey(s.name)],
        ...(database ? { DATABASE_POOL_SIZE: '1' } : {}),
        // Without Kafka each process has its own in-process bus: they hand each other their events over HTTP.
        ...(env.KAFKA_BOOTSTRAP_SERVERS
          ? {}
          : { EVENT_PEERS: started.filter((other) => other.index !== s.index).map((other) => `http://127.0.0.1:${portOf(other.index)}`).join(',') }),
      };
      services.push(
        spawnService({
          name,
          script: s.script,
          cwd: root,
          env: serviceEnv,
          url: `http://127.0.0.1:${port}`,
          writeLine: (line) => print(formatLogLine(name, line, { format: config.logFormat, colour: options.colour ?? false })),
        }),
      );
    }
    writeState(false);
    await Promise.all(services.map((s) => waitUntilHealthy(s, config.startupTimeoutMs, signal)));
    writeState(true);
  } catch (err) {
    await stop();
    throw err;
  }

  for (const s of services) {
    void s.exited.then((code) => {
      if (!expected.has(s)) options.onDied?.(s.name, code);
    });
  }
  for (const d of databases) {
    void d.exited.then(() => {
      if (!stopping) options.onDied?.(`the embedded database of ${d.name}`, 'its thread ended');
    });
  }
  return { services, databases, skipped, databaseModes, stop };
}
