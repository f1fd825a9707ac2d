import type { Queryable } from '@learner/common/db';
import { fairNextJobSql } from '@learner/common/jobs';
import type { FileKind } from './detect-file-type.js';

export type DocumentStatus = 'uploaded' | 'processing' | 'completed' | 'failed';

export interface DocumentRecord {
  id: number;
  userId: string;
  title: string;
  filename: string;
  storageKey: string;
  fileType: FileKind;
  contentType: string;
  fileSize: number;
  source: string;
  status: DocumentStatus;
  error: string | null;
  pages: number | null;
  textLength: number | null;
  attempts: number;
  createdAt: Date;
  updatedAt: Date;
  processedAt: Date | null;
}

interface DocumentRow {
  id: number;
  user_id: string;
  title: string;
  filename: string;
  s3_key: string;
  file_type: FileKind;
  content_type: string;
  file_size: number;
  source: string;
  status: DocumentStatus;
  error: string | null;
  pages: number | null;
  text_length: number | null;
  attempts: number;
  created_at: Date;
  updated_at: Date;
  processed_at: Date | null;
}

export interface PageText {
  page: number;
  text: string;
  method: 'text' | 'ocr';
}

/** A passage as stored at processing: offsets are in its page's text. */
export interface StoredPassage {
  id: number;
  page: number;
  position: number;
  text: string;
  heading: string | null;
  start: number;
  end: number;
}

const COLUMNS = `id, user_id, title, filename, s3_key, file_type, content_type, file_size, source, status, error,
  pages, text_length, attempts, created_at, updated_at, processed_at`;

/** The next document to process, taking users in turn (see fairNextJobSql). */
const NEXT_DOCUMENT = fairNextJobSql({
  table: 'documents',
  owner: 'user_id',
  claimedAt: 'claimed_at',
  claimable: (d) => `(${d}.status = 'uploaded' OR (${d}.status = 'processing' AND ${d}.lease_until < now()))`,
  running: (d) => `(${d}.status = 'processing' AND ${d}.lease_until >= now())`,
  order: (d) => `${d}.id`,
});

/**
 * A document's pages and passages are read only while it is completed, checked in the reading
 * statement itself: processing again (asked for, or after a crash) removes and writes them in
 * several transactions, and a reader that found the document completed just before must not get
 * half of them.
 */
const STILL_COMPLETED = "EXISTS (SELECT 1 FROM documents d WHERE d.id = $1 AND d.status = 'completed')";

function toRecord(row: DocumentRow): DocumentRecord {
  return {
    id: row.id,
    userId: row.user_id,
    title: row.title,
    filename: row.filename,
    storageKey: row.s3_key,
    fileType: row.file_type,
    contentType: row.content_type,
    fileSize: row.file_size,
    source: row.source,
    status: row.status,
    error: row.error,
    pages: row.pages,
    textLength: row.text_length,
    attempts: row.attempts,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    processedAt: row.processed_at,
  };
}

export type NewDocument = Pick<
  DocumentRecord,
  'userId' | 'title' | 'filename' | 'storageKey' | 'fileType' | 'contentType' | 'fileSize' | 'source'
>;

export interface DocumentFilter {
  status?: DocumentStatus | undefined;
  titleContains?: string | undefined;
  limit: number;
  offset: number;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Ids in the PostgreSQL INTEGER range; anything else cannot name a document. */
export function isDocumentId(id: number): boolean {
  return Number.isInteger(id) && id > 0 && id <= 2_147_483_647;
}

export function createDocumentRepository(db: Queryable) {
  return {
    async insert(doc: NewDocument, tx: Queryable = db): Promise<DocumentRecord> {
      const { rows } = await tx.query<DocumentRow>(
        `INSERT INTO documents (user_id, title, filename, s3_key, file_type, content_type, file_size, source)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
        [doc.userId, doc.title, doc.filename, doc.storageKey, doc.fileType, doc.contentType, doc.fileSize, doc.source],
      );
      return toRecord(rows[0]!);
    },

    /** The user's document, or undefined when it is missing or someone else's. */
    async findForUser(userId: string, id: number, tx: Queryable = db): Promise<DocumentRecord | undefined> {
      if (!isDocumentId(id)) return undefined;
      const { rows } = await tx.query<DocumentRow>(`SELECT ${COLUMNS} FROM documents WHERE id = $1 AND user_id = $2`, [
        id,
        userId,
      ]);
      return rows[0] ? toRecord(rows[0]) : undefined;
    },

    async findById(id: number, tx: Queryable = db): Promise<DocumentRecord | undefined> {
      const { rows } = await tx.query<DocumentRow>(`SELECT ${COLUMNS} FROM documents WHERE id = $1`, [id]);
      return rows[0] ? toRecord(rows[0]) : undefined;
    },

    async list(userId: string, filter: DocumentFilter): Promise<{ items: DocumentRecord[]; total: number }> {
      const where = ['user_id = $1'];
      const params: unknown[] = [userId];
      if (filter.status) {
        params.push(filter.status);
        where.push(`status = $${params.length}`);
      }
      if (filter.titleContains) {
        params.push(`%${escapeLike(filter.titleContains)}%`);
        where.push(`title ILIKE $${params.length}`);
      }
      const condition = where.join(' AND ');
      const total = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM documents WHERE ${condition}`, params);
      const { rows } = await db.query<DocumentRow>(
        `SELECT ${COLUMNS} FROM documents WHERE ${condition}
         ORDER BY created_at DESC, id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, filter.limit, filter.offset],
      );
      return { items: rows.map(toRecord), total: total.rows[0]?.n ?? 0 };
    },

    async deleteForUser(userId: string, id: number, tx: Queryable = db): Promise<DocumentRecord | undefined> {
      if (!isDocumentId(id)) return undefined;
      const { rows } = await tx.query<DocumentRow>(
        `DELETE FROM documents WHERE id = $1 AND user_id = $2 RETURNING ${COLUMNS}`,
        [id, userId],
      );
      return rows[0] ? toRecord(rows[0]) : undefined;
    },

    /** Puts a finished or failed document back in the queue; one in the queue already stays as it is. */
    async requeue(userId: string, id: number): Promise<DocumentRecord | undefined> {
      if (!isDocumentId(id)) return undefined;
      const { rows } = await db.query<DocumentRow>(
        `UPDATE documents
         SET status = CASE WHEN status IN ('completed', 'failed') THEN 'uploaded' ELSE status END,
             error = CASE WHEN status IN ('completed', 'failed') THEN NULL ELSE error END,
             attempts = CASE WHEN status IN ('completed', 'failed') THEN 0 ELSE attempts END,
             updated_at = now()
         WHERE id = $1 AND user_id = $2 RETURNING ${COLUMNS}`,
        [id, userId],
      );
      return rows[0] ? toRecord(rows[0]) : undefined;
    },

    /**
     * Claims a waiting document, or one whose worker's lease ran out, and leases it: the oldest of
     * the user with the fewest documents in processing, then served least recently, so that users
     * are served in turn. SKIP LOCKED lets several workers (or replicas) claim different documents at once.
     */
    async claimNext(leaseMs: number): Promise<DocumentRecord | undefined> {
      const { rows } = await db.query<DocumentRow>(
        `UPDATE documents SET status = 'processing', attempts = attempts + 1, error = NULL,
           lease_until = now() + make_interval(secs => $1::double precision / 1000), claimed_at = now(), updated_at = now()
         WHERE id = (${NEXT_DOCUMENT})
         RETURNING ${COLUMNS}`,
        [leaseMs],
      );
      return rows[0] ? toRecord(rows[0]) : undefined;
    },

    /** Extends the lease; false when the claim was lost (document deleted, requeued or re-claimed). */
    async renewLease(id: number, attempt: number, leaseMs: number): Promise<boolean> {
      const { rowCount } = await db.query(
        `UPDATE documents SET lease_until = now() + make_interval(secs => $3::double precision / 1000)
         WHERE id = $1 AND attempts = $2 AND status = 'processing'`,
        [id, attempt, leaseMs],
      );
      return rowCount === 1;
    },

    /** Locks the document for finishing the claim `attempt`; undefined when the claim was lost. */
    async lockClaim(id: number, attempt: number, tx: Queryable): Promise<DocumentRecord | undefined> {
      const { rows } = await tx.query<DocumentRow>(
        `SELECT ${COLUMNS} FROM documents WHERE id = $1 AND attempts = $2 AND status = 'processing' FOR UPDATE`,
        [id, attempt],
      );
      return rows[0] ? toRecord(rows[0]) : undefined;
    },

    async markCompleted(id: number, pages: number, textLength: number, tx: Queryable): Promise<void> {
      await tx.query(
        `UPDATE documents SET status = 'completed', error = NULL, pages = $2, text_length = $3, lease_until = NULL,
           processed_at = now(), updated_at = now() WHERE id = $1`,
        [id, pages, textLength],
      );
    },

    /**
     * Gives the claim `attempt` back without counting it: the document is claimed again once
     * `delayMs` have passed (a dependency it needs was down, which is no fault of the document).
     */
    async retryLater(id: number, attempt: number, delayMs: number): Promise<boolean> {
      const { rowCount } = await db.query(
        `UPDATE documents SET attempts = attempts - 1, lease_until = now() + make_interval(secs => $3::double precision / 1000),
           updated_at = now()
         WHERE id = $1 AND attempts = $2 AND status = 'processing'`,
        [id, attempt, delayMs],
      );
      return rowCount === 1;
    },

    async markFailed(id: number, attempt: number, error: string): Promise<boolean> {
      const { rowCount } = await db.query(
        `UPDATE documents SET status = 'failed', error = $3, lease_until = NULL, processed_at = now(), updated_at = now()
         WHERE id = $1 AND attempts = $2 AND status = 'processing'`,
        [id, attempt, error],
      );
      return rowCount === 1;
    },

    /** Removes a document's pages (an earlier processing's), before they are written again. */
    async deletePages(id: number, tx: Queryable): Promise<void> {
      await tx.query('DELETE FROM document_pages WHERE document_id = $1', [id]);
    },

    /** Adds pages to a document; like its passages, read only once the document is completed. */
    async insertPages(id: number, pages: PageText[], tx: Queryable): Promise<void> {
      if (pages.length === 0) return;
      await tx.query(
        `INSERT INTO document_pages (document_id, page, text, method)
         SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[])`,
        [id, pages.map((p) => p.page), pages.map((p) => p.text), pages.map((p) => p.method)],
      );
    },

    async pages(id: number, page?: number): Promise<PageText[]> {
      const { rows } = await db.query<PageText>(
        `SELECT page, text, method FROM document_pages WHERE document_id = $1 AND ($2::int IS NULL OR page = $2)
           AND ${STILL_COMPLETED}
         ORDER BY page`,
        [id, page ?? null],
      );
      return rows;
    },

    async passages(id: number): Promise<StoredPassage[]> {
      const { rows } = await db.query<{ id: string; page: number; position: number; text: string; heading: string | null; start_offset: number; end_offset: number }>(
        `SELECT id, page, position, text, heading, start_offset, end_offset FROM passages WHERE document_id = $1 AND ${STILL_COMPLETED}
         ORDER BY position`,
        [id],
      );
      return rows.map((r) => ({ id: Number(r.id), page: r.page, position: r.position, text: r.text, heading: r.heading, start: r.start_offset, end: r.end_offset }));
    },
  };
}

export type DocumentRepository = ReturnType<typeof createDocumentRepository>;
