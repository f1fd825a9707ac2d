import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, envFields, parseConfig, type Env } from '@learner/common/config';
import { SERVICES, databaseUrlKey, type ServiceName } from './service-catalogue.js';

const schema = z.object({
  LEARNER_DATA_DIR: z.string().default('.data').describe('where embedded databases, files and secrets are kept'),
  PORT_BASE: envFields.port(5000).describe('the gateway port; the other services follow it (5001–5005)'),
  EMBEDDED_DB_PORT_BASE: envFields
    .port(55431)
    .describe('first port of the embedded PGlite servers, one per database; 0 = any free port'),
  PGLITE_TEMPLATE_DIR: z.string().optional().describe('an initialised empty PGlite folder copied for each new database'),
  LAUNCHER_LOG_FORMAT: z.enum(['pretty', 'json']).default('pretty').describe('how service logs are printed'),
  LAUNCHER_SERVICES: envFields
    .list(SERVICES.map((s) => s.name))
    .pipe(z.array(z.enum(SERVICES.map((s) => s.name))))
    .describe('the services to start, comma-separated; default all six'),
  STARTUP_TIMEOUT_MS: envFields.int(180_000, 1000).describe('how long a service may take to answer /health'),
  REPLICAS: envFields.int(1, 1).describe('processes per service (<SERVICE>_REPLICAS for one service); more than 1 needs server databases, Kafka and Redis'),
  REPLICA_PORT_BASE: envFields.port(5100).describe('first port of the extra replicas (replica r of the service at index i: base + (r-2)·6 + i)'),
});

/** The replicas asked for each service: `<SERVICE>_REPLICAS`, else REPLICAS. */
function replicaCounts(env: Env, all: number): Record<ServiceName, number> {
  return Object.fromEntries(
    SERVICES.map((s) => {
      const key = `${s.name.toUpperCase()}_REPLICAS`;
      const count = parseConfig(z.object({ [key]: envFields.int(all, 1).describe(`processes of the ${s.name} service`) }), env)[key] as number;
      return [s.name, count];
    }),
  ) as Record<ServiceName, number>;
}

/** Several processes of a service share its database, its events and (the gateway's) limits: only servers do that. */
function checkReplicas(env: Env, replicas: Record<ServiceName, number>): void {
  for (const s of SERVICES) {
    if (replicas[s.name] <= 1) continue;
    const missing = [
      ...(env[databaseUrlKey(s.name)] ? [] : [databaseUrlKey(s.name)]),
      ...(env.KAFKA_BOOTSTRAP_SERVERS ? [] : ['KAFKA_BOOTSTRAP_SERVERS']),
      ...(env.REDIS_URL ? [] : ['REDIS_URL']),
    ];
    if (missing.length) {
      throw new ConfigError([`${s.name.toUpperCase()}_REPLICAS: more than one ${s.name} process needs ${missing.join(', ')} (the embedded stand-ins serve one process)`]);
    }
  }
}

export interface LauncherConfig {
  root: string;
  dataDir: string;
  portBase: number;
  dbPortBase: number;
  templateDir: string;
  logFormat: 'pretty' | 'json';
  services: ServiceName[];
  startupTimeoutMs: number;
  /** Processes per service; 1 unless REPLICAS or <SERVICE>_REPLICAS says more. */
  replicas: Record<ServiceName, number>;
  replicaPortBase: number;
}

export function loadLauncherConfig(env: Env, root: string): LauncherConfig {
  const parsed = parseConfig(schema, env);
  const dataDir = resolve(root, parsed.LEARNER_DATA_DIR);
  const replicas = replicaCounts(env, parsed.REPLICAS);
  checkReplicas(env, replicas);
  return {
    root,
    dataDir,
    portBase: parsed.PORT_BASE,
    dbPortBase: parsed.EMBEDDED_DB_PORT_BASE,
    templateDir: resolve(root, parsed.PGLITE_TEMPLATE_DIR ?? `${dataDir}/pglite/.template`),
    logFormat: parsed.LAUNCHER_LOG_FORMAT,
    services: parsed.LAUNCHER_SERVICES,
    startupTimeoutMs: parsed.STARTUP_TIMEOUT_MS,
    replicas,
    replicaPortBase: parsed.REPLICA_PORT_BASE,
  };
}
