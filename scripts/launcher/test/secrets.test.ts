import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveSecrets } from '../src/secrets.js';

describe('resolveSecrets', () => {
  const dirs: string[] = [];
  const fileIn = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'learner-secrets-'));
    dirs.push(dir);
    return join(dir, 'nested', 'secrets.json');
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('generates missing secrets once and gives the same ones on the next start', () => {
    const file = fileIn();
    const first = resolveSecrets({}, file);
    const second = resolveSecrets({}, file);
    expect(second).toEqual(first);
    expect(first.JWT_SECRET).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(Object.values(first)).size).toBe(3);
    expect(statSync(file).mode & 0o077).toBe(0);
  });

  it('uses a secret given in the environment and does not store it', () => {
    const file = fileIn();
    const secrets = resolveSecrets({ JWT_SECRET: 'given-secret-of-enough-length' }, file);
    expect(secrets.JWT_SECRET).toBe('given-secret-of-enough-length');
    expect(readFileSync(file, 'utf8')).not.toContain('given-secret-of-enough-length');
  });
});
