import type { Logger } from 'pino';
import type { Pool, Queryable } from '../db/pool.js';
import { renewLease } from '../jobs/lease-renewal.js';
import type { EventBus, EventEnvelope, OutgoingMessage } from './envelope.js';

/** Writes an event to the outbox; call it with the transaction's client to commit both together. */
export async function enqueueEvent(db: Queryable, topic: string, event: EventEnvelope): Promise<void> {
  await db.query('INSERT INTO outbox (event_id, topic, event_key, payload) VALUES ($1, $2, $3, $4)', [
    event.event_id,
    topic,
    event.user_id,
    JSON.stringify(event),
  ]);
}

export interface OutboxRelay {
  start(): void;
  /** Stops polling and waits for the batch in flight. */
  stop(): Promise<void>;
  /** Publishes everything pending now; returns how many were sent. */
  flush(): Promise<number>;
}

interface OutboxRow {
  id: number;
  topic: string;
  event_key: string;
  payload: EventEnvelope;
}

/**
 * Moves outbox rows to the bus in id order. A batch is claimed for `claimMs` (SKIP LOCKED, so
 * several relays or service replicas never take the same rows at once), published with no database
 * connection held (handlers on the in-process bus take one, and the embedded database has a single
 * one), then marked sent; a row is marked sent only after the bus acknowledged it, so a failure
 * means a retry, never a loss. While the bus takes its time the claim is renewed, so a slow publish
 * keeps its rows; a relay that dies mid-batch stops renewing, its claim runs out within `claimMs`,
 * and another relay sends the rows again: at least once, which the consumers' processed_events make
 * once in effect.
 */
export function createOutboxRelay(options: {
  pool: Pool;
  bus: EventBus;
  logger?: Logger;
  pollMs?: number;
  batchSize?: number;
  /** How long a batch is kept from other relays past the last renewal; renewed every third of it while being sent. */
  claimMs?: number;
  /** The longest a relay keeps renewing one batch's claim, so that a publish that never settles does not keep the rows from the others. */
  maxHoldMs?: number;
}): OutboxRelay {
  const pollMs = options.pollMs ?? 250;
  const batchSize = options.batchSize ?? 100;
  // A replica killed mid-batch holds its rows back for this long; a live one renews it while it sends.
  const claimMs = options.claimMs ?? 15_000;
  // Well past the slowest publish the Kafka client allows.
  const maxHoldMs = options.maxHoldMs ?? 120_000;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let inFlight: Promise<number> | undefined;
  let failures = 0;

  const sendBatch = async (): Promise<number> => {
    const { rows } = await options.pool.query<OutboxRow>(
      `UPDATE outbox SET claimed_until = now() + make_interval(secs => $2::double precision / 1000)
        WHERE id IN (SELECT id FROM outbox
                      WHERE published_at IS NULL AND (claimed_until IS NULL OR claimed_until < now())
                      ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING id, topic, event_key, payload`,
      [batchSize, claimMs],
    );
    if (rows.length === 0) return 0;
    rows.sort((a, b) => Number(a.id) - Number(b.id));
    const ids = rows.map((r) => r.id);
    const messages: OutgoingMessage[] = rows.map((r) => ({ topic: r.topic, key: r.event_key, event: r.payload }));
    // Renewed while the bus works (the slowest publish the Kafka client allows, three tries of a 2 s
    // connection and a 10 s request, is about 40 s), so that no other relay sends the rows meanwhile.
    const renewal = renewLease(
      claimMs,
      () =>
        options.pool
          .query(
            `UPDATE outbox SET claimed_until = now() + make_interval(secs => $2::double precision / 1000)
              WHERE id = ANY($1::bigint[]) AND published_at IS NULL`,
            [ids, claimMs],
          )
          .then(
            () => undefined,
            () => undefined,
          ),
      { maxMs: maxHoldMs },
    );
    try {
      try {
        await options.bus.publish(messages);
      } finally {
        await renewal.stop();
      }
    } catch (err) {
      await options.pool
        .query('UPDATE outbox SET attempts = attempts + 1, last_error = $2, claimed_until = NULL WHERE id = ANY($1::bigint[])', [
          ids,
          String((err as Error).message ?? err).slice(0, 500),
        ])
        .catch(() => undefined);
      throw err;
    }
    await options.pool.query('UPDATE outbox SET published_at = now(), last_error = NULL, claimed_until = NULL WHERE id = ANY($1::bigint[])', [
      ids,
    ]);
    return rows.length;
  };

  const drain = async (): Promise<number> => {
    let total = 0;
    for (;;) {
      const sent = await sendBatch();
      total += sent;
      if (sent < batchSize) return total;
    }
  };

  const tick = (): void => {
    if (!running) return;
    inFlight = drain()
      .then((n) => {
        failures = 0;
        return n;
      })
      .catch((err: unknown) => {
        failures += 1;
        if (failures === 1 || failures % 20 === 0) {
          options.logger?.warn({ err, failures }, 'outbox relay could not publish; will retry');
        }
        return 0;
      })
      .finally(() => {
        inFlight = undefined;
        // Back off while the bus is down, up to ~10 s between tries.
        const delay = failures === 0 ? pollMs : Math.min(10_000, pollMs * 2 ** Math.min(failures, 6));
        if (running) timer = setTimeout(tick, delay);
      });
  };

  return {
    start() {
      if (running) return;
      running = true;
      tick();
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      await inFlight;
    },
    async flush() {
      await inFlight;
      return drain();
    },
  };
}

/**
 * Runs `handle` once per event id for a consumer: redelivered events are skipped. The record and
 * the handler's own writes share one transaction when the handler uses the given client.
 */
export async function handleOnce(
  pool: Pool,
  consumer: string,
  event: EventEnvelope,
  handle: (db: Queryable) => Promise<void>,
): Promise<boolean> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const inserted = await client.query(
      'INSERT INTO processed_events (event_id, consumer) VALUES ($1, $2) ON CONFLICT DO NOTHING',
      [event.event_id, consumer],
    );
    if (inserted.rowCount === 0) {
      await client.query('ROLLBACK');
      return false;
    }
    await handle(client);
    await client.query('COMMIT');
    return true;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
