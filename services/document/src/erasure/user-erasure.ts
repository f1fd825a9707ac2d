import { onUserDeleted, removeStoredObjects } from '@learner/common/contracts';
import type { Queryable } from '@learner/common/db';
import type { EventConsumer } from '@learner/common/events';
import type { ObjectStorage } from '@learner/common/storage';
import type { VectorCache } from '../embeddings/vector-cache.js';

/**
 * Removes the user's documents (pages, passages, notes and embeddings go with them) and their
 * stored files. A document being processed meanwhile finds its row gone: its writes fail on the
 * foreign key or change nothing.
 */
export async function eraseDocumentUser(db: Queryable, storage: Pick<ObjectStorage, 'delete'>, userId: string): Promise<void> {
  const { rows } = await db.query<{ s3_key: string }>('DELETE FROM documents WHERE user_id = $1 RETURNING s3_key', [userId]);
  await removeStoredObjects(storage, rows.map((row) => row.s3_key));
}

/**
 * The document service's part of an account erasure, on user.deleted; the user's vectors kept in
 * this process's search cache go too.
 */
export function registerUserErasure(
  events: Pick<EventConsumer, 'on'>,
  storage: Pick<ObjectStorage, 'delete'>,
  vectors?: Pick<VectorCache, 'forgetUser'>,
): void {
  onUserDeleted(events, 'document', async (userId, db) => {
    await eraseDocumentUser(db, storage, userId);
    vectors?.forgetUser(userId);
  });
}
