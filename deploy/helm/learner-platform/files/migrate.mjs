// Applies the pending migrations of one service's database with the services' own runner, then
// exits. Run from the service's folder in the image (`node --input-type=module -e <this> <service>`):
// its node_modules hold @learner/common, and db/ is found above it.
import { createPool, migrationDirs, runMigrations } from '@learner/common/db';
import { createLogger } from '@learner/common/logger';

const service = process.argv[1];
const logger = createLogger({ service: `${service}-migrations`, level: 'info' });
const pool = createPool({ connectionString: process.env.DATABASE_URL, max: 1, logger });
try {
  const applied = await runMigrations(pool, migrationDirs(service, process.cwd()), logger);
  logger.info({ applied }, applied.length ? 'migrations applied' : 'database up to date');
} finally {
  await pool.end();
}
