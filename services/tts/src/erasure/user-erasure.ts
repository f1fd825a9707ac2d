import { onUserDeleted, removeStoredObjects } from '@learner/common/contracts';
import type { Queryable } from '@learner/common/db';
import type { EventConsumer } from '@learner/common/events';
import type { ObjectStorage } from '@learner/common/storage';

/** Removes the user's audio: its rows and the stored files. */
export async function eraseTtsUser(db: Queryable, storage: Pick<ObjectStorage, 'delete'>, userId: string): Promise<void> {
  const { rows } = await db.query<{ storage_key: string }>(
    'DELETE FROM audio_files WHERE user_id = $1 RETURNING storage_key',
    [userId],
  );
  await removeStoredObjects(storage, rows.map((row) => row.storage_key));
}

/** The tts service's part of an account erasure, on user.deleted. */
export function registerUserErasure(events: Pick<EventConsumer, 'on'>, storage: Pick<ObjectStorage, 'delete'>): void {
  onUserDeleted(events, 'tts', (userId, db) => eraseTtsUser(db, storage, userId));
}
