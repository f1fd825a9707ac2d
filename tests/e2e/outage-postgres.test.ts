import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { startDedicatedPostgres, waitFor } from '@learner/common/testing';
import { allPages, expectRefusedNaming } from './outage-support.js';
import { apiClient, startPlatform, type Platform } from './platform-harness.js';

/*
 * The chat service's PostgreSQL stopped and started again while learners keep asking the tutor and
 * using the other services. Each service owns its database; chat's is on a PostgreSQL server of
 * this test's own, so the shared one stays up for the test files running at the same time.
 */

let pg: Awaited<ReturnType<typeof startDedicatedPostgres>>;
let platform: Platform;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  pg = await startDedicatedPostgres();
  const chatUrl = await pg.createDatabase('chat_outage');
  platform = await startPlatform({
    databaseUrls: { chat: chatUrl },
    env: { LAUNCHER_SERVICES: 'gateway,document,chat,quiz', RATE_LIMIT_REQUESTS: '100000' },
  });
  api = apiClient(platform.gatewayUrl);
}, 240_000);

afterAll(async () => {
  await platform?.stop();
  await pg?.close();
}, 90_000);

type Phase = 'before' | 'outage' | 'after';
interface Answer {
  phase: Phase;
  status: number;
  body: { error?: string; message?: string; request_id?: string; details?: Record<string, unknown>; data?: any };
}

async function register(): Promise<string> {
  const res = await api('POST', '/api/v1/auth/register', {
    json: { email: `pg-outage-${randomBytes(4).toString('hex')}@example.com`, password: 'correct horse battery' },
  });
  expect(res.status).toBe(201);
  return res.body.data.token as string;
}

/** One call; a call not answered within 15 s (a hang) counts as status 0. */
async function timed(call: Promise<{ status: number; body: any }>): Promise<{ status: number; body: any }> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<{ status: number; body: any }>((done) => {
    timer = setTimeout(() => done({ status: 0, body: {} }), 15_000);
  });
  try {
    return await Promise.race([call, hang]);
  } catch {
    return { status: 0, body: {} };
  } finally {
    clearTimeout(timer);
  }
}

describe("one service's PostgreSQL stopped and started again under load", () => {
  it('chat answers 503 naming its database meanwhile, the others are unaffected, and it recovers unaided with nothing half-stored', async () => {
    onTestFailed(() => console.log(platform.output.join('').slice(-6000)));
    const tokens = await Promise.all([register(), register()]);
    const sessions: Array<{ token: string; id: number }> = [];
    for (const token of [...tokens, ...tokens]) {
      const res = await api('POST', '/api/v1/chat/sessions', { token, json: { title: 'Revision' } });
      expect(res.status).toBe(201);
      sessions.push({ token, id: res.body.data.id as number });
    }

    let phase: Phase = 'before';
    let loading = true;
    const chat: Array<Answer & { session: number }> = [];
    const others: Answer[] = [];
    // A call counts as made during the outage when it began or ended while the database was away.
    const during = (began: Phase): Phase => (began === phase ? began : 'outage');
    const pause = (): Promise<void> => new Promise((done) => setTimeout(done, 100));
    const askers = sessions.map(async (session, i) => {
      for (let n = 0; loading; n++) {
        const at = phase;
        const res = await timed(
          api('POST', `/api/v1/chat/sessions/${session.id}/messages`, {
            token: session.token,
            json: { message: `Question ${n} from asker ${i}: what is photosynthesis?` },
          }),
        );
        chat.push({ phase: during(at), status: res.status, body: res.body, session: session.id });
        await pause();
      }
    });
    const browsers = tokens.map(async (token) => {
      while (loading) {
        for (const path of ['/api/v1/documents', '/api/v1/quizzes', '/api/v1/auth/me']) {
          const at = phase;
          const res = await timed(api('GET', path, { token }));
          others.push({ phase: during(at), status: res.status, body: res.body });
        }
        await pause();
      }
    });
    const answered = (at: Phase, status: number): number => chat.filter((a) => a.phase === at && a.status === status).length;

    await waitFor('answers before the outage', async () => (answered('before', 201) >= 8 ? true : undefined));
    phase = 'outage';
    await pg.stop();
    await waitFor('chat to answer 503 during the outage', async () => (answered('outage', 503) >= 8 ? true : undefined));
    const ready = await fetch(`${platform.services.chat}/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ error: 'ServiceUnavailable', details: { down: ['database'] } });

    await pg.start();
    phase = 'after';
    // Unaided: nobody restarts the chat service; its pool connects again by itself.
    await waitFor('chat to answer again after the outage', async () => (answered('after', 201) >= 8 ? true : undefined), 90_000);
    loading = false;
    await Promise.all([...askers, ...browsers]);

    // During the outage: a 503 in the error format naming the database, never a 500, a 504 or a hang.
    expectRefusedNaming(chat, 'outage', 201, 'database');
    // The other services, with databases of their own, answer throughout.
    expect(others.filter((a) => a.status !== 200)).toEqual([]);
    for (const at of ['before', 'outage', 'after'] as const) expect(others.filter((a) => a.phase === at).length).toBeGreaterThan(0);

    // Nothing half-stored: each session holds question-and-answer pairs, every acknowledged one included.
    for (const session of sessions) {
      const stored = await allPages<{ id: number; role: string }>(api, `/api/v1/chat/sessions/${session.id}/messages`, session.token);
      expect(stored.length % 2).toBe(0);
      for (let i = 0; i < stored.length; i += 2) expect([stored[i]!.role, stored[i + 1]!.role]).toEqual(['user', 'assistant']);
      const ids = new Set(stored.map((m) => m.id));
      for (const ok of chat.filter((a) => a.session === session.id && a.status === 201)) {
        expect(ids.has(ok.body.data.user_message.id)).toBe(true);
        expect(ids.has(ok.body.data.ai_response.id)).toBe(true);
      }
    }
  }, 180_000);
});
