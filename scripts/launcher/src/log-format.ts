const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const COLOURS: Record<number, string> = { 40: '\x1b[33m', 50: '\x1b[31m', 60: '\x1b[31m' };
const HIDDEN = new Set(['level', 'time', 'pid', 'hostname', 'service', 'msg', 'v']);

function compact(value: unknown): string {
  if (typeof value === 'string') return /\s/.test(value) ? JSON.stringify(value) : value;
  const text = JSON.stringify(value);
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

function timeOf(value: unknown): string {
  const date = typeof value === 'string' || typeof value === 'number' ? new Date(value) : new Date();
  return Number.isNaN(date.getTime()) ? '' : date.toISOString().slice(11, 19);
}

/**
 * One pino JSON line as `12:00:01 INFO  quiz     | message key=value`; the stack of an error is
 * kept on the lines below. Lines that are not JSON are printed as they came.
 */
export function formatLogLine(service: string, line: string, options: { format: 'pretty' | 'json'; colour: boolean }): string {
  const label = service.padEnd(8);
  let record: Record<string, unknown> | undefined;
  if (options.format === 'pretty' && line.startsWith('{')) {
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      record = undefined;
    }
  }
  if (!record) return `${label} | ${line}`;

  const level = typeof record.level === 'number' ? record.level : 30;
  const levelName = (LEVELS[level] ?? String(level)).padEnd(5);
  const fields = Object.entries(record)
    .filter(([key]) => !HIDDEN.has(key))
    .map(([key, value]) => {
      if (key === 'err' && value && typeof value === 'object') {
        const err = value as { type?: string; message?: string };
        return `err=${compact(`${err.type ?? 'Error'}: ${err.message ?? ''}`)}`;
      }
      return `${key}=${compact(value)}`;
    });
  const stack = level >= 50 && typeof (record.err as { stack?: unknown } | undefined)?.stack === 'string'
    ? `\n${String((record.err as { stack: string }).stack).replace(/^/gm, '    ')}`
    : '';
  const text = `${timeOf(record.time)} ${levelName} ${label} | ${String(record.msg ?? '')}${fields.length ? ` ${fields.join(' ')}` : ''}${stack}`;
  const colour = options.colour ? COLOURS[level] : undefined;
  return colour ? `${colour}${text}\x1b[0m` : text;
}
