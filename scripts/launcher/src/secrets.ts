import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Env } from '@learner/common/config';

export const SECRET_KEYS = ['JWT_SECRET', 'INTERNAL_TOKEN_SECRET', 'STORAGE_SIGNING_SECRET'] as const;

/**
 * Secrets not given in the environment are generated once and kept in `file`, so tokens and
 * download links issued before a restart stay valid after it.
 */
export function resolveSecrets(env: Env, file: string): Record<(typeof SECRET_KEYS)[number], string> {
  const stored: Record<string, string> = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
  let changed = false;
  const secrets = {} as Record<(typeof SECRET_KEYS)[number], string>;
  for (const key of SECRET_KEYS) {
    const given = env[key];
    if (given) {
      secrets[key] = given;
      continue;
    }
    if (!stored[key]) {
      stored[key] = randomBytes(32).toString('hex');
      changed = true;
    }
    secrets[key] = stored[key];
  }
  if (changed) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  }
  return secrets;
}
