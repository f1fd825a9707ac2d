import type { Queryable } from '@learner/common/db';
import { bytesToVector, vectorToBytes } from './vectors.js';

export interface PassageToEmbed {
  passageId: number;
  text: string;
}

export interface StoredVector {
  passageId: number;
  vector: Float32Array;
}

export interface DocumentVector extends StoredVector {
  documentId: number;
}

export function createEmbeddingRepository(db: Queryable) {
  return {
    /**
     * Claims, for `leaseMs`, up to `limit` passages of completed documents without a vector from
     * `model` and not claimed by another process, oldest first (`documentId` narrows it to one
     * document), and returns them. Two processes asking at once never get the same passage: the
     * claim of one that stopped runs out and the passage is handed out again.
     */
    async claimMissing(model: string, limit: number, leaseMs: number, documentId?: number): Promise<PassageToEmbed[]> {
      const { rows } = await db.query<{ id: string; text: string }>(
        `WITH todo AS (
           SELECT p.id
           FROM passages p JOIN documents d ON d.id = p.document_id
           LEFT JOIN passage_embeddings e ON e.passage_id = p.id AND e.model = $1
           LEFT JOIN embedding_claims c ON c.passage_id = p.id AND c.model = $1 AND c.claimed_until > now()
           WHERE e.passage_id IS NULL AND c.passage_id IS NULL AND d.status = 'completed' AND ($3::int IS NULL OR p.document_id = $3)
           ORDER BY p.id
           LIMIT $2
         ), claimed AS (
           INSERT INTO embedding_claims (passage_id, model, claimed_until)
           SELECT id, $1, clock_timestamp() + $4::int * interval '1 millisecond' FROM todo
           ON CONFLICT (passage_id) DO UPDATE SET model = EXCLUDED.model, claimed_until = EXCLUDED.claimed_until
             WHERE embedding_claims.claimed_until <= now() OR embedding_claims.model <> EXCLUDED.model
           RETURNING passage_id
         )
         SELECT p.id, p.text FROM passages p JOIN claimed c ON c.passage_id = p.id ORDER BY p.id`,
        [model, limit, documentId ?? null, Math.round(leaseMs)],
      );
      return rows.map((r) => ({ passageId: Number(r.id), text: r.text }));
    },

    /** Hands claimed passages back unembedded (the server failed), so any process may take them at once. */
    async release(model: string, passageIds: number[]): Promise<void> {
      if (passageIds.length === 0) return;
      await db.query('DELETE FROM embedding_claims WHERE passage_id = ANY($1::bigint[]) AND model = $2', [passageIds, model]);
    },

    /** Stores (or replaces) vectors; a passage deleted meanwhile is skipped. */
    async store(model: string, vectors: StoredVector[], tx: Queryable = db): Promise<void> {
      if (vectors.length === 0) return;
      await tx.query(
        `INSERT INTO passage_embeddings (passage_id, document_id, user_id, model, embedding)
         SELECT p.id, p.document_id, p.user_id, $1, v.embedding
         FROM unnest($2::bigint[], $3::bytea[]) AS v (passage_id, embedding)
         JOIN passages p ON p.id = v.passage_id
         ON CONFLICT (passage_id) DO UPDATE SET model = EXCLUDED.model, embedding = EXCLUDED.embedding, created_at = now()`,
        [model, vectors.map((v) => v.passageId), vectors.map((v) => vectorToBytes(v.vector))],
      );
      await tx.query('DELETE FROM embedding_claims WHERE passage_id = ANY($1::bigint[])', [vectors.map((v) => v.passageId)]);
    },

    /** The vectors of `model` over the user's completed documents. */
    async vectorsOf(userId: string, model: string): Promise<DocumentVector[]> {
      const { rows } = await db.query<{ passage_id: number; document_id: number; embedding: Buffer }>(
        `SELECT e.passage_id, e.document_id, e.embedding
         FROM passage_embeddings e JOIN documents d ON d.id = e.document_id
         WHERE e.user_id = $1 AND e.model = $2 AND d.status = 'completed' AND length(e.embedding) > 0`,
        [userId, model],
      );
      return rows.map((r) => ({ passageId: Number(r.passage_id), documentId: r.document_id, vector: bytesToVector(r.embedding) }));
    },

    /**
     * Changes whenever what `vectorsOf` would return changes: a vector stored (each gets a newer
     * time) or one leaving (a document deleted or taken back into processing lowers the count).
     */
    async versionOf(userId: string, model: string): Promise<string> {
      const { rows } = await db.query<{ n: number; latest: Date | null }>(
        `SELECT count(*)::int AS n, max(e.created_at) AS latest
         FROM passage_embeddings e JOIN documents d ON d.id = e.document_id
         WHERE e.user_id = $1 AND e.model = $2 AND d.status = 'completed' AND length(e.embedding) > 0`,
        [userId, model],
      );
      return `${rows[0]?.n ?? 0}@${rows[0]?.latest?.toISOString() ?? ''}`;
    },
  };
}

export type EmbeddingRepository = ReturnType<typeof createEmbeddingRepository>;
