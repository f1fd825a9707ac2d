import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import type { Env } from '@learner/common/config';

/**
 * The environment the platform runs with: `.env` (when present) under the process environment,
 * so a variable set on the command line wins over the file, as with dotenv.
 */
export function environmentWithFile(file: string, env: Env): Env {
  if (!existsSync(file)) return { ...env };
  return { ...parseEnv(readFileSync(file, 'utf8')), ...env };
}
