import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Consumer, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '../src/db/index.js';
import {
  createEvent,
  createInProcessBus,
  createInProcessEventConsumer,
  createKafka,
  createKafkaEventConsumer,
  createOutboxRelay,
  deadLetterTopic,
  enqueueEvent,
  type ConsumedEventHandler,
  type EventConsumer,
  type EventEnvelope,
} from '../src/events/index.js';
import { createTestDatabase, repoRoot, requireInfra, type TestDatabase } from '../src/testing/index.js';

const brokers = requireInfra('KAFKA_BOOTSTRAP_SERVERS').split(',');
const kafka = createKafka({ brokers, clientId: 'consumer-test' });
const suffix = (): string => randomBytes(4).toString('hex');

let db: TestDatabase;
let producer: Producer;
const started: EventConsumer[] = [];
const readers: Consumer[] = [];
const children: ChildProcess[] = [];

/** The one handler both modes run: records the event, and refuses the ones marked as poison. */
const recordEvent: ConsumedEventHandler = async (event, { db: tx, topic }) => {
  if (event.payload.poison) throw new Error(`cannot handle event ${event.event_id}`);
  await tx.query('INSERT INTO handled (event_id, topic, n) VALUES ($1, $2, $3)', [event.event_id, topic, event.payload.n]);
};

async function waitFor(condition: () => Promise<boolean> | boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function handledCount(topic: string): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM handled WHERE topic = $1', [topic]);
  return rows[0]!.n;
}

/** A sample's value as /metrics shows it; 0 when the series is absent. */
async function metric(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const text = await registry.metrics();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) return Number(line.split(' ').pop());
  }
  return 0;
}

async function createTopic(topic: string, numPartitions = 2): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: true });
  await admin.disconnect();
}

function event(n: number, userId: string, extra: Record<string, unknown> = {}): EventEnvelope {
  return createEvent({ type: 'test.happened', userId, service: 'test', payload: { n, ...extra } });
}

async function send(topic: string, events: EventEnvelope[]): Promise<void> {
  await producer.send({
    topic,
    acks: -1,
    messages: events.map((e) => ({ key: e.user_id, value: JSON.stringify(e), headers: { event_id: e.event_id } })),
  });
}

beforeAll(async () => {
  db = await createTestDatabase({ database: 'empty', dirs: [join(repoRoot(), 'db', 'shared')] });
  await db.pool.query('CREATE TABLE handled (event_id UUID NOT NULL, topic TEXT NOT NULL, n INTEGER)');
  producer = kafka.producer();
  await producer.connect();
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.allSettled([...started.map((c) => c.stop()), ...readers.map((c) => c.disconnect())]);
  await producer?.disconnect();
  await db?.drop();
});

describe('event consumers on real Kafka', () => {
  it('handles an event delivered twice once, and keeps the events after a poisoned one flowing while it goes to the dead-letter topic', async () => {
    const topic = `test.consumer.${suffix()}`;
    await createTopic(topic);
    await createTopic(deadLetterTopic(topic), 1);
    const dead: { value: EventEnvelope; headers: Record<string, string> }[] = [];
    const dlqReader = kafka.consumer({ groupId: `dlq-reader-${suffix()}` });
    readers.push(dlqReader);
    await dlqReader.connect();
    await dlqReader.subscribe({ topic: deadLetterTopic(topic), fromBeginning: true });
    await dlqReader.run({
      eachMessage: async ({ message }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
        dead.push({ value: JSON.parse(message.value!.toString()) as EventEnvelope, headers });
      },
    });

    const registry = new Registry();
    const name = `test-service-${suffix()}`;
    const consumer = createKafkaEventConsumer({
      name,
      pool: db.pool,
      registry,
      kafka,
      maxAttempts: 3,
      retryDelayMs: 50,
    });
    started.push(consumer);
    consumer.on(topic, recordEvent);
    await consumer.start();

    // The same event twice (a redelivery), a poisoned event, then more events for the same user
    // (the same partition, behind the poisoned one) and for others.
    const twice = event(0, 'user-a');
    const poisoned = event(1, 'user-a', { poison: true });
    const after = [2, 3, 4].map((n) => event(n, 'user-a'));
    const others = [5, 6, 7, 8].map((n) => event(n, `user-${n}`));
    await send(topic, [twice, twice, poisoned, ...after, ...others]);

    await waitFor(async () => (await handledCount(topic)) === 1 + after.length + others.length && dead.length === 1);
    await waitFor(async () => (await metric(registry, 'events_consumed_total', { outcome: 'duplicate', topic })) === 1);

    const { rows } = await db.pool.query<{ event_id: string; n: number }>(
      'SELECT event_id, n FROM handled WHERE topic = $1 ORDER BY n',
      [topic],
    );
    expect(rows.map((r) => r.n)).toEqual([0, 2, 3, 4, 5, 6, 7, 8]);
    expect(rows.filter((r) => r.event_id === twice.event_id)).toHaveLength(1);

    expect(dead[0]!.value.event_id).toBe(poisoned.event_id);
    expect(dead[0]!.headers.dlq_error).toContain(`cannot handle event ${poisoned.event_id}`);
    expect(dead[0]!.headers.dlq_consumer).toBe(name);
    expect(dead[0]!.headers.dlq_attempts).toBe('3');
    expect(dead[0]!.headers.dlq_source_topic).toBe(topic);

    expect(await metric(registry, 'events_dead_lettered_total', { topic })).toBe(1);
    expect(await metric(registry, 'event_handler_failures_total', { topic })).toBe(3);
    expect(await metric(registry, 'events_consumed_total', { outcome: 'handled', topic })).toBe(8);
    expect(await metric(registry, 'events_consumed_total', { outcome: 'dead_lettered', topic })).toBe(1);
    const processed = await db.pool.query('SELECT 1 FROM processed_events WHERE event_id = $1', [poisoned.event_id]);
    expect(processed.rowCount).toBe(0);

    // Offsets were committed: a consumer of the same group started later gets nothing again.
    await consumer.stop();
    const again = createKafkaEventConsumer({ name, pool: db.pool, kafka });
    started.push(again);
    let redelivered = 0;
    again.on(topic, async () => {
      redelivered += 1;
    });
    await again.start();
    await send(topic, [event(9, 'user-a')]);
    await waitFor(() => redelivered === 1);
    await new Promise((r) => setTimeout(r, 500));
    expect(redelivered).toBe(1);
  });

  it('reports its lag per partition in the metrics until it has caught up', async () => {
    const topic = `test.lag.${suffix()}`;
    await createTopic(topic, 1);
    await send(topic, [1, 2, 3, 4, 5].map((n) => event(n, 'user-lag')));

    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered = 0;
    const registry = new Registry();
    const consumer = createKafkaEventConsumer({ name: `lag-${suffix()}`, pool: db.pool, registry, kafka });
    started.push(consumer);
    consumer.on(topic, async (e, context) => {
      entered += 1;
      await gate;
      await recordEvent(e, context);
    });
    await consumer.start();

    await waitFor(() => entered === 1);
    expect(await metric(registry, 'event_consumer_lag', { topic, partition: '0' })).toBe(5);
    release();
    await waitFor(async () => (await handledCount(topic)) === 5);
    await waitFor(async () => (await metric(registry, 'event_consumer_lag', { topic, partition: '0' })) === 0);
  });
});

describe('an event consumer while Kafka is unreachable', () => {
  it('starts without failing its service, says it could not connect, and stops', async () => {
    const warnings: unknown[] = [];
    const logger = { warn: (...args: unknown[]) => warnings.push(args), error: () => undefined } as unknown as Logger;
    const consumer = createKafkaEventConsumer({
      name: `unreachable-${suffix()}`,
      pool: db.pool,
      logger,
      kafka: { brokers: ['127.0.0.1:1'], clientId: 'unreachable', connectionTimeoutMs: 200 },
    });
    consumer.on('test.unreachable', recordEvent);
    await expect(consumer.start()).resolves.toBeUndefined();
    expect(warnings.length).toBeGreaterThan(0);
    await expect(consumer.stop()).resolves.toBeUndefined();
  });
});

describe('the embedded consumer on the in-process bus', () => {
  it('runs the same handler: once per event, and a poisoned event to the dead-letter topic', async () => {
    const topic = `test.embedded.${suffix()}`;
    const bus = createInProcessBus();
    const dead: EventEnvelope[] = [];
    bus.subscribe(deadLetterTopic(topic), (e) => {
      dead.push(e);
    });
    const registry = new Registry();
    const consumer = createInProcessEventConsumer({ name: 'embedded', pool: db.pool, bus, registry, maxAttempts: 2, retryDelayMs: 10 });
    consumer.on(topic, recordEvent);
    await consumer.start();

    const twice = event(0, 'user-e');
    const poisoned = event(1, 'user-e', { poison: true });
    await withTransaction(db.pool, async (client) => {
      for (const e of [twice, poisoned, event(2, 'user-e')]) await enqueueEvent(client, topic, e);
    });
    await createOutboxRelay({ pool: db.pool, bus }).flush();
    await bus.publish([{ topic, key: twice.user_id, event: twice }]);

    const { rows } = await db.pool.query<{ n: number }>('SELECT n FROM handled WHERE topic = $1 ORDER BY n', [topic]);
    expect(rows.map((r) => r.n)).toEqual([0, 2]);
    expect(dead.map((e) => e.event_id)).toEqual([poisoned.event_id]);
    expect(dead[0]!.payload.dlq_error).toContain('cannot handle event');
    expect(await metric(registry, 'events_dead_lettered_total', { topic })).toBe(1);
    expect(await metric(registry, 'events_consumed_total', { outcome: 'duplicate', topic })).toBe(1);
    await consumer.stop();
  });
});

/** A consumer replica as a process of its own (fixtures/consumer-replica), and the lines it printed so far. */
function replicaProcess(env: Record<string, string>): { child: ChildProcess; lines: string[] } {
  const script = join(import.meta.dirname, 'fixtures', 'consumer-replica', 'replica.mjs');
  const child = spawn(process.execPath, [script], { cwd: repoRoot(), env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const lines: string[] = [];
  child.stdout!.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
  return { child, lines };
}

describe('two replicas of a consumer (processes in one consumer group, over one database)', () => {
  it('the replica killed in the middle of an event leaves it to the other, which handles it once; the events before it are not handled again', async () => {
    const topic = `test.replicas.${suffix()}`;
    await createTopic(topic, 1);
    const name = `replica-test-${suffix()}`;
    const env = { DATABASE_URL: db.url, KAFKA_BOOTSTRAP_SERVERS: brokers.join(','), TOPIC: topic, CONSUMER_NAME: name };
    const events = [event(101, 'user-r'), event(102, 'user-r', { marked: true }), event(103, 'user-r')];
    await send(topic, events);

    const first = replicaProcess({ ...env, HANG_ON_MARKED: '1' });
    await waitFor(() => first.lines.includes(`in the middle of ${events[1]!.event_id}`), 90_000);
    expect(first.lines).toContain(`handled ${events[0]!.event_id}`);
    // The second replica joins the group only once the first is gone from it: Kafka waits out the
    // killed replica's session (30 s) before it hands the partition over, so the kill does not wait
    // for the second replica to have started.
    const second = replicaProcess(env);
    first.child.kill('SIGKILL');

    await waitFor(() => second.lines.includes(`handled ${events[2]!.event_id}`), 120_000);
    expect(second.lines).toContain('started');
    expect(second.lines).toContain(`handled ${events[1]!.event_id}`);
    const { rows } = await db.pool.query<{ n: number; times: number }>(
      'SELECT n, count(*)::int AS times FROM handled WHERE topic = $1 GROUP BY n ORDER BY n',
      [topic],
    );
    expect(rows).toEqual([
      { n: 101, times: 1 },
      { n: 102, times: 1 },
      { n: 103, times: 1 },
    ]);
    const processed = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM processed_events WHERE consumer = $1', [name]);
    expect(processed.rows[0]!.n).toBe(3);
  }, 240_000);
});
