import { z } from 'zod';
import type { EventConsumer } from '@learner/common/events';
import { TOPICS } from '@learner/common/events';
import { createStudyPackRepository } from './study-pack-repository.js';

const processedPayload = z.object({ document_id: z.int().min(1), status: z.string() });

/**
 * document.processed queues the document's study pack, if it has one, for the study pack worker:
 * in the transaction that records the event as handled, so a redelivered event queues nothing twice
 * (and a pack already made is never made again). `onQueued` wakes the worker.
 */
export function onDocumentProcessed(events: Pick<EventConsumer, 'on'>, onQueued?: () => void): void {
  events.on(TOPICS.documentProcessed, async (event, { db }) => {
    const payload = processedPayload.parse(event.payload);
    if (payload.status !== 'completed') return;
    // The worker is woken once the transaction has had time to commit; otherwise it finds the pack at its next poll.
    if (await createStudyPackRepository(db).queue(event.user_id, payload.document_id)) setTimeout(() => onQueued?.(), 100).unref();
  });
}
