import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { TOPIC_PARTITIONS } from '@learner/common/events';
import { repoRoot, startDedicatedKafka, waitFor, type DedicatedServer } from '@learner/common/testing';
import { apiClient, startPlatform, type Platform } from './platform-harness.js';

/*
 * Kafka stopped and started again while learners upload and delete documents. Each delete is a
 * document.deleted event the quiz and chat services consume. The platform runs on a Kafka broker of
 * this test's own, so the shared one stays up for the test files running at the same time. The
 * broker stays down for half a minute: the producers' and consumers' retries give up within a few
 * seconds and they then go on reconnecting with back-off until it is back.
 */

const OUTAGE_MS = 30_000;
let kafka: DedicatedServer;
let platform: Platform;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  kafka = await startDedicatedKafka({
    repoRoot: repoRoot(),
    topics: Object.entries(TOPIC_PARTITIONS).map(([topic, partitions]) => ({ topic, partitions })),
  });
  platform = await startPlatform({
    env: {
      KAFKA_BOOTSTRAP_SERVERS: kafka.url,
      LAUNCHER_SERVICES: 'gateway,document,chat,quiz',
      RATE_LIMIT_REQUESTS: '100000',
    },
  });
  api = apiClient(platform.gatewayUrl);
}, 240_000);

afterAll(async () => {
  await platform?.stop();
  await kafka?.close();
}, 90_000);

/** What a service's /metrics counts of document.deleted events by outcome (handled, duplicate, dead_lettered). */
async function deletesConsumed(service: 'quiz' | 'chat', outcome: string): Promise<number> {
  const text = await (await fetch(`${platform.services[service]}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith('events_consumed_total{')) continue;
    if (line.includes('topic="document.deleted"') && line.includes(`outcome="${outcome}"`)) total += Number(line.split(' ').at(-1));
  }
  return total;
}

describe('Kafka stopped and started again under load', () => {
  it('loses no event: every delete made meanwhile reaches the quiz and chat services, each handled once', async () => {
    onTestFailed(() => console.log(platform.output.join('').slice(-6000)));
    const register = await api('POST', '/api/v1/auth/register', {
      json: { email: `kafka-outage-${randomBytes(4).toString('hex')}@example.com`, password: 'correct horse battery' },
    });
    expect(register.status).toBe(201);
    const token = register.body.data.token as string;

    const deleted: number[] = [];
    const failures: Array<{ status: number; body: unknown }> = [];
    let loading = true;
    /** A learner uploading a short note and deleting it again, over and over. */
    const learner = async (name: string): Promise<void> => {
      for (let n = 0; loading; n++) {
        const form = new FormData();
        form.append('file', new Blob([`Note ${n} of ${name}: the Calvin cycle fixes carbon dioxide in the stroma.`], { type: 'text/plain' }), `${name}-${n}.txt`);
        const upload = await api('POST', '/api/v1/documents/upload', { token, form });
        if (upload.status === 201) {
          const gone = await api('DELETE', `/api/v1/documents/${upload.body.data.id}`, { token });
          if (gone.status === 200) deleted.push(upload.body.data.id as number);
          else failures.push(gone);
        } else {
          failures.push(upload);
        }
        await new Promise((done) => setTimeout(done, 100));
      }
    };
    const learners = [learner('ada'), learner('grace')];
    const bothHeard = async (count: number): Promise<true | undefined> =>
      (await deletesConsumed('quiz', 'handled')) >= count && (await deletesConsumed('chat', 'handled')) >= count ? true : undefined;

    await waitFor('deletes before the outage to be heard', () => (deleted.length >= 4 ? bothHeard(4) : Promise.resolve(undefined)));
    await kafka.stop();
    const deletedBefore = deleted.length;
    for (const [name, url] of [
      ['document service', platform.services.document],
      ['gateway', platform.gatewayUrl],
    ] as const) {
      await waitFor(`the ${name} to say Kafka is down`, async () => {
        const ready = await fetch(`${url}/ready`);
        const body = (await ready.json()) as { details?: { down?: string[] } };
        return ready.status === 503 && body.details?.down?.includes('kafka') ? true : undefined;
      });
    }
    await new Promise((done) => setTimeout(done, OUTAGE_MS));
    const deletedDuring = deleted.length - deletedBefore;
    await kafka.start();
    // Unaided: nothing is restarted; the outbox relays and the consumers reconnect by themselves.
    await waitFor('a delete after the outage', async () => (deleted.length >= deletedBefore + deletedDuring + 4 ? true : undefined), 60_000);
    loading = false;
    await Promise.all(learners);

    // The service kept answering: uploads and deletes went on while the broker was away.
    expect(failures).toEqual([]);
    expect(deletedDuring).toBeGreaterThan(0);
    // Every event is delivered to each consumer and handled once there; a redelivery would count as a duplicate.
    await waitFor('every delete to be heard by the quiz and chat services', () => bothHeard(deleted.length), 120_000);
    const lastDocument = deleted.at(-1)!;
    await waitFor('the quiz service to know the last deleted document', async () =>
      (await api('POST', '/api/v1/quizzes/generate', { token, json: { document_id: lastDocument } })).status === 410 ? true : undefined,
    );
    expect(await deletesConsumed('quiz', 'handled')).toBe(deleted.length);
    expect(await deletesConsumed('chat', 'handled')).toBe(deleted.length);
    expect(await deletesConsumed('quiz', 'dead_lettered')).toBe(0);
    expect(await deletesConsumed('chat', 'dead_lettered')).toBe(0);
    // What a learner sees: a quiz asked from any deleted document, one deleted during the outage included, is refused as gone.
    for (const id of [deleted[0]!, deleted[deletedBefore]!, lastDocument]) {
      const res = await api('POST', '/api/v1/quizzes/generate', { token, json: { document_id: id } });
      expect(res.status).toBe(410);
    }
  }, 300_000);
});
