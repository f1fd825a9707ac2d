import type { Queryable } from '@learner/common/db';
import type { AudioFormat } from '../engines/speech-engine.js';

export interface AudioRecord {
  id: string;
  userId: string;
  text: string;
  textType: 'text' | 'ssml';
  voiceId: string;
  engine: string;
  format: AudioFormat;
  speed: number | null;
  characters: number;
  durationSeconds: number;
  sizeBytes: number;
  storageKey: string;
  createdAt: Date;
}

interface AudioRow {
  id: string;
  user_id: string;
  text: string;
  text_type: 'text' | 'ssml';
  voice_id: string;
  engine: string;
  format: AudioFormat;
  speed: number | null;
  characters: number;
  duration_seconds: number;
  size_bytes: number;
  storage_key: string;
  created_at: Date;
}

const COLUMNS =
  'id, user_id, text, text_type, voice_id, engine, format, speed, characters, duration_seconds, size_bytes, storage_key, created_at';

function toRecord(row: AudioRow): AudioRecord {
  return {
    id: row.id,
    userId: row.user_id,
    text: row.text,
    textType: row.text_type,
    voiceId: row.voice_id,
    engine: row.engine,
    format: row.format,
    speed: row.speed,
    characters: row.characters,
    durationSeconds: row.duration_seconds,
    sizeBytes: row.size_bytes,
    storageKey: row.storage_key,
    createdAt: row.created_at,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createAudioRepository(db: Queryable) {
  return {
    async insert(record: Omit<AudioRecord, 'createdAt'>, tx: Queryable = db): Promise<AudioRecord> {
      const { rows } = await tx.query<AudioRow>(
        `INSERT INTO audio_files (id, user_id, text, text_type, voice_id, engine, format, speed, characters,
           duration_seconds, size_bytes, storage_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING ${COLUMNS}`,
        [
          record.id,
          record.userId,
          record.text,
          record.textType,
          record.voiceId,
          record.engine,
          record.format,
          record.speed,
          record.characters,
          record.durationSeconds,
          record.sizeBytes,
          record.storageKey,
        ],
      );
      return toRecord(rows[0]!);
    },

    /** Another user's recording, or an id that is not a uuid, reads as missing. */
    async findForUser(userId: string, id: string): Promise<AudioRecord | undefined> {
      if (!UUID.test(id)) return undefined;
      const { rows } = await db.query<AudioRow>(`SELECT ${COLUMNS} FROM audio_files WHERE id = $1 AND user_id = $2`, [
        id,
        userId,
      ]);
      return rows[0] ? toRecord(rows[0]) : undefined;
    },

    async listForUser(userId: string, page: { limit: number; offset: number }): Promise<{ items: AudioRecord[]; total: number }> {
      const [list, count] = await Promise.all([
        db.query<AudioRow>(
          `SELECT ${COLUMNS} FROM audio_files WHERE user_id = $1 ORDER BY created_at DESC, id LIMIT $2 OFFSET $3`,
          [userId, page.limit, page.offset],
        ),
        db.query<{ total: number }>('SELECT count(*)::int AS total FROM audio_files WHERE user_id = $1', [userId]),
      ]);
      return { items: list.rows.map(toRecord), total: count.rows[0]?.total ?? 0 };
    },

    async deleteForUser(userId: string, id: string): Promise<AudioRecord | undefined> {
      if (!UUID.test(id)) return undefined;
      const { rows } = await db.query<AudioRow>(
        `DELETE FROM audio_files WHERE id = $1 AND user_id = $2 RETURNING ${COLUMNS}`,
        [id, userId],
      );
      return rows[0] ? toRecord(rows[0]) : undefined;
    },
  };
}

export type AudioRepository = ReturnType<typeof createAudioRepository>;
