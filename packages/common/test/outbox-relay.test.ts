import { randomBytes } from 'node:crypto';
import type { Consumer, EachMessagePayload } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '../src/db/index.js';
import {
  createEvent,
  createInProcessBus,
  createKafka,
  createKafkaPublisher,
  createOutboxRelay,
  enqueueEvent,
  handleOnce,
  type EventBus,
  type EventEnvelope,
} from '../src/events/index.js';
import { createTestDatabase, repoRoot, requireInfra, type TestDatabase } from '../src/testing/index.js';
import { join } from 'node:path';

const brokers = requireInfra('KAFKA_BOOTSTRAP_SERVERS').split(',');
const topic = `test.outbox.${randomBytes(4).toString('hex')}`;
const kafka = createKafka({ brokers, clientId: 'outbox-test' });

let db: TestDatabase;
let consumer: Consumer;
const received: EventEnvelope[] = [];
const keys: string[] = [];

async function waitFor(condition: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function enqueue(count: number, userId = 'user-1'): Promise<string[]> {
  const ids: string[] = [];
  await withTransaction(db.pool, async (client) => {
    for (let i = 0; i < count; i += 1) {
      const event = createEvent({ type: 'test.happened', userId, service: 'test', payload: { i } });
      ids.push(event.event_id);
      await enqueueEvent(client, topic, event);
    }
  });
  return ids;
}

beforeAll(async () => {
  db = await createTestDatabase({ database: 'empty', dirs: [join(repoRoot(), 'db', 'shared')] });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
  await admin.disconnect();
  consumer = kafka.consumer({ groupId: `outbox-test-${randomBytes(4).toString('hex')}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }: EachMessagePayload) => {
      received.push(JSON.parse(message.value!.toString()) as EventEnvelope);
      keys.push(message.key!.toString());
    },
  });
});

afterAll(async () => {
  await consumer?.disconnect();
  await db?.drop();
});

describe('the outbox relay with real Kafka', () => {
  it('delivers each event once, keyed by user, and resumes after a restart', async () => {
    const first = await enqueue(40);
    const publisher = createKafkaPublisher({ brokers, clientId: 'relay-1' });
    const relay = createOutboxRelay({ pool: db.pool, bus: publisher, pollMs: 50, batchSize: 15 });
    relay.start();
    await waitFor(() => first.every((id) => received.some((e) => e.event_id === id)));
    await relay.stop();
    await publisher.close();

    // Written while no relay runs: they wait in the outbox.
    const second = await enqueue(25, 'user-2');
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL');
    expect(rows[0].n).toBe(25);

    const publisher2 = createKafkaPublisher({ brokers, clientId: 'relay-2' });
    const relay2 = createOutboxRelay({ pool: db.pool, bus: publisher2, pollMs: 50 });
    relay2.start();
    await waitFor(() => second.every((id) => received.some((e) => e.event_id === id)));
    await relay2.stop();
    await publisher2.close();
    // Give any duplicate a moment to arrive before counting.
    await new Promise((r) => setTimeout(r, 500));

    const all = [...first, ...second];
    const counts = new Map<string, number>();
    for (const e of received) counts.set(e.event_id, (counts.get(e.event_id) ?? 0) + 1);
    expect(all.every((id) => counts.get(id) === 1)).toBe(true);
    const secondEvents = received.filter((e) => second.includes(e.event_id));
    expect(new Set(secondEvents.map((e) => e.user_id))).toEqual(new Set(['user-2']));
    expect(keys.filter((k) => k === 'user-2')).toHaveLength(25);
    const sample = received.find((e) => e.event_id === first[0]);
    expect(sample).toMatchObject({ event_type: 'test.happened', service: 'test', version: '1.0', user_id: 'user-1' });
  });

  it('keeps events while Kafka is unreachable and sends them once it is back', async () => {
    const ids = await enqueue(5, 'user-3');
    const dead = createKafkaPublisher({ brokers: ['127.0.0.1:1'], clientId: 'dead', connectionTimeoutMs: 300 });
    const failing = createOutboxRelay({ pool: db.pool, bus: dead });
    await expect(failing.flush()).rejects.toBeDefined();
    await dead.close();
    const { rows } = await db.pool.query(
      'SELECT attempts, last_error, published_at FROM outbox WHERE event_id = ANY($1::uuid[])',
      [ids],
    );
    expect(rows.every((r) => r.attempts >= 1 && r.last_error && r.published_at === null)).toBe(true);

    const publisher = createKafkaPublisher({ brokers, clientId: 'relay-3' });
    expect(await createOutboxRelay({ pool: db.pool, bus: publisher }).flush()).toBe(5);
    await publisher.close();
    await waitFor(() => ids.every((id) => received.some((e) => e.event_id === id)));
  });
});

/** An in-process bus and the ids of the events it handed to a subscriber of the test topic. */
function listening(): { bus: EventBus; seen: string[] } {
  const bus = createInProcessBus();
  const seen: string[] = [];
  bus.subscribe(topic, (event) => {
    seen.push(event.event_id);
  });
  return { bus, seen };
}

describe('the outbox relay with the in-process bus', () => {
  it('hands events to subscribers, and handleOnce skips a redelivered event', async () => {
    const bus = createInProcessBus();
    const seen: EventEnvelope[] = [];
    bus.subscribe(topic, (event) => {
      seen.push(event);
    });
    const ids = await enqueue(3, 'user-4');
    await createOutboxRelay({ pool: db.pool, bus }).flush();
    expect(seen.map((e) => e.event_id)).toEqual(ids);

    let handled = 0;
    const handle = async (): Promise<void> => {
      handled += 1;
    };
    expect(await handleOnce(db.pool, 'counter', seen[0]!, handle)).toBe(true);
    expect(await handleOnce(db.pool, 'counter', seen[0]!, handle)).toBe(false);
    expect(handled).toBe(1);
  });

  it('keeps a batch whose sending outlasts its claim from another relay, and sends each event once', async () => {
    const { bus, seen } = listening();
    // One relay's bus takes three claims' time to acknowledge; the other's answers at once.
    const slow: EventBus = { ...bus, publish: async (messages) => new Promise((resolve) => setTimeout(resolve, 1_200)).then(() => bus.publish(messages)) };
    const ids = await enqueue(3, 'user-5');
    const first = createOutboxRelay({ pool: db.pool, bus: slow, pollMs: 20, claimMs: 400 });
    const second = createOutboxRelay({ pool: db.pool, bus, pollMs: 20, claimMs: 400 });
    first.start();
    // The slow relay holds the batch before the other starts looking.
    const claimed = async (): Promise<number> =>
      (await db.pool.query('SELECT count(*)::int AS n FROM outbox WHERE event_id = ANY($1::uuid[]) AND claimed_until IS NOT NULL', [ids])).rows[0].n;
    for (let tries = 0; (await claimed()) < ids.length; tries += 1) {
      if (tries > 100) throw new Error('the first relay never claimed the batch');
      await new Promise((r) => setTimeout(r, 10));
    }
    second.start();
    await waitFor(() => ids.every((id) => seen.includes(id)));
    await Promise.all([first.stop(), second.stop()]);
    expect(seen.filter((id) => ids.includes(id)).sort()).toEqual([...ids].sort());
  });

  it('sends the rows a relay that died mid-batch had claimed, once its claim runs out', async () => {
    const { bus, seen } = listening();
    const ids = await enqueue(2, 'user-6');
    // What a relay killed while sending leaves behind: a claim nobody renews.
    await db.pool.query("UPDATE outbox SET claimed_until = now() + interval '800 milliseconds' WHERE published_at IS NULL");
    const relay = createOutboxRelay({ pool: db.pool, bus, pollMs: 50 });
    expect(await relay.flush()).toBe(0);
    relay.start();
    await waitFor(() => ids.every((id) => seen.includes(id)), 10_000);
    await relay.stop();
    expect(seen.filter((id) => ids.includes(id)).sort()).toEqual([...ids].sort());
  });

  it('gives up a batch whose publish never settles after its longest hold, and another relay sends it', async () => {
    const { bus, seen } = listening();
    const ids = await enqueue(2, 'user-7');
    const hung: EventBus = { ...bus, publish: () => new Promise<void>(() => undefined) };
    const stuck = createOutboxRelay({ pool: db.pool, bus: hung, pollMs: 20, claimMs: 300, maxHoldMs: 900 });
    stuck.start();
    await new Promise((r) => setTimeout(r, 100));
    const other = createOutboxRelay({ pool: db.pool, bus, pollMs: 50, claimMs: 300 });
    other.start();
    await waitFor(() => ids.every((id) => seen.includes(id)), 10_000);
    // The hung relay is left waiting on its publish: stop() would wait for it too.
    await other.stop();
    expect(seen.filter((id) => ids.includes(id)).sort()).toEqual([...ids].sort());
  });
});

