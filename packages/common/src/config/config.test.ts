import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, envFields, parseConfig, serviceEnvSchema } from './index.js';

describe('parseConfig', () => {
  it('names every bad key in one error', () => {
    const schema = serviceEnvSchema.extend({ PORT: envFields.port(5005) });
    let error: unknown;
    try {
      parseConfig(schema, { PORT: 'eighty', INTERNAL_TOKEN_SECRET: 'short', LOG_LEVEL: 'loud' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const key of ['PORT', 'INTERNAL_TOKEN_SECRET', 'LOG_LEVEL', 'DATABASE_URL']) expect(problems).toContain(key);
  });

  it('treats empty values as unset so defaults apply', () => {
    const schema = z.object({ PORT: envFields.port(5001), DEBUG: envFields.bool(false), ORIGINS: envFields.list(['a']) });
    expect(parseConfig(schema, { PORT: '', DEBUG: 'yes', ORIGINS: 'x, y' })).toEqual({
      PORT: 5001,
      DEBUG: true,
      ORIGINS: ['x', 'y'],
    });
  });
});
