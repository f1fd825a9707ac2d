import { resolve } from 'node:path';
import { z } from 'zod';
import { envFields, parseConfig, type Env } from '@learner/common/config';
import { SERVICES, type ServiceName } from './service-catalogue.js';

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
});

export interface LauncherConfig {
  root: string;
  dataDir: string;
  portBase: number;
  dbPortBase: number;
  templateDir: string;
  logFormat: 'pretty' | 'json';
  services: ServiceName[];
  startupTimeoutMs: number;
}

export function loadLauncherConfig(env: Env, root: string): LauncherConfig {
  const parsed = parseConfig(schema, env);
  const dataDir = resolve(root, parsed.LEARNER_DATA_DIR);
  return {
    root,
    dataDir,
    portBase: parsed.PORT_BASE,
    dbPortBase: parsed.EMBEDDED_DB_PORT_BASE,
    templateDir: resolve(root, parsed.PGLITE_TEMPLATE_DIR ?? `${dataDir}/pglite/.template`),
    logFormat: parsed.LAUNCHER_LOG_FORMAT,
    services: parsed.LAUNCHER_SERVICES,
    startupTimeoutMs: parsed.STARTUP_TIMEOUT_MS,
  };
}
