import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The migration folders of one database: the shared tables every service has (outbox,
 * processed events) and the service's own. Found by walking up from `fromDir` to the folder
 * that holds `db/`, so it works from src/ under vitest and from dist/ at run time.
 */
export function migrationDirs(database: string, fromDir: string): string[] {
  let dir = resolve(fromDir);
  for (;;) {
    const candidate = join(dir, 'db', database);
    if (existsSync(candidate)) return [join(dir, 'db', 'shared'), candidate];
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No db/${database} folder above ${fromDir}`);
    dir = parent;
  }
}
