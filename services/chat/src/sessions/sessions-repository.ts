import type { Queryable } from '@learner/common/db';

export interface ChatSession {
  id: number;
  userId: string;
  title: string | null;
  documentIds: number[];
  messageCount: number;
  createdAt: Date;
  updatedAt: Date;
}

interface SessionRow {
  id: number;
  user_id: string;
  title: string | null;
  document_ids: Array<number | string>;
  message_count: number;
  created_at: Date;
  updated_at: Date;
}

const SESSION_COLUMNS = `s.id, s.user_id, s.title, s.document_ids, s.created_at, s.updated_at,
  (SELECT count(*) FROM chat_messages m WHERE m.session_id = s.id) AS message_count`;

function toSession(row: SessionRow): ChatSession {
  return {
    id: row.id,
    userId: row.user_id,
    title: row.title,
    documentIds: row.document_ids.map(Number),
    messageCount: Number(row.message_count),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Chat sessions. Every query names the owner, so another user's rows never match. */
export function createSessionsRepository(db: Queryable) {
  return {
    async createSession(input: { userId: string; title: string | null; documentIds: number[] }): Promise<ChatSession> {
      const { rows } = await db.query<SessionRow>(
        `INSERT INTO chat_sessions AS s (user_id, title, document_ids) VALUES ($1, $2, $3::bigint[])
         RETURNING ${SESSION_COLUMNS}`,
        [input.userId, input.title, input.documentIds],
      );
      return toSession(rows[0]!);
    },

    async listSessions(userId: string, page: { limit: number; offset: number }) {
      const [items, count] = await Promise.all([
        db.query<SessionRow>(
          `SELECT ${SESSION_COLUMNS} FROM chat_sessions s WHERE s.user_id = $1
           ORDER BY s.created_at DESC, s.id DESC LIMIT $2 OFFSET $3`,
          [userId, page.limit, page.offset],
        ),
        db.query<{ total: number }>('SELECT count(*) AS total FROM chat_sessions WHERE user_id = $1', [userId]),
      ]);
      return { items: items.rows.map(toSession), total: Number(count.rows[0]?.total ?? 0) };
    },

    async findSession(userId: string, id: number, options: { lock?: boolean } = {}): Promise<ChatSession | undefined> {
      const { rows } = await db.query<SessionRow>(
        `SELECT ${SESSION_COLUMNS} FROM chat_sessions s WHERE s.id = $1 AND s.user_id = $2
         ${options.lock ? 'FOR UPDATE' : ''}`,
        [id, userId],
      );
      return rows[0] ? toSession(rows[0]) : undefined;
    },

    async renameSession(userId: string, id: number, title: string): Promise<ChatSession | undefined> {
      const { rows } = await db.query<SessionRow>(
        `UPDATE chat_sessions s SET title = $3, updated_at = now() WHERE s.id = $1 AND s.user_id = $2
         RETURNING ${SESSION_COLUMNS}`,
        [id, userId, title],
      );
      return rows[0] ? toSession(rows[0]) : undefined;
    },

    /** Marks the session active now, and names it after `fallbackTitle` when it has no title yet. */
    async touchSession(id: number, fallbackTitle: string): Promise<void> {
      await db.query('UPDATE chat_sessions SET updated_at = now(), title = COALESCE(title, $2) WHERE id = $1', [
        id,
        fallbackTitle,
      ]);
    },

    /** Deletes the session; its messages go with it (ON DELETE CASCADE). */
    async deleteSession(userId: string, id: number): Promise<boolean> {
      const { rowCount } = await db.query('DELETE FROM chat_sessions WHERE id = $1 AND user_id = $2', [id, userId]);
      return (rowCount ?? 0) > 0;
    },
  };
}

export type SessionsRepository = ReturnType<typeof createSessionsRepository>;
