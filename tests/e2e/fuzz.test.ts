import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@learner/common/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, startPlatform, waitUntil, type Platform } from './platform-harness.js';

// schemathesis from PyPI, installed by scripts/infra/schemathesis.sh (up.sh).
const st = join(repoRoot(), '.infra', 'venv-schemathesis', 'bin', 'st');

let platform: Platform;
let token: string;
let reportDir: string;

beforeAll(async () => {
  if (!existsSync(st)) throw new Error(`${st} is missing: run scripts/infra/up.sh`);
  // One user sends every fuzzed request: the per-user limit would otherwise answer 429 to most.
  platform = await startPlatform({ env: { RATE_LIMIT_REQUESTS: '100000' } });
  const api = apiClient(platform.gatewayUrl);
  const email = `fuzz-${randomBytes(4).toString('hex')}@example.com`;
  const registered = await api('POST', '/api/v1/auth/register', { json: { email, password: 'correct horse battery' } });
  expect(registered.status).toBe(201);
  token = registered.body.data.token;
  reportDir = mkdtempSync(join(tmpdir(), 'learner-fuzz-'));
  // schemathesis.toml in the run's folder: the ids of the account's own things, so that the
  // operations on a quiz, a transcription, a session or a document get past 404 into their logic.
  writeFileSync(join(reportDir, 'schemathesis.toml'), await seedAccount(api));
}, 240_000);

/**
 * Makes what the operations need ids of (a processed document, a quiz from it, a tutor session, a
 * transcription), each twice: the operations that read or change one get the first's id, DELETE
 * gets the second's, so that deleting does not leave the rest of the run with ids that are gone.
 */
async function seedAccount(api: ReturnType<typeof apiClient>): Promise<string> {
  const fixture = (name: string): Blob => new Blob([readFileSync(join(repoRoot(), 'tests', 'postman', 'fixtures', name))]);
  const upload = async (): Promise<number> => {
    const form = new FormData();
    form.append('file', fixture('photosynthesis.txt'), 'photosynthesis.txt');
    const res = await api('POST', '/api/v1/documents/upload', { token, form });
    expect(res.status).toBe(201);
    return res.body.data.id as number;
  };
  const transcribe = async (): Promise<number | string> => {
    const form = new FormData();
    form.append('audio', fixture('he-was-not-an-ill-disposed-young-man.wav'), 'talk.wav');
    const res = await api('POST', '/api/v1/stt/transcribe', { token, form });
    expect(res.status).toBe(202);
    return res.body.data.task_id as number | string;
  };
  const documents = [await upload(), await upload()];
  const transcriptions = [await transcribe(), await transcribe()];
  await waitUntil('the document to be processed', async () => {
    const res = await api('GET', `/api/v1/documents/${documents[0]}`, { token });
    return res.body.data?.status === 'completed' ? true : undefined;
  });
  const quizzes: number[] = [];
  const sessions: number[] = [];
  for (let i = 0; i < 2; i++) {
    const quiz = await api('POST', '/api/v1/quizzes/generate', { token, json: { document_id: documents[0], num_questions: 3 } });
    expect(quiz.status).toBe(201);
    quizzes.push(quiz.body.data.id as number);
    const session = await api('POST', '/api/v1/chat/sessions', { token, json: { title: 'Fuzzing', document_ids: [documents[0]] } });
    expect(session.status).toBe(201);
    sessions.push(session.body.data.id as number);
  }
  await waitUntil('the transcription to finish', async () => {
    const res = await api('GET', `/api/v1/stt/status/${transcriptions[0]}`, { token });
    return ['completed', 'failed'].includes(res.body.data?.status) ? true : undefined;
  });
  const operations = (path: string, [kept, deleted]: Array<number | string>): string[] =>
    [
      [`^(GET|POST|PUT|PATCH) ${path}`, kept],
      [`^DELETE ${path}`, deleted],
    ].map(([name, id]) => `[[operations]]\ninclude-name-regex = '${name}'\nparameters = { id = ${JSON.stringify(id)} }\n`);
  return [
    ...operations('/api/v1/documents/\\{id\\}', documents),
    ...operations('/api/v1/quizzes/\\{id\\}', quizzes),
    ...operations('/api/v1/chat/sessions/\\{id\\}', sessions),
    ...operations('/api/v1/stt/(transcriptions|status)/\\{id\\}', transcriptions),
    `[[operations]]\ninclude-name-regex = '^POST /api/v1/quizzes'\nparameters = { "body.document_id" = ${documents[0]} }\n`,
  ].join('\n');
}

afterAll(async () => {
  await platform?.stop();
  if (reportDir) rmSync(reportDir, { recursive: true, force: true });
}, 60_000);

interface Failure {
  operation: string;
  check: string;
  status?: number;
  message: string;
}

/** The failed checks of a run, one per operation and check, from schemathesis's JUnit report. */
function failuresOf(junit: string): Failure[] {
  const failures: Failure[] = [];
  for (const testcase of junit.matchAll(/<testcase name="([^"]*)"[^>]*>([\s\S]*?)<\/testcase>/g)) {
    for (const failure of testcase[2]!.matchAll(/<(?:failure|error)[^>]*message="([^"]*)"/g)) {
      failures.push({ operation: testcase[1]!, check: 'see message', message: failure[1]!.slice(0, 2000) });
    }
  }
  return failures;
}

function run(args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    // In the run's own folder: st keeps its replay cache (.schemathesis/) where it runs.
    execFile(st, args, { cwd: reportDir, timeout: 420_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } }, (err, stdout) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout });
    });
  });
}

describe('every route of the served OpenAPI document, fuzzed through the gateway', () => {
  it('answers no server error and nothing outside the documented schema, in the stateful mode too', { timeout: 480_000 }, async () => {
    const junit = join(reportDir, 'junit.xml');
    const { code, stdout } = await run([
      'run',
      `${platform.gatewayUrl}/openapi.json`,
      '--url',
      platform.gatewayUrl,
      '--header',
      `Authorization: Bearer ${token}`,
      '--checks',
      'not_a_server_error,status_code_conformance,response_schema_conformance',
      '--phases',
      'examples,coverage,fuzzing,stateful',
      // Signing out would revoke the token the rest of the run uses.
      '--exclude-path',
      '/api/v1/auth/logout',
      '--max-examples',
      '8',
      '--seed',
      '20240601',
      '--workers',
      '2',
      '--request-timeout',
      '30',
      '--suppress-health-check',
      'all',
      '--report',
      'junit',
      '--report-junit-path',
      junit,
    ]);
    // The whole account of the run (each failure with its curl to reproduce it) stays for reading.
    const log = join(repoRoot(), '.infra', 'logs', 'fuzz.log');
    mkdirSync(join(repoRoot(), '.infra', 'logs'), { recursive: true });
    writeFileSync(log, stdout);
    const failures = existsSync(junit) ? failuresOf(readFileSync(junit, 'utf8')) : [];
    expect(failures, `${log}:\n${stdout.slice(0, 6000)}`).toEqual([]);
    expect(code, `${log}:\n${stdout.slice(-6000)}`).toBe(0);
    // The stateful phase followed links: operations were called with ids that earlier answers gave.
    const covered = /API Links:\s+(\d+) covered/.exec(stdout);
    expect(Number(covered?.[1] ?? 0), stdout.slice(0, 3000)).toBeGreaterThan(0);
  });
});
