import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Queryable } from '../db/pool.js';
import type { EventConsumer } from '../events/consumer.js';
import { UnauthenticatedError } from '../errors/index.js';
import { TOPICS, createEvent } from '../events/envelope.js';
import { enqueueEvent } from '../events/outbox.js';
import { ObjectNotFoundError, type ObjectStorage } from '../storage/object-storage.js';

/** Every service that keeps something of a user and confirms its part of an erasure. */
export const ERASURE_SERVICES = ['gateway', 'document', 'chat', 'quiz', 'tts', 'stt'] as const;
export type ErasureService = (typeof ERASURE_SERVICES)[number];

/**
 * The payload of `user.deleted` (keyed, like every event, by the user's id): the erasure's receipt
 * id, which the confirmations name instead of the user.
 */
export const userDeletedPayload = z.object({ erasure_id: z.uuid() });
export type UserDeletedPayload = z.infer<typeof userDeletedPayload>;

/**
 * The payload of `erasure.confirmed`: a service erased everything it kept of the user. Its envelope's
 * user_id and key are the erasure id, so the confirmation itself holds nothing of the user.
 */
export const erasureConfirmedPayload = z.object({ erasure_id: z.uuid(), service: z.enum(ERASURE_SERVICES) });
export type ErasureConfirmedPayload = z.infer<typeof erasureConfirmedPayload>;

/** How an erased user is remembered: a one-way hash, so the id itself is kept nowhere. */
export function erasedUserHash(userId: string): string {
  return createHash('sha256').update(`erased-user:${userId}`).digest('hex');
}

/**
 * Records the user as erased in this database (idempotent). It holds the user's erasure lock until
 * the transaction ends, so a write that checked isUserErased in its own transaction either
 * committed before (and is erased with the rest) or sees the mark.
 */
export async function markUserErased(db: Queryable, userId: string): Promise<void> {
  const hash = erasedUserHash(userId);
  await db.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [hash]);
  await db.query('INSERT INTO erased_users (user_hash) VALUES ($1) ON CONFLICT DO NOTHING', [hash]);
}

/**
 * Whether this database already carried out the user's erasure: work that finishes late (a quiz
 * being written, audio being made) must not write for them again. Call it inside the transaction
 * that writes; it waits for an erasure of the user in progress.
 */
export async function isUserErased(db: Queryable, userId: string): Promise<boolean> {
  const hash = erasedUserHash(userId);
  await db.query('SELECT pg_advisory_xact_lock_shared(hashtextextended($1, 0))', [hash]);
  const { rows } = await db.query('SELECT 1 FROM erased_users WHERE user_hash = $1', [hash]);
  return rows.length > 0;
}

/**
 * Refuses (401) to store anything for a user this database has erased: call it in the transaction
 * that writes what a request or job made (a quiz, audio, a recording, a document), so work that was
 * under way when the erasure arrived leaves nothing behind; the caller removes its stored file.
 */
export async function assertUserNotErased(db: Queryable, userId: string): Promise<void> {
  if (await isUserErased(db, userId)) throw new UnauthenticatedError('The account was erased');
}

/**
 * Removes the user's own events from this database's outbox (sent or not: the user is gone, and
 * an event names them), then records the service's confirmation of the erasure.
 */
export async function confirmErasure(
  db: Queryable,
  input: { userId: string; erasureId: string; service: ErasureService },
): Promise<void> {
  await db.query('DELETE FROM outbox WHERE event_key = $1', [input.userId]);
  await enqueueEvent(
    db,
    TOPICS.erasureConfirmed,
    createEvent({
      type: TOPICS.erasureConfirmed,
      userId: input.erasureId,
      service: input.service,
      payload: { erasure_id: input.erasureId, service: input.service },
    }),
  );
}

/**
 * Deletes the user's rows from every table of this database with a user_id column, so a table added
 * later is erased too. Runs after the service's own erase (which removes rows in the order its
 * foreign keys need and collects the stored files to delete).
 */
export async function deleteUserRows(db: Queryable, userId: string): Promise<void> {
  const { rows } = await db.query<{ table_name: string; data_type: string }>(
    `SELECT c.table_name, c.data_type FROM information_schema.columns c
     JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE c.table_schema = current_schema() AND c.column_name = 'user_id' AND t.table_type = 'BASE TABLE'
     ORDER BY c.table_name`,
  );
  for (const row of rows) {
    const table = `"${row.table_name.replaceAll('"', '""')}"`;
    await db.query(`DELETE FROM ${table} WHERE user_id::text = $1`, [userId]);
  }
}

/**
 * Registers the consumer's handler of user.deleted. `erase` removes the user's rows through `db`
 * (the transaction that records the event as processed) and their stored files and cached
 * entries; it must succeed when run again over what it already erased. The user is marked erased
 * first, and after `erase` every other row with their user_id goes, their outbox events are dropped
 * and the confirmation is queued, all in that transaction.
 * A malformed event fails and, after the consumer's retries, goes to the dead-letter topic.
 */
export function onUserDeleted(
  events: Pick<EventConsumer, 'on'>,
  service: ErasureService,
  erase: (userId: string, db: Queryable) => Promise<void>,
): void {
  events.on(TOPICS.userDeleted, async (event, { db }) => {
    const { erasure_id: erasureId } = userDeletedPayload.parse(event.payload);
    const userId = z.string().min(1).parse(event.user_id);
    await markUserErased(db, userId);
    await erase(userId, db);
    await deleteUserRows(db, userId);
    await confirmErasure(db, { userId, erasureId, service });
  });
}

/** Registers the gateway's handler of erasure.confirmed. */
export function onErasureConfirmed(
  events: Pick<EventConsumer, 'on'>,
  handle: (confirmed: ErasureConfirmedPayload, db: Queryable) => Promise<void>,
): void {
  events.on(TOPICS.erasureConfirmed, (event, { db }) => handle(erasureConfirmedPayload.parse(event.payload), db));
}

/**
 * Deletes stored objects of an erased user; one already gone counts as deleted, so a handler run
 * again after a partial failure finishes the rest. Any other failure is thrown (the event is retried).
 */
export async function removeStoredObjects(storage: Pick<ObjectStorage, 'delete'>, keys: readonly string[]): Promise<void> {
  for (const key of keys) {
    try {
      await storage.delete(key);
    } catch (err) {
      if (!(err instanceof ObjectNotFoundError)) throw err;
    }
  }
}
