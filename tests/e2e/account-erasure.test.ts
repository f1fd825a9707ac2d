import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis } from '@learner/common/cache';
import { TOPIC_PARTITIONS, TOPICS, createEvent, createKafkaPublisher } from '@learner/common/events';
import { infraEnv, repoRoot, startDedicatedKafka, waitForConsumerGroup, type DedicatedServer } from '@learner/common/testing';
import { apiClient, startPlatform, waitUntil, type Platform } from './platform-harness.js';

/*
 * Account erasure through the gateway, end to end: a learner with something in every service
 * deletes their account, and afterwards no database, no stored file and no Redis key names them.
 * The platform runs on a Kafka of this test's own, so stopping it (the second case) disturbs no
 * other test running at the same time.
 */

const LESSON = [
  'Plate tectonics',
  '',
  'The lithosphere is broken into tectonic plates that move slowly over the asthenosphere. ' +
    'Plates meet at divergent, convergent and transform boundaries. ' +
    'At divergent boundaries new oceanic crust forms as magma rises along mid-ocean ridges.',
  '',
  'At convergent boundaries one plate sinks beneath another in a process called subduction. ' +
    'Subduction builds volcanic arcs and deep ocean trenches such as the Mariana Trench. ' +
    'Transform boundaries, like the San Andreas Fault, slide past each other and cause earthquakes.',
  '',
  'Continental drift was proposed by Alfred Wegener, who noticed that the coastlines of Africa and South America fit together. ' +
    'Seafloor spreading explains how the Atlantic Ocean widens by a few centimetres each year. ' +
    'Mantle convection is the slow circulation of hot rock that drives the movement of the plates.',
  '',
  'An earthquake releases energy stored in rocks along a fault as seismic waves. ' +
    'The focus is the point inside the Earth where the rupture starts, and the epicentre lies directly above it. ' +
    'A tsunami is a series of ocean waves caused by an earthquake that lifts the seafloor.',
].join('\n');

let platform: Platform;
let kafka: DedicatedServer;
let api: ReturnType<typeof apiClient>;
const redis = createRedis(infraEnv().REDIS_URL ?? 'redis://127.0.0.1:6379');

beforeAll(async () => {
  kafka = await startDedicatedKafka({
    repoRoot: repoRoot(),
    topics: Object.entries(TOPIC_PARTITIONS).map(([topic, partitions]) => ({ topic, partitions })),
  });
  // The receipt is polled without a token, so per address: more than the default 100 a minute, and
  // counted apart from the other test files' gateways, which share the Redis and the address.
  platform = await startPlatform({
    env: { KAFKA_BOOTSTRAP_SERVERS: kafka.url, RATE_LIMIT_REQUESTS: '1000', REDIS_KEY_PREFIX: `erasure-${randomBytes(3).toString('hex')}:` },
  });
  api = apiClient(platform.gatewayUrl);
}, 300_000);

afterAll(async () => {
  await platform?.stop();
  await kafka?.close();
  redis.disconnect();
}, 90_000);

interface Learner {
  userId: string;
  email: string;
  password: string;
  token: string;
  refreshToken: string;
}

async function register(): Promise<Learner> {
  const email = `erase-${randomBytes(5).toString('hex')}@example.com`;
  const password = 'correct horse battery';
  const res = await api('POST', '/api/v1/auth/register', { json: { email, password, name: 'Marie' } });
  expect(res.status).toBe(201);
  return { userId: res.body.data.user.id, email, password, token: res.body.data.token, refreshToken: res.body.data.refresh_token };
}

/** Something in every service: a processed document, a chat with an answer, a quiz with a result, audio, a transcription. */
async function fillEveryService(learner: Learner): Promise<void> {
  const { token } = learner;
  const form = new FormData();
  form.append('file', new Blob([LESSON], { type: 'text/plain' }), `tectonics-${learner.userId}.txt`);
  form.append('title', `Tectonics of ${learner.email}`);
  const upload = await api('POST', '/api/v1/documents/upload', { token, form });
  expect(upload.status).toBe(201);
  const documentId = upload.body.data.id as number;
  const processed = await waitUntil('the document to be processed', async () => {
    const res = await api('GET', `/api/v1/documents/${documentId}`, { token });
    return ['completed', 'failed'].includes(res.body.data?.status) ? res.body.data : undefined;
  });
  expect(processed.status).toBe('completed');

  const session = await api('POST', '/api/v1/chat/sessions', { token, json: { title: 'Revision', document_ids: [documentId] } });
  expect(session.status).toBe(201);
  const asked = await api('POST', `/api/v1/chat/sessions/${session.body.data.id}/messages`, {
    token,
    json: { message: 'What happens at convergent boundaries?' },
  });
  expect(asked.status).toBe(201);

  const quiz = await api('POST', '/api/v1/quizzes/generate', {
    token,
    json: { document_id: documentId, num_questions: 3, difficulty: 'easy', question_types: ['multiple_choice', 'true_false'] },
  });
  expect(quiz.status, JSON.stringify(quiz.body)).toBe(201);
  const answers = Object.fromEntries(
    (quiz.body.data.questions as { id: number; question_type: string; options?: { id: string }[] }[]).map((q) => [
      String(q.id),
      q.question_type === 'true_false' ? true : (q.options?.[0]?.id ?? 'a'),
    ]),
  );
  expect((await api('POST', `/api/v1/quizzes/${quiz.body.data.id}/submit`, { token, json: { answers } })).status).toBe(201);

  const voices = await api('GET', '/api/v1/tts/voices?language=en-US', { token });
  const voice = voices.body.data.voices.find((v: { engine: string }) => v.engine === 'flite') ?? voices.body.data.voices[0];
  const audio = await api('POST', '/api/v1/tts/synthesize', {
    token,
    json: { text: 'Subduction builds volcanic arcs and deep ocean trenches.', voice_id: voice.id, format: 'mp3' },
  });
  expect(audio.status).toBe(201);
  const bytes = await fetch(`${platform.gatewayUrl}${new URL(audio.body.data.audio_url).pathname}${new URL(audio.body.data.audio_url).search}`);
  expect(bytes.status).toBe(200);

  const recording = new FormData();
  recording.append('audio', new Blob([new Uint8Array(await bytes.arrayBuffer())], { type: 'application/octet-stream' }), 'lecture.mp3');
  const started = await api('POST', '/api/v1/stt/transcribe', { token, form: recording });
  expect(started.status).toBe(202);
  const transcribed = await waitUntil('the transcription', async () => {
    const res = await api('GET', `/api/v1/stt/status/${started.body.data.task_id}`, { token });
    return ['completed', 'failed'].includes(res.body.data?.status) ? res.body.data : undefined;
  });
  expect(transcribed.status).toBe('completed');
}

const TEXT_TYPES = ['text', 'character varying', 'character', 'json', 'jsonb', 'uuid', 'ARRAY', 'USER-DEFINED'];

/** Every place a service database holds the needle: table.column, with the count of rows. */
async function findInDatabases(needles: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const [service, url] of Object.entries(platform.databaseUrls)) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows: columns } = await client.query<{ table_name: string; column_name: string }>(
        `SELECT c.table_name, c.column_name FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
         WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.data_type = ANY($1)`,
        [TEXT_TYPES],
      );
      expect(columns.length).toBeGreaterThan(0);
      for (const { table_name: table, column_name: column } of columns) {
        for (const needle of needles) {
          const { rows } = await client.query<{ n: string }>(
            `SELECT count(*) AS n FROM "${table}" WHERE position(lower($1) in lower("${column}"::text)) > 0`,
            [needle],
          );
          if (Number(rows[0]!.n) > 0) found.push(`${service}: ${table}.${column} (${rows[0]!.n})`);
        }
      }
    } finally {
      await client.end();
    }
  }
  return found;
}

/** Stored files (local storage of every service) whose name or bytes hold a needle. */
function findInStorage(needles: string[]): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        // A folder named after the user is a trace of them too.
        if (path.includes(join(platform.dataDir, 'storage')) && needles.some((n) => name.toLowerCase().includes(n.toLowerCase()))) found.push(path);
        walk(path);
        continue;
      }
      // The launcher's own files (its state, logs, secrets, databases) are not stored objects.
      if (!path.includes(`${join(platform.dataDir, 'storage')}`)) continue;
      const content = readFileSync(path).toString('latin1').toLowerCase();
      for (const needle of needles) {
        if (path.toLowerCase().includes(needle.toLowerCase()) || content.includes(needle.toLowerCase())) found.push(path);
      }
    }
  };
  walk(platform.dataDir);
  return found;
}

/** Redis keys whose name or (string) value holds a needle. */
async function findInRedis(needles: string[]): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      const type = await redis.type(key);
      const value = type === 'string' ? ((await redis.get(key)) ?? '') : '';
      const members = type === 'zset' ? (await redis.zrange(key, '0', '-1')).join(' ') : '';
      for (const needle of needles) {
        if (`${key} ${value} ${members}`.toLowerCase().includes(needle.toLowerCase())) found.push(key);
      }
    }
  } while (cursor !== '0');
  return found;
}

async function everywhere(learner: Learner): Promise<string[]> {
  const needles = [learner.userId, learner.email];
  return [...(await findInDatabases(needles)), ...findInStorage(needles), ...(await findInRedis(needles))];
}

async function expectTokensDead(learner: Learner): Promise<void> {
  expect((await api('GET', '/api/v1/auth/me', { token: learner.token })).status).toBe(401);
  expect((await api('GET', '/api/v1/documents', { token: learner.token })).status).toBe(401);
  expect((await api('POST', '/api/v1/auth/refresh', { json: { refresh_token: learner.refreshToken } })).status).toBe(401);
  expect((await api('POST', '/api/v1/auth/login', { json: { email: learner.email, password: learner.password } })).status).toBe(401);
}

async function waitForCompletion(
  statusUrl: string,
): Promise<{ erasure_id: string; status: string; services: { service: string; status: string }[] }> {
  return waitUntil(
    'every service to confirm the erasure',
    async () => {
      const res = await api('GET', statusUrl);
      expect(res.status).toBe(200);
      return res.body.data.status === 'completed' ? res.body.data : undefined;
    },
    180_000,
  );
}

describe('erasing an account', () => {
  it('refuses a missing body, a body that is not JSON and a wrong password, and keeps the account', async () => {
    const learner = await register();
    const noBody = await api('DELETE', '/api/v1/auth/me', { token: learner.token });
    expect(noBody.status).toBe(400);
    expect(noBody.body).toMatchObject({ error: 'ValidationError', details: { password: expect.any(String) }, request_id: expect.any(String) });

    const notJson = await fetch(`${platform.gatewayUrl}/api/v1/auth/me`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${learner.token}`, 'content-type': 'application/json' },
      body: '{"password": ',
    });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: expect.any(String), message: expect.any(String) });

    const wrong = await api('DELETE', '/api/v1/auth/me', { token: learner.token, json: { password: 'not my password' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ error: 'Unauthorized', message: 'The password is not correct' });

    expect((await api('DELETE', '/api/v1/auth/me', { json: { password: learner.password } })).status).toBe(401);
    expect((await api('GET', '/api/v1/auth/me', { token: learner.token })).status).toBe(200);
    expect((await api('GET', '/api/v1/auth/erasures/not-an-id')).status).toBe(400);
    expect((await api('GET', '/api/v1/auth/erasures/6f1c2a57-8d8f-4c59-9d4a-3f5e0c1b2a11')).status).toBe(404);
  });

  it('answers 202, kills the tokens at once, and leaves nothing of the learner in any database, file or Redis key', async () => {
    const learner = await register();
    await fillEveryService(learner);
    // The scan finds the learner before the erasure, in every service that holds something of theirs.
    const before = await everywhere(learner);
    for (const service of ['gateway', 'document', 'chat', 'quiz', 'tts', 'stt']) {
      expect(before.some((place) => place.startsWith(`${service}:`)), `${service} before: ${before.join(', ')}`).toBe(true);
    }
    expect(before.some((place) => place.includes('/storage/'))).toBe(true);
    expect(before.some((place) => place.includes('rl:user:'))).toBe(true);

    const erased = await api('DELETE', '/api/v1/auth/me', { token: learner.token, json: { password: learner.password } });
    expect(erased.status).toBe(202);
    expect(erased.body.data).toMatchObject({ status: 'pending', status_url: `/api/v1/auth/erasures/${erased.body.data.erasure_id}` });
    expect(erased.body.data.services).toContainEqual({ service: 'gateway', status: 'confirmed', confirmed_at: expect.any(String) });
    await expectTokensDead(learner);

    const done = await waitForCompletion(erased.body.data.status_url);
    expect(done.services.every((s) => s.status === 'confirmed')).toBe(true);
    expect(JSON.stringify(done)).not.toContain(learner.userId);
    expect(JSON.stringify(done)).not.toContain(learner.email);
    // Calls with the dead token after the erasure must not bring the learner's rate-limit key back.
    await expectTokensDead(learner);
    expect(await everywhere(learner)).toEqual([]);

    // At least once: the event delivered again (a relay that died before marking it sent) and a
    // second user.deleted for the same erasure are handled without failing, and bring nothing back.
    const again = createEvent({ type: TOPICS.userDeleted, userId: learner.userId, service: 'gateway', payload: { erasure_id: done.erasure_id } });
    const bus = createKafkaPublisher({ brokers: [kafka.url], clientId: 'erasure-test' });
    const second = createEvent({ type: TOPICS.userDeleted, userId: learner.userId, service: 'gateway', payload: { erasure_id: done.erasure_id } });
    await bus.publish([again, again, second].map((event) => ({ topic: TOPICS.userDeleted, key: learner.userId, event })));
    await bus.close();
    for (const service of ['document', 'chat', 'quiz', 'tts', 'stt']) {
      await waitForConsumerGroup({ brokers: [kafka.url], groupId: `${service}-service`, topic: TOPICS.userDeleted, timeoutMs: 60_000 });
      const metrics = await (await fetch(`${platform.services[service]}/metrics`)).text();
      expect(metrics, service).toMatch(/events_consumed_total\{[^}]*topic="user\.deleted"[^}]*outcome="duplicate"[^}]*\} 1\n/);
      expect(metrics, service).toMatch(/events_consumed_total\{[^}]*topic="user\.deleted"[^}]*outcome="handled"[^}]*\} 3\n/);
      expect(metrics, service).not.toMatch(/events_dead_lettered_total\{[^}]*\} [1-9]/);
    }
    expect((await api('GET', erased.body.data.status_url)).body.data.status).toBe('completed');
    expect(await everywhere(learner)).toEqual([]);

    // The email is free again, for a new and empty account.
    const renewed = await api('POST', '/api/v1/auth/register', { json: { email: learner.email, password: 'another good password' } });
    expect(renewed.status).toBe(201);
    expect(renewed.body.data.user.id).not.toBe(learner.userId);
    const documents = await api('GET', '/api/v1/documents', { token: renewed.body.data.token });
    expect(documents.body.data).toEqual([]);
  }, 600_000);

  it('completes after Kafka was down during the request and came back, with nothing left and no event lost', async () => {
    const learner = await register();
    await fillEveryService(learner);
    await kafka.stop();
    let receipt: string;
    try {
      const erased = await api('DELETE', '/api/v1/auth/me', { token: learner.token, json: { password: learner.password } });
      expect(erased.status).toBe(202);
      receipt = erased.body.data.status_url;
      await expectTokensDead(learner);
      // Nothing can reach the services while Kafka is down: only the gateway's own part is done.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const waiting = await api('GET', receipt);
      expect(waiting.body.data.status).toBe('pending');
      expect(waiting.body.data.services.filter((s: { status: string }) => s.status === 'confirmed')).toEqual([
        expect.objectContaining({ service: 'gateway' }),
      ]);
    } finally {
      await kafka.start();
    }
    const done = await waitForCompletion(receipt);
    expect(done.services.every((s) => s.status === 'confirmed')).toBe(true);
    expect(await everywhere(learner)).toEqual([]);
    // Nothing waits in any outbox: every event was published (and the learner's own were removed).
    for (const [service, url] of Object.entries(platform.databaseUrls)) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM outbox WHERE published_at IS NULL');
      await client.end();
      expect(Number(rows[0]!.n), `${service} outbox`).toBe(0);
    }
  }, 600_000);
});
