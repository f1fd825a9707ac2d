import { describe, expect, it } from 'vitest';
import { formatLogLine } from '../src/log-format.js';

describe('formatLogLine', () => {
  const pretty = { format: 'pretty' as const, colour: false };

  it('prints a pino line as time, level, service, message and the remaining fields', () => {
    const line = JSON.stringify({ level: 30, time: '2026-01-02T03:04:05.000Z', service: 'quiz', pid: 1, msg: 'listening', port: 5005 });
    expect(formatLogLine('quiz', line, pretty)).toBe('03:04:05 INFO  quiz     | listening port=5005');
  });

  it('keeps the stack of an error below the line', () => {
    const line = JSON.stringify({ level: 50, time: 0, msg: 'failed', err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at x' } });
    const text = formatLogLine('chat', line, pretty);
    expect(text).toContain('ERROR chat     | failed err="Error: boom"');
    expect(text).toContain('\n    Error: boom');
  });

  it('passes lines that are not JSON through with the service name', () => {
    expect(formatLogLine('tts', 'Node.js v20', pretty)).toBe('tts      | Node.js v20');
  });
});
