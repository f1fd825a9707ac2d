/**
 * Vectors are stored unit-length as little-endian float32 bytes: cosine similarity is then a dot
 * product, and reading 10k of them is a copy, not 4M numbers parsed from text.
 */
export function unitVector(values: ArrayLike<number>): Float32Array {
  const out = Float32Array.from(values);
  let norm = 0;
  for (const x of out) norm += x * x;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < out.length; i++) out[i]! /= norm;
  return out;
}

export function vectorToBytes(vector: Float32Array): Buffer {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
}

export function bytesToVector(bytes: Buffer): Float32Array {
  // A copy: pg's buffers are slices of a larger one, not aligned for a Float32Array view. The
  // platforms Node runs on are little-endian, so the bytes are used as they are.
  const copy = new Uint8Array(bytes.length - (bytes.length % 4));
  copy.set(bytes.subarray(0, copy.length));
  return new Float32Array(copy.buffer);
}

export function dot(a: Float32Array, b: Float32Array): number {
  const n = Math.min(a.length, b.length);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += a[i]! * b[i]!;
  return sum;
}

/** The highest similarity of `query` to any of `vectors` (unit vectors); -1 when there are none. */
export function bestSimilarity(query: Float32Array, vectors: readonly Float32Array[]): number {
  let best = -1;
  for (const v of vectors) best = Math.max(best, dot(query, v));
  return best;
}

/** The `k` candidates most similar to `query` (unit vectors), best first. */
export function nearest<Id>(query: Float32Array, candidates: { id: Id; vector: Float32Array }[], k: number): { id: Id; similarity: number }[] {
  const scored = candidates.map((c) => ({ id: c.id, similarity: dot(query, c.vector) }));
  scored.sort((a, b) => b.similarity - a.similarity);
  return scored.slice(0, k);
}

/**
 * Reciprocal rank fusion (Cormack et al., 2009): each list adds 1 / (k + rank) for the items it
 * holds. It needs no common scale between a full-text rank and a cosine, and k = 60 keeps one
 * list's first place from outweighing agreement between both.
 */
export function reciprocalRankFusion<Id>(lists: Id[][], k = 60): { id: Id; score: number }[] {
  const scores = new Map<Id, number>();
  for (const list of lists) {
    list.forEach((id, index) => scores.set(id, (scores.get(id) ?? 0) + 1 / (k + index + 1)));
  }
  return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score);
}
