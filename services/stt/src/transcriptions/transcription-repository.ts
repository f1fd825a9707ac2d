import { randomUUID } from 'node:crypto';
import type { Queryable } from '@learner/common/db';
import { fairNextJobSql } from '@learner/common/jobs';
import type { AudioKind, Segment, Transcript } from '../recognizers/recognizer.js';

export type TranscriptionStatus = 'queued' | 'in_progress' | 'completed' | 'failed';

export interface TranscriptionRecord {
  id: string;
  userId: string;
  status: TranscriptionStatus;
  filename: string;
  mediaFormat: AudioKind;
  sizeBytes: number;
  storageKey: string;
  language: string;
  speakerLabels: boolean;
  engine: string;
  transcript: string | null;
  confidence: number | null;
  segments: Segment[];
  durationSeconds: number | null;
  error: string | null;
  attempts: number;
  documentId: number | null;
  /** Set when a study pack was asked for: its title. */
  studyPack: { title: string; error: string | null } | null;
  createdAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
}

/** A job the worker holds; `leaseToken` proves it is still the holder. */
export interface ClaimedJob extends TranscriptionRecord {
  leaseToken: string;
}

interface TranscriptionRow {
  id: string;
  user_id: string;
  status: TranscriptionStatus;
  filename: string;
  media_format: AudioKind;
  size_bytes: number;
  storage_key: string;
  language: string;
  speaker_labels: boolean;
  engine: string;
  transcript: string | null;
  confidence: number | null;
  segments: Segment[] | null;
  duration_seconds: number | null;
  error: string | null;
  attempts: number;
  document_id: number | null;
  study_pack: boolean;
  study_pack_title: string | null;
  study_pack_error: string | null;
  lease_token: string | null;
  created_at: Date;
  started_at: Date | null;
  completed_at: Date | null;
}

const COLUMNS = `id, user_id, status, filename, media_format, size_bytes, storage_key, language, speaker_labels, engine,
  transcript, confidence, segments, duration_seconds, error, attempts, document_id, lease_token, created_at, started_at,
  completed_at, study_pack, study_pack_title, study_pack_error`;

/** The next job to run, taking users in turn (see fairNextJobSql). */
const NEXT_JOB = fairNextJobSql({
  table: 'transcriptions',
  owner: 'user_id',
  claimedAt: 'claimed_at',
  claimable: (t) => `(${t}.status IN ('queued', 'in_progress') AND (${t}.locked_until IS NULL OR ${t}.locked_until < now()))`,
  running: (t) => `(${t}.status = 'in_progress' AND ${t}.locked_until >= now())`,
  order: (t) => `${t}.created_at, ${t}.id`,
});

function toRecord(row: TranscriptionRow): TranscriptionRecord {
  return {
    id: row.id,
    userId: row.user_id,
    status: row.status,
    filename: row.filename,
    mediaFormat: row.media_format,
    sizeBytes: row.size_bytes,
    storageKey: row.storage_key,
    language: row.language,
    speakerLabels: row.speaker_labels,
    engine: row.engine,
    transcript: row.transcript,
    confidence: row.confidence,
    segments: row.segments ?? [],
    durationSeconds: row.duration_seconds,
    error: row.error,
    attempts: row.attempts,
    documentId: row.document_id,
    studyPack: row.study_pack ? { title: row.study_pack_title ?? '', error: row.study_pack_error } : null,
    createdAt: row.created_at,
    startedAt: row.started_at,
    completedAt: row.completed_at,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type NewTranscription = Pick<
  TranscriptionRecord,
  'id' | 'userId' | 'filename' | 'mediaFormat' | 'sizeBytes' | 'storageKey' | 'language' | 'speakerLabels' | 'engine'
> & { studyPackTitle?: string | undefined };

export function createTranscriptionRepository(db: Queryable) {
  return {
    async insert(job: NewTranscription, tx: Queryable = db): Promise<TranscriptionRecord> {
      const { rows } = await tx.query<TranscriptionRow>(
        `INSERT INTO transcriptions (id, user_id, filename, media_format, size_bytes, storage_key, language, speaker_labels, engine,
           study_pack, study_pack_title)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${COLUMNS}`,
        [
          job.id,
          job.userId,
          job.filename,
          job.mediaFormat,
          job.sizeBytes,
          job.storageKey,
          job.language,
          job.speakerLabels,
          job.engine,
          job.studyPackTitle !== undefined,
          job.studyPackTitle ?? null,
        ],
      );
      return toRecord(rows[0]!);
    },

    /** Another user's job, or an id that is not a uuid, reads as missing. */
    async findForUser(userId: string, id: string): Promise<TranscriptionRecord | undefined> {
      if (!UUID.test(id)) return undefined;
      const { rows } = await db.query<TranscriptionRow>(`SELECT ${COLUMNS} FROM transcriptions WHERE id = $1 AND user_id = $2`, [
        id,
        userId,
      ]);
      return rows[0] ? toRecord(rows[0]) : undefined;
    },

    async listForUser(
      userId: string,
      page: { limit: number; offset: number },
    ): Promise<{ items: TranscriptionRecord[]; total: number }> {
      const [list, count] = await Promise.all([
        db.query<TranscriptionRow>(
          `SELECT ${COLUMNS} FROM transcriptions WHERE user_id = $1 ORDER BY created_at DESC, id LIMIT $2 OFFSET $3`,
          [userId, page.limit, page.offset],
        ),
        db.query<{ total: number }>('SELECT count(*)::int AS total FROM transcriptions WHERE user_id = $1', [userId]),
      ]);
      return { items: list.rows.map(toRecord), total: count.rows[0]?.total ?? 0 };
    },

    async deleteForUser(userId: string, id: string): Promise<TranscriptionRecord | undefined> {
      if (!UUID.test(id)) return undefined;
      const { rows } = await db.query<TranscriptionRow>(
        `DELETE FROM transcriptions WHERE id = $1 AND user_id = $2 RETURNING ${COLUMNS}`,
        [id, userId],
      );
      return rows[0] ? toRecord(rows[0]) : undefined;
    },

    async setDocument(id: string, documentId: number, tx: Queryable = db): Promise<void> {
      await tx.query('UPDATE transcriptions SET document_id = $2, updated_at = now() WHERE id = $1', [id, documentId]);
    },

    /** The job, held until `tx` ends, so that one study pack step runs at a time for it. */
    async findAndHold(id: string, tx: Queryable): Promise<TranscriptionRecord | undefined> {
      if (!UUID.test(id)) return undefined;
      const { rows } = await tx.query<TranscriptionRow>(`SELECT ${COLUMNS} FROM transcriptions WHERE id = $1 FOR UPDATE`, [id]);
      return rows[0] ? toRecord(rows[0]) : undefined;
    },

    /** Why the study pack's document could not be made. */
    async setStudyPackError(id: string, error: string, tx: Queryable = db): Promise<void> {
      await tx.query('UPDATE transcriptions SET study_pack_error = $2, updated_at = now() WHERE id = $1', [id, error]);
    },

    /**
     * Takes a job that is queued, or in progress under a lease that ran out (its worker stopped):
     * the oldest of the user with the fewest jobs in progress, then served least recently, so that
     * users are served in turn. SKIP LOCKED lets several workers claim at once without waiting on each other.
     */
    async claimNext(leaseMs: number): Promise<ClaimedJob | undefined> {
      const { rows } = await db.query<TranscriptionRow>(
        `UPDATE transcriptions
            SET status = 'in_progress', attempts = attempts + 1, lease_token = $2,
                locked_until = now() + make_interval(secs => $1::double precision / 1000), started_at = COALESCE(started_at, now()),
                claimed_at = now(), updated_at = now()
          WHERE id = (${NEXT_JOB})
        RETURNING ${COLUMNS}`,
        [leaseMs, randomUUID()],
      );
      const row = rows[0];
      return row ? { ...toRecord(row), leaseToken: row.lease_token! } : undefined;
    },

    /** Extends the lease; false when the job was deleted or taken over meanwhile. */
    async renewLease(job: ClaimedJob, leaseMs: number): Promise<boolean> {
      const { rowCount } = await db.query(
        `UPDATE transcriptions SET locked_until = now() + make_interval(secs => $3::double precision / 1000), updated_at = now()
          WHERE id = $1 AND lease_token = $2 AND status = 'in_progress'`,
        [job.id, job.leaseToken, leaseMs],
      );
      return rowCount === 1;
    },

    async complete(job: ClaimedJob, result: Transcript, tx: Queryable = db): Promise<boolean> {
      const { rowCount } = await tx.query(
        `UPDATE transcriptions
            SET status = 'completed', transcript = $3, confidence = $4, segments = $5, duration_seconds = $6, error = NULL,
                locked_until = NULL, lease_token = NULL, completed_at = now(), updated_at = now()
          WHERE id = $1 AND lease_token = $2`,
        [job.id, job.leaseToken, result.text, result.confidence, JSON.stringify(result.segments), result.durationSeconds],
      );
      return rowCount === 1;
    },

    async fail(job: ClaimedJob, reason: string): Promise<void> {
      await db.query(
        `UPDATE transcriptions
            SET status = 'failed', error = $3, locked_until = NULL, lease_token = NULL, completed_at = now(), updated_at = now()
          WHERE id = $1 AND lease_token = $2`,
        [job.id, job.leaseToken, reason],
      );
    },

    /** Puts a job back in the queue, to be tried again after `delaySeconds`. */
    async release(job: ClaimedJob, options: { delaySeconds: number; countAttempt: boolean }): Promise<void> {
      await db.query(
        `UPDATE transcriptions
            SET status = 'queued', lease_token = NULL, locked_until = now() + make_interval(secs => $3),
                attempts = attempts - CASE WHEN $4::boolean THEN 0 ELSE 1 END, updated_at = now()
          WHERE id = $1 AND lease_token = $2`,
        [job.id, job.leaseToken, options.delaySeconds, options.countAttempt],
      );
    },
  };
}

export type TranscriptionRepository = ReturnType<typeof createTranscriptionRepository>;
