export {
  createLeasedJobRunner,
  type LeasedJobQueue,
  type LeasedJobContext,
  type LeasedJobRunner,
  type LeasedJobRunnerOptions,
} from './leased-job-runner.js';
