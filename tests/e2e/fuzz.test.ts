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
let documentId: number;
let account: { email: string; password: string };

const PASSWORD = 'correct horse battery';

const fixture = (name: string): string => join(repoRoot(), 'tests', 'postman', 'fixtures', name);
const RECORDING = fixture('he-was-not-an-ill-disposed-young-man.wav');

// What tests/e2e/fuzz_hooks.py replaces, before each call, with the id of a thing it makes for it.
const FRESH_INT = 2_147_483_647;
const FRESH_UUID = '00000000-0000-4000-8000-00000000fffe';
const MAX_EXAMPLES = 8;
const STATEFUL_SCENARIOS = 300;

beforeAll(async () => {
  if (!existsSync(st)) throw new Error(`${st} is missing: run scripts/infra/up.sh`);
  // One user sends every fuzzed request: the per-user limit would otherwise answer 429 to most.
  platform = await startPlatform({ env: { RATE_LIMIT_REQUESTS: '100000' } });
  const api = apiClient(platform.gatewayUrl);
  const email = `fuzz-${randomBytes(4).toString('hex')}@example.com`;
  const registered = await api('POST', '/api/v1/auth/register', { json: { email, password: PASSWORD } });
  expect(registered.status).toBe(201);
  token = registered.body.data.token;
  account = { email, password: PASSWORD };
  reportDir = mkdtempSync(join(tmpdir(), 'learner-fuzz-'));
  // schemathesis.toml in the run's folder: the ids of the account's own things, so that the
  // operations on a quiz, a transcription, a session, a document, a note, an audio or an erasure get
  // past 404 into their logic.
  writeFileSync(join(reportDir, 'schemathesis.toml'), await seedAccount(api));
}, 240_000);

/**
 * Makes what the operations need ids of (a processed document with its notes, a quiz from it, a
 * tutor session, a transcription, an audio, another account's erasure) and writes the config that
 * gives them to the operations that read or change one. Each DELETE gets a placeholder id instead,
 * which fuzz_hooks.py swaps for a thing made just before that call: a deleted id answers 404 to
 * every later call, and deleting the shared ones would leave the rest of the run with ids that are gone.
 */
async function seedAccount(api: ReturnType<typeof apiClient>): Promise<string> {
  const blob = (name: string): Blob => new Blob([readFileSync(fixture(name))]);
  const upload = async (): Promise<number> => {
    const form = new FormData();
    form.append('file', blob('photosynthesis.txt'), 'photosynthesis.txt');
    const uploaded = await api('POST', '/api/v1/documents/upload', { token, form });
    expect(uploaded.status).toBe(201);
    return uploaded.body.data.id as number;
  };
  documentId = await upload();
  // Processing again makes new notes (and answers 409 meanwhile): it gets a document of its own,
  // so that the first one's notes keep their ids for the run.
  const reprocessed = await upload();
  const recording = new FormData();
  recording.append('audio', new Blob([readFileSync(RECORDING)]), 'talk.wav');
  const transcribed = await api('POST', '/api/v1/stt/transcribe', { token, form: recording });
  expect(transcribed.status).toBe(202);
  const transcription = transcribed.body.data.task_id as string;
  const spoken = await api('POST', '/api/v1/tts/synthesize', { token, json: { text: 'Plants turn light into sugar.' } });
  expect(spoken.status).toBe(201);
  const audio = spoken.body.data.id as string;
  await waitUntil('the document to be processed', async () => {
    const res = await api('GET', `/api/v1/documents/${documentId}`, { token });
    return res.body.data?.status === 'completed' ? true : undefined;
  });
  const notes = await api('GET', `/api/v1/documents/${documentId}/notes`, { token });
  expect(notes.status).toBe(200);
  const note = notes.body.data[0].id as number;
  const quiz = await api('POST', '/api/v1/quizzes/generate', { token, json: { document_id: documentId, num_questions: 3 } });
  expect(quiz.status).toBe(201);
  const session = await api('POST', '/api/v1/chat/sessions', { token, json: { title: 'Fuzzing', document_ids: [documentId] } });
  expect(session.status).toBe(201);
  // An erasure to read: another account's, erased; its receipt names nobody.
  const leaving = { email: `fuzz-leaving-${randomBytes(4).toString('hex')}@example.com`, password: PASSWORD };
  const other = await api('POST', '/api/v1/auth/register', { json: leaving });
  expect(other.status).toBe(201);
  const erased = await api('DELETE', '/api/v1/auth/me', { token: other.body.data.token, json: { password: leaving.password } });
  expect(erased.status).toBe(202);
  await waitUntil('the transcription to finish', async () => {
    const res = await api('GET', `/api/v1/stt/status/${transcription}`, { token });
    return ['completed', 'failed'].includes(res.body.data?.status) ? true : undefined;
  });
  const operations = (path: string, kept: Record<string, number | string>, fresh: number | string): string[] =>
    [
      [`^(GET|POST|PUT|PATCH) ${path}`, kept],
      [`^DELETE ${path}$`, { id: fresh }],
    ].map(([name, parameters]) => `[[operations]]\ninclude-name-regex = '${String(name)}'\nparameters = ${toml(parameters as object)}\n`);
  return [
    // Eight cases an operation in each of the coverage and fuzzing phases; the stateful phase's
    // scenarios are chains of calls along the document's links, and take more to follow most links.
    `generation.max-examples = ${MAX_EXAMPLES}\n`,
    `[phases.stateful.generation]\nmax-examples = ${STATEFUL_SCENARIOS}\n`,
    // The run fails while an operation answered nothing but 404: it never got a real id.
    '[warnings]\nfail-on = ["missing_test_data"]\n',
    `[[operations]]\ninclude-name-regex = '^POST /api/v1/documents/\\{id\\}/process$'\nparameters = ${toml({ id: reprocessed })}\n`,
    `[[operations]]\ninclude-name-regex = '^PUT /api/v1/documents/\\{id\\}/notes/\\{note_id\\}$'\nparameters = ${toml({ id: documentId, note_id: note })}\n`,
    ...operations('/api/v1/documents/\\{id\\}(?!/notes/)', { id: documentId }, FRESH_INT),
    ...operations('/api/v1/quizzes/\\{id\\}', { id: quiz.body.data.id as number }, FRESH_INT),
    ...operations('/api/v1/chat/sessions/\\{id\\}', { id: session.body.data.id as number }, FRESH_INT),
    ...operations('/api/v1/stt/(transcriptions|status)/\\{id\\}', { id: transcription }, FRESH_UUID),
    ...operations('/api/v1/tts/audio/\\{id\\}', { id: audio }, FRESH_UUID),
    `[[operations]]\ninclude-name-regex = '^GET /api/v1/auth/erasures/'\nparameters = ${toml({ erasure_id: erased.body.data.erasure_id as string })}\n`,
    // Signing in as the account gives a new session and leaves the run's token as it is.
    `[[operations]]\ninclude-name-regex = '^POST /api/v1/auth/login$'\nparameters = ${toml({ 'body.email': account.email, 'body.password': account.password })}\n`,
    `[[operations]]\ninclude-name-regex = '^POST /api/v1/quizzes'\nparameters = { "body.document_id" = ${documentId} }\n`,
  ].join('\n');
}

/** A TOML inline table of string and number values (keys quoted: `body.email` is one key). */
function toml(values: object): string {
  return `{ ${Object.entries(values)
    .map(([key, value]) => `${JSON.stringify(key)} = ${JSON.stringify(value)}`)
    .join(', ')} }`;
}

afterAll(async () => {
  // The services' log beside the fuzzer's: a server error's request id leads to its stack.
  if (platform) writeFileSync(join(repoRoot(), '.infra', 'logs', 'fuzz-platform.log'), platform.output.join(''));
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
    const env = {
      ...process.env,
      NO_COLOR: '1',
      SCHEMATHESIS_HOOKS: join(import.meta.dirname, 'fuzz_hooks.py'),
      LEARNER_FUZZ_URL: platform.gatewayUrl,
      LEARNER_FUZZ_TOKEN: token,
      LEARNER_FUZZ_DOCUMENT_ID: String(documentId),
      LEARNER_FUZZ_AUDIO_FILE: RECORDING,
    };
    execFile(st, args, { cwd: reportDir, timeout: 420_000, maxBuffer: 64 * 1024 * 1024, env }, (err, stdout) => {
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
