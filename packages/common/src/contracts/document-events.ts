import { z } from 'zod';
import type { Queryable } from '../db/pool.js';
import type { EventConsumer } from '../events/consumer.js';
import { TOPICS, type EventEnvelope } from '../events/envelope.js';

/**
 * The payload of `document.deleted`, which the document service records when a learner deletes a
 * document: the services keeping what was made from it (quizzes, chat citations) mark it by these.
 */
export const documentDeletedPayload = z.object({
  document_id: z.int().min(1),
  title: z.string(),
  filename: z.string(),
});
export type DocumentDeletedPayload = z.infer<typeof documentDeletedPayload>;

/** A deleted document as the consuming services record it. */
export interface DeletedDocument {
  documentId: number;
  userId: string;
  title: string;
  deletedAt: string;
}

/** The deleted document an event names; throws when the event is malformed. */
export function deletedDocumentOf(event: EventEnvelope): DeletedDocument {
  const payload = documentDeletedPayload.parse(event.payload);
  return {
    documentId: payload.document_id,
    userId: z.string().min(1).parse(event.user_id),
    title: payload.title,
    deletedAt: z.iso.datetime({ offset: true }).parse(event.timestamp),
  };
}

/**
 * Registers the consumer's handler of document.deleted. `handle` runs in the transaction that records
 * the event as processed, so its writes happen once however often the event is delivered; a
 * malformed event fails, and after the consumer's retries goes to the dead-letter topic.
 */
export function onDocumentDeleted(
  events: Pick<EventConsumer, 'on'>,
  handle: (deleted: DeletedDocument, db: Queryable) => Promise<void>,
): void {
  events.on(TOPICS.documentDeleted, (event, { db }) => handle(deletedDocumentOf(event), db));
}
