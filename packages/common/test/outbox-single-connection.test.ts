import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '../src/db/index.js';
import {
  createEvent,
  createInProcessBus,
  createInProcessEventConsumer,
  createOutboxRelay,
  enqueueEvent,
  type EventEnvelope,
} from '../src/events/index.js';
import { createTestDatabase, repoRoot, type TestDatabase } from '../src/testing/index.js';

/**
 * Embedded mode: one process, one database connection (PGlite), and consumers on the in-process bus
 * whose handlers run inside the relay's publish, each in a transaction of its own.
 */
const topic = 'test.single.connection';
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase({ database: 'empty', dirs: [join(repoRoot(), 'db', 'shared')], poolSize: 1 });
  await db.pool.query('CREATE TABLE IF NOT EXISTS handled (event_id UUID PRIMARY KEY, n INTEGER NOT NULL)');
});

afterAll(async () => {
  await db?.drop();
});

async function enqueue(count: number): Promise<EventEnvelope[]> {
  const events = Array.from({ length: count }, (_, n) => createEvent({ type: topic, userId: 'user-1', service: 'test', payload: { n } }));
  await withTransaction(db.pool, async (client) => {
    for (const event of events) await enqueueEvent(client, topic, event);
  });
  return events;
}

describe('the outbox relay over a database with a single connection', () => {
  it('hands its events to a handler on the in-process bus that writes in its own transaction', async () => {
    const bus = createInProcessBus();
    const consumer = createInProcessEventConsumer({ name: 'single', pool: db.pool, bus, maxAttempts: 1 });
    consumer.on(topic, async (event, { db: tx }) => {
      await tx.query('INSERT INTO handled (event_id, n) VALUES ($1, $2)', [event.event_id, event.payload.n]);
    });
    await consumer.start();
    const events = await enqueue(3);

    expect(await createOutboxRelay({ pool: db.pool, bus }).flush()).toBe(3);
    const { rows } = await db.pool.query<{ n: number }>('SELECT n FROM handled WHERE event_id = ANY($1::uuid[]) ORDER BY n', [
      events.map((e) => e.event_id),
    ]);
    expect(rows.map((r) => r.n)).toEqual([0, 1, 2]);
    const pending = await db.pool.query('SELECT 1 FROM outbox WHERE event_id = ANY($1::uuid[]) AND published_at IS NULL', [events.map((e) => e.event_id)]);
    expect(pending.rows).toEqual([]);
    await consumer.stop();
  });

  it('leaves a batch claimed by another relay alone, and sends it once that claim has run out', async () => {
    const bus = createInProcessBus();
    const seen: string[] = [];
    bus.subscribe(topic, (event) => {
      seen.push(event.event_id);
    });
    const [event] = await enqueue(1);
    // Another relay took it and stopped before marking it sent.
    await db.pool.query("UPDATE outbox SET claimed_until = now() + interval '1 hour' WHERE event_id = $1", [event!.event_id]);
    const relay = createOutboxRelay({ pool: db.pool, bus });
    await relay.flush();
    expect(seen).not.toContain(event!.event_id);

    await db.pool.query("UPDATE outbox SET claimed_until = now() - interval '1 second' WHERE event_id = $1", [event!.event_id]);
    await relay.flush();
    expect(seen.filter((id) => id === event!.event_id)).toHaveLength(1);
  });

  it('keeps the events of a failed publish and sends them on the next try', async () => {
    let fail = true;
    const sent: string[] = [];
    const bus = {
      async publish(messages: { event: EventEnvelope }[]) {
        if (fail) throw new Error('bus down');
        sent.push(...messages.map((m) => m.event.event_id));
      },
      async check() {},
      async close() {},
    };
    const events = await enqueue(2);
    const relay = createOutboxRelay({ pool: db.pool, bus });
    await expect(relay.flush()).rejects.toThrow('bus down');
    const { rows } = await db.pool.query<{ attempts: number; last_error: string; claimed_until: Date | null }>(
      'SELECT attempts, last_error, claimed_until FROM outbox WHERE event_id = ANY($1::uuid[])',
      [events.map((e) => e.event_id)],
    );
    expect(rows).toEqual([
      { attempts: 1, last_error: 'bus down', claimed_until: null },
      { attempts: 1, last_error: 'bus down', claimed_until: null },
    ]);
    fail = false;
    await relay.flush();
    expect(sent).toEqual(expect.arrayContaining(events.map((e) => e.event_id)));
  });
});
