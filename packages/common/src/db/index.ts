export {
  createPool,
  withTransaction,
  checkDatabase,
  type Pool,
  type PoolClient,
  type Queryable,
} from './pool.js';
export { runMigrations, readMigrations, MigrationChangedError, type MigrationFile } from './migrations.js';
export { migrationDirs } from './paths.js';
export { asOwner, currentOwner } from './owner.js';
