import type { DocumentVector, EmbeddingRepository } from './embedding-repository.js';

/**
 * The users' vectors kept in memory between searches: reading 5,000 of them from the database
 * takes ~110 ms, checking that they are still current ~2 ms. The least recently searched users
 * are dropped past `maxUsers`; every search checks the version, so other replicas' writes are seen
 * (a deleted document's vectors are never served again). An erased user's vectors are dropped at once.
 */
export function createVectorCache(vectors: EmbeddingRepository, maxUsers = 32) {
  const entries = new Map<string, { version: string; rows: DocumentVector[] }>();
  const userOf = (key: string) => key.slice(key.indexOf('\u0000') + 1);
  return {
    async vectorsOf(userId: string, model: string, documentIds?: number[]): Promise<DocumentVector[]> {
      const key = `${model}\u0000${userId}`;
      const version = await vectors.versionOf(userId, model);
      let entry = entries.get(key);
      if (entry?.version !== version) entry = { version, rows: await vectors.vectorsOf(userId, model) };
      entries.delete(key);
      entries.set(key, entry);
      for (const oldest of entries.keys()) {
        if (entries.size <= maxUsers) break;
        entries.delete(oldest);
      }
      if (!documentIds) return entry.rows;
      const wanted = new Set(documentIds);
      return entry.rows.filter((r) => wanted.has(r.documentId));
    },
    /** Drops every vector kept of the user, for every model (their account was erased). */
    forgetUser(userId: string): void {
      for (const key of [...entries.keys()]) if (userOf(key) === userId) entries.delete(key);
    },
    /** Whether any vector of the user is kept in memory. */
    holds(userId: string): boolean {
      return [...entries.keys()].some((key) => userOf(key) === userId);
    },
  };
}

export type VectorCache = ReturnType<typeof createVectorCache>;
