import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import newman, { type NewmanRunSummary } from 'newman';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '@learner/common/testing';
import { startPlatform, type Platform } from './platform-harness.js';

const postmanDir = join(repoRoot(), 'tests', 'postman');

let platform: Platform;

beforeAll(async () => {
  platform = await startPlatform();
}, 240_000);

afterAll(async () => {
  await platform?.stop();
}, 60_000);

function runCollection(baseUrl: string): Promise<NewmanRunSummary> {
  const collection = JSON.parse(readFileSync(join(postmanDir, 'learner-platform.postman_collection.json'), 'utf8'));
  return new Promise((resolve, reject) => {
    newman.run(
      {
        collection,
        envVar: [{ key: 'baseUrl', value: baseUrl }],
        // The upload's form-data file is found relative to the collection's folder.
        workingDir: postmanDir,
        reporters: [],
        timeoutRequest: 30_000,
      },
      (err, summary) => (err ? reject(err) : resolve(summary)),
    );
  });
}

describe('the Postman collection', () => {
  it('runs the whole learner journey through the gateway with newman, every assertion passing', async () => {
    const summary = await runCollection(platform.gatewayUrl);
    const failures = summary.run.failures.map((f) => `${f.source?.name ?? '?'}: ${f.error.test ?? ''} ${f.error.message}`);
    expect(failures).toEqual([]);
    const executed = summary.run.executions.map((e) => e.item.name);
    // Every request ran, the status poll at least once.
    for (const name of ['Register', 'Upload a text document', 'Poll until processed', 'Ask a question', 'Submit answers', 'Synthesize', 'Read-aloud practice']) {
      expect(executed).toContain(name);
    }
    expect(executed).toContain('The token is refused after logout');
    expect(executed.at(-1)).toBe('Follow the erasure');
    expect(summary.run.stats.assertions.total).toBeGreaterThanOrEqual(18);
    expect(summary.run.stats.assertions.failed).toBe(0);
  }, 120_000);
});
