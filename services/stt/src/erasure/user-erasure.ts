import { onUserDeleted, removeStoredObjects } from '@learner/common/contracts';
import type { Queryable } from '@learner/common/db';
import type { EventConsumer } from '@learner/common/events';
import type { ObjectStorage } from '@learner/common/storage';
import type { Recognizer } from '../recognizers/recognizer.js';

export interface SttErasureDeps {
  storage: Pick<ObjectStorage, 'delete'>;
  /** Its copies of transcripts (Transcribe's output in the bucket) go too. */
  recognizer: Pick<Recognizer, 'discard'>;
}

/**
 * Removes the user's transcriptions: rows, stored recordings and the engine's copies. A job still
 * running finds its row gone when it ends, writes nothing and removes its transcript then.
 */
export async function eraseSttUser(db: Queryable, deps: SttErasureDeps, userId: string): Promise<void> {
  const { rows } = await db.query<{ id: string; storage_key: string }>(
    'DELETE FROM transcriptions WHERE user_id = $1 RETURNING id, storage_key',
    [userId],
  );
  await removeStoredObjects(deps.storage, rows.map((row) => row.storage_key));
  for (const row of rows) await deps.recognizer.discard(row.id);
}

/** The stt service's part of an account erasure, on user.deleted. */
export function registerUserErasure(events: Pick<EventConsumer, 'on'>, deps: SttErasureDeps): void {
  onUserDeleted(events, 'stt', (userId, db) => eraseSttUser(db, deps, userId));
}
