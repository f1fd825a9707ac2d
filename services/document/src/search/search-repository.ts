import type { Queryable } from '@learner/common/db';
import type { Passage } from './passages.js';

export interface SearchHit {
  documentId: number;
  title: string;
  page: number;
  passageId: number;
  text: string;
  snippet: string;
  rank: number;
}

interface HitRow {
  document_id: number;
  title: string;
  page: number;
  passage_id: number;
  text: string;
  snippet: string;
  rank: number;
}

/** Words of a question as an OR query for to_tsquery: only letters and digits reach Postgres. */
export function anyWordQuery(q: string): string {
  const words = q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words)].slice(0, 32).join(' | ');
}

/**
 * At most this many matching passages are ranked for one search. A question of common words over a
 * large library (the any-word fallback over megabytes of repeated text) matches nearly every passage,
 * and ranking them all held the database for seconds; past this many, which ones are ranked is the
 * index's order, so a huge library's best passage may be missed rather than every user kept waiting.
 */
export const MAX_RANKED_PASSAGES = 2_000;

const HEADLINE_OPTIONS = 'StartSel=<b>, StopSel=</b>, MaxWords=35, MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "';

function toHit(r: HitRow): SearchHit {
  return {
    documentId: r.document_id,
    title: r.title,
    page: r.page,
    passageId: Number(r.passage_id),
    text: r.text,
    snippet: r.snippet,
    rank: r.rank,
  };
}

export function createSearchRepository(db: Queryable) {
  /**
   * Ranks first, then highlights only the passages that are returned (ts_headline is costly);
   * without `snippets`, not even those (a list to fuse with another, highlighted afterwards).
   */
  const run = async (
    tsquery: string,
    query: string,
    userId: string,
    documentIds: number[] | undefined,
    limit: number,
    snippets = true,
  ): Promise<SearchHit[]> => {
    const { rows } = await db.query<HitRow>(
      `WITH q AS (SELECT ${tsquery}('english', $1) AS query),
       candidates AS (
         SELECT p.id, p.document_id, p.page, p.position, p.text, p.tsv
         FROM passages p JOIN documents d ON d.id = p.document_id, q
         WHERE p.user_id = $2 AND d.status = 'completed' AND p.tsv @@ q.query
           AND ($3::int[] IS NULL OR p.document_id = ANY($3::int[]))
         LIMIT $5),
       top AS (
         SELECT c.id, c.document_id, c.page, c.position, c.text, ts_rank_cd(c.tsv, q.query) AS rank
         FROM candidates c, q
         ORDER BY rank DESC, c.document_id, c.page, c.position
         LIMIT $4)
       SELECT top.document_id, d.title, top.page, top.id AS passage_id, top.text, top.rank::float8 AS rank,
              ${snippets ? `ts_headline('english', top.text, q.query, '${HEADLINE_OPTIONS}')` : "''"} AS snippet
       FROM top JOIN documents d ON d.id = top.document_id, q
       ORDER BY top.rank DESC, top.document_id, top.page, top.position`,
      [query, userId, documentIds ?? null, limit, MAX_RANKED_PASSAGES],
    );
    return rows.map(toHit);
  };

  return {
    /**
     * Adds passages to a document; resolves with their ids, in the order given. Processing writes
     * a large document's passages a batch at a time, each in its own short transaction: they stay
     * out of every read (all ask for completed documents) until the document is marked completed.
     */
    async insertPassages(documentId: number, userId: string, passages: Passage[], tx: Queryable = db): Promise<number[]> {
      if (passages.length === 0) return [];
      const { rows } = await tx.query<{ id: number; page: number; position: number }>(
        `INSERT INTO passages (document_id, user_id, page, position, text, heading, start_offset, end_offset)
         SELECT $1, $2, * FROM unnest($3::int[], $4::int[], $5::text[], $6::text[], $7::int[], $8::int[])
         RETURNING id, page, position`,
        [
          documentId,
          userId,
          passages.map((p) => p.page),
          passages.map((p) => p.position),
          passages.map((p) => p.text),
          passages.map((p) => p.heading),
          passages.map((p) => p.start),
          passages.map((p) => p.end),
        ],
      );
      const ids = new Map(rows.map((r) => [`${r.page}:${r.position}`, Number(r.id)]));
      return passages.map((p) => ids.get(`${p.page}:${p.position}`)!);
    },

    /** Removes up to `limit` of a document's passages (their vectors go with them); resolves with how many. */
    async deletePassages(documentId: number, limit: number, tx: Queryable = db): Promise<number> {
      const { rowCount } = await tx.query(
        'DELETE FROM passages WHERE id IN (SELECT id FROM passages WHERE document_id = $1 LIMIT $2)',
        [documentId, limit],
      );
      return rowCount ?? 0;
    },

    /**
     * Passages of the user's completed documents matching `q`, best first: all the words
     * (websearch syntax), or, when nothing has them all, any of them.
     */
    async search(
      userId: string,
      q: string,
      options: { documentIds?: number[] | undefined; limit: number; snippets?: boolean },
    ): Promise<SearchHit[]> {
      const all = await run('websearch_to_tsquery', q, userId, options.documentIds, options.limit, options.snippets);
      if (all.length > 0) return all;
      const any = anyWordQuery(q);
      if (!any) return [];
      return run('to_tsquery', any, userId, options.documentIds, options.limit, options.snippets);
    },

    /**
     * The user's passages of completed documents among `ids` (found by their vectors), in no
     * order, with a snippet highlighting any word of `q` they hold (their start when none).
     */
    async passagesByIds(userId: string, ids: number[], q: string): Promise<SearchHit[]> {
      if (ids.length === 0) return [];
      const any = anyWordQuery(q);
      const { rows } = await db.query<HitRow>(
        `SELECT p.document_id, d.title, p.page, p.id AS passage_id, p.text, 0::float8 AS rank,
                ts_headline('english', p.text, to_tsquery('english', $3), '${HEADLINE_OPTIONS}') AS snippet
         FROM passages p JOIN documents d ON d.id = p.document_id
         WHERE p.id = ANY($2::bigint[]) AND p.user_id = $1 AND d.status = 'completed'`,
        [userId, ids, any],
      );
      return rows.map(toHit);
    },
  };
}

export type SearchRepository = ReturnType<typeof createSearchRepository>;
