export {
  createLeasedJobRunner,
  type LeasedJobQueue,
  type LeasedJobContext,
  type LeasedJobRunner,
  type LeasedJobRunnerOptions,
} from './leased-job-runner.js';
export { fairNextJobSql, type FairJobTable } from './fair-claim.js';
export { createFairGate, type FairGate } from './fair-gate.js';
