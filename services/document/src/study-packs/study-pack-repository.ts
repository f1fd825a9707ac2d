import { randomUUID } from 'node:crypto';
import type { Queryable } from '@learner/common/db';
import { fairNextJobSql } from '@learner/common/jobs';

export type PackState = 'waiting' | 'queued' | 'running' | 'finished';
export type PackStepStatus = 'pending' | 'running' | 'done' | 'failed';
export type PackStep = 'quiz' | 'audio';

export interface StudyPackRecord {
  documentId: number;
  userId: string;
  originKey: string | null;
  withAudio: boolean;
  state: PackState;
  quizStatus: PackStepStatus;
  quizId: number | null;
  quizError: string | null;
  audioStatus: PackStepStatus;
  audioId: string | null;
  audioError: string | null;
  attempts: number;
}

/** A pack a worker holds; `leaseToken` proves it still does. */
export interface ClaimedPack extends StudyPackRecord {
  leaseToken: string;
}

interface PackRow {
  document_id: number;
  user_id: string;
  origin_key: string | null;
  with_audio: boolean;
  state: PackState;
  quiz_status: PackStepStatus;
  quiz_id: number | null;
  quiz_error: string | null;
  audio_status: PackStepStatus;
  audio_id: string | null;
  audio_error: string | null;
  attempts: number;
  lease_token: string | null;
}

const COLUMNS = `document_id, user_id, origin_key, with_audio, state, quiz_status, quiz_id, quiz_error, audio_status, audio_id,
  audio_error, attempts, lease_token`;

/**
 * The next pack to make, taking users in turn (see fairNextJobSql). A queued pack with a lease is
 * one handed back to be tried again later: it waits until then.
 */
const NEXT_PACK = fairNextJobSql({
  table: 'study_packs',
  key: 'document_id',
  owner: 'user_id',
  claimedAt: 'claimed_at',
  claimable: (p) =>
    `((${p}.state = 'queued' AND (${p}.lease_until IS NULL OR ${p}.lease_until < now())) OR (${p}.state = 'running' AND ${p}.lease_until < now()))`,
  running: (p) => `(${p}.state = 'running' AND ${p}.lease_until >= now())`,
  order: (p) => `${p}.created_at, ${p}.document_id`,
});

function toRecord(row: PackRow): StudyPackRecord {
  return {
    documentId: row.document_id,
    userId: row.user_id,
    originKey: row.origin_key,
    withAudio: row.with_audio,
    state: row.state,
    quizStatus: row.quiz_status,
    quizId: row.quiz_id,
    quizError: row.quiz_error,
    audioStatus: row.audio_status,
    audioId: row.audio_id,
    audioError: row.audio_error,
    attempts: row.attempts,
  };
}

export function createStudyPackRepository(db: Queryable) {
  return {
    async insert(pack: { documentId: number; userId: string; originKey: string | null; withAudio: boolean }, tx: Queryable = db): Promise<void> {
      await tx.query('INSERT INTO study_packs (document_id, user_id, origin_key, with_audio) VALUES ($1, $2, $3, $4)', [
        pack.documentId,
        pack.userId,
        pack.originKey,
        pack.withAudio,
      ]);
    },

    /** The document a pack of this origin was made with, if any. */
    async documentOfOrigin(userId: string, originKey: string): Promise<number | undefined> {
      const { rows } = await db.query<{ document_id: number }>(
        'SELECT document_id FROM study_packs WHERE user_id = $1 AND origin_key = $2',
        [userId, originKey],
      );
      return rows[0]?.document_id;
    },

    async find(documentId: number, tx: Queryable = db): Promise<StudyPackRecord | undefined> {
      const { rows } = await tx.query<PackRow>(`SELECT ${COLUMNS} FROM study_packs WHERE document_id = $1`, [documentId]);
      return rows[0] ? toRecord(rows[0]) : undefined;
    },

    async forDocuments(documentIds: number[]): Promise<Map<number, StudyPackRecord>> {
      if (documentIds.length === 0) return new Map();
      const { rows } = await db.query<PackRow>(`SELECT ${COLUMNS} FROM study_packs WHERE document_id = ANY($1::int[])`, [documentIds]);
      return new Map(rows.map((r) => [r.document_id, toRecord(r)]));
    },

    /** Hands a waiting pack to the worker once its document is processed; false when it has none or it was queued before. */
    async queue(userId: string, documentId: number, tx: Queryable = db): Promise<boolean> {
      const { rowCount } = await tx.query(
        "UPDATE study_packs SET state = 'queued', updated_at = now() WHERE document_id = $1 AND user_id = $2 AND state = 'waiting'",
        [documentId, userId],
      );
      return rowCount === 1;
    },

    /**
     * A queued pack (or a running one whose worker stopped renewing its lease), taking users in turn:
     * one user's many packs do not hold back another user's.
     */
    async claimNext(leaseMs: number): Promise<ClaimedPack | undefined> {
      const { rows } = await db.query<PackRow>(
        `UPDATE study_packs
            SET state = 'running', attempts = attempts + 1, lease_token = $2, claimed_at = now(), updated_at = now(),
                lease_until = now() + make_interval(secs => $1::double precision / 1000)
          WHERE document_id = (${NEXT_PACK})
        RETURNING ${COLUMNS}`,
        [leaseMs, randomUUID()],
      );
      const row = rows[0];
      return row ? { ...toRecord(row), leaseToken: row.lease_token! } : undefined;
    },

    async renewLease(pack: ClaimedPack, leaseMs: number): Promise<boolean> {
      const { rowCount } = await db.query(
        `UPDATE study_packs SET lease_until = now() + make_interval(secs => $3::double precision / 1000), updated_at = now()
          WHERE document_id = $1 AND lease_token = $2 AND state = 'running'`,
        [pack.documentId, pack.leaseToken, leaseMs],
      );
      return rowCount === 1;
    },

    /** Records the state of one step; false when the pack is no longer held (deleted, or taken over). */
    async setStep(
      pack: ClaimedPack,
      step: PackStep,
      outcome: { status: PackStepStatus; id?: number | string | null; error?: string | null },
    ): Promise<boolean> {
      const [status, id, error] = step === 'quiz' ? ['quiz_status', 'quiz_id', 'quiz_error'] : ['audio_status', 'audio_id', 'audio_error'];
      const { rowCount } = await db.query(
        `UPDATE study_packs SET ${status} = $3, ${id} = COALESCE($4, ${id}), ${error} = $5, updated_at = now()
          WHERE document_id = $1 AND lease_token = $2`,
        [pack.documentId, pack.leaseToken, outcome.status, outcome.id ?? null, outcome.error ?? null],
      );
      return rowCount === 1;
    },

    async finish(pack: ClaimedPack): Promise<void> {
      await db.query(
        `UPDATE study_packs SET state = 'finished', lease_token = NULL, lease_until = NULL, updated_at = now()
          WHERE document_id = $1 AND lease_token = $2`,
        [pack.documentId, pack.leaseToken],
      );
    },

    /** Puts the pack back in the queue, to be tried again after `delayMs` (a service it needs was unavailable). */
    async release(pack: ClaimedPack, delayMs: number, countAttempt = true): Promise<void> {
      await db.query(
        `UPDATE study_packs
            SET state = 'queued', lease_token = NULL, lease_until = now() + make_interval(secs => $3::double precision / 1000),
                attempts = attempts - CASE WHEN $4::boolean THEN 0 ELSE 1 END, updated_at = now()
          WHERE document_id = $1 AND lease_token = $2`,
        [pack.documentId, pack.leaseToken, delayMs, countAttempt],
      );
    },
  };
}

export type StudyPackRepository = ReturnType<typeof createStudyPackRepository>;
