import type { DeletedDocument } from '@learner/common/contracts';
import type { Queryable } from '@learner/common/db';
import type { CitedPassage as Citation } from './tutor/compose-answer.js';

export type { CitedPassage as Citation } from './tutor/compose-answer.js';

export type MessageRole = 'user' | 'assistant';

export interface ChatSession {
  id: number;
  userId: string;
  title: string | null;
  documentIds: number[];
  messageCount: number;
  createdAt: Date;
  updatedAt: Date;
}

/** A stored citation; documentDeleted once its document was deleted (its title and snippet stay). */
export type StoredCitationView = Citation & { documentDeleted: boolean };

export interface ChatMessage {
  id: number;
  sessionId: number;
  role: MessageRole;
  content: string;
  citations: StoredCitationView[];
  metadata: Record<string, unknown>;
  createdAt: Date;
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

interface StoredCitation {
  document_id: number;
  title: string;
  page: number | null;
  snippet: string;
}

interface MessageRow {
  id: number;
  session_id: number;
  role: MessageRole;
  content: string;
  citations: StoredCitation[];
  metadata: Record<string, unknown>;
  created_at: Date;
  deleted_document_ids: Array<number | string>;
}

const SESSION_COLUMNS = `s.id, s.user_id, s.title, s.document_ids, s.created_at, s.updated_at,
  (SELECT count(*) FROM chat_messages m WHERE m.session_id = s.id) AS message_count`;

// The cited documents deleted since are read with the message, so an answer stored while its
// document was being deleted says so too.
const MESSAGE_COLUMNS = `id, session_id, role, content, citations, metadata, created_at,
  ARRAY(SELECT d.document_id FROM deleted_documents d WHERE d.user_id = chat_messages.user_id
    AND d.document_id IN (SELECT (c->>'document_id')::bigint FROM jsonb_array_elements(chat_messages.citations) c))
    AS deleted_document_ids`;

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

function toMessage(row: MessageRow): ChatMessage {
  const deleted = new Set(row.deleted_document_ids.map(Number));
  return {
    id: row.id,
    sessionId: row.session_id,
    role: row.role,
    content: row.content,
    citations: row.citations.map((c) => ({
      documentId: c.document_id,
      title: c.title,
      page: c.page,
      snippet: c.snippet,
      documentDeleted: deleted.has(c.document_id),
    })),
    metadata: row.metadata,
    createdAt: row.created_at,
  };
}

function toStoredCitation(c: Citation): StoredCitation {
  return { document_id: c.documentId, title: c.title, page: c.page, snippet: c.snippet };
}

/** Sessions and their messages. Every query names the owner, so another user's rows never match. */
export function createChatRepository(db: Queryable) {
  return {
    /** Records that the user's document was deleted; recording it again changes nothing. */
    async markDocumentDeleted(deleted: DeletedDocument): Promise<void> {
      await db.query(
        `INSERT INTO deleted_documents (document_id, user_id, title, deleted_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id, document_id) DO NOTHING`,
        [deleted.documentId, deleted.userId, deleted.title, deleted.deletedAt],
      );
    },

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

    async insertMessage(input: {
      sessionId: number;
      userId: string;
      role: MessageRole;
      content: string;
      citations?: Citation[];
      metadata?: Record<string, unknown>;
    }): Promise<ChatMessage> {
      const { rows } = await db.query<MessageRow>(
        `INSERT INTO chat_messages (session_id, user_id, role, content, citations, metadata)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${MESSAGE_COLUMNS}`,
        [
          input.sessionId,
          input.userId,
          input.role,
          input.content,
          JSON.stringify((input.citations ?? []).map(toStoredCitation)),
          JSON.stringify(input.metadata ?? {}),
        ],
      );
      return toMessage(rows[0]!);
    },

    /** The history, oldest first; ids break ties between turns stored in one transaction. */
    async listMessages(sessionId: number, page: { limit: number; offset: number }) {
      const [items, count] = await Promise.all([
        db.query<MessageRow>(
          `SELECT ${MESSAGE_COLUMNS} FROM chat_messages WHERE session_id = $1
           ORDER BY created_at, id LIMIT $2 OFFSET $3`,
          [sessionId, page.limit, page.offset],
        ),
        db.query<{ total: number }>('SELECT count(*) AS total FROM chat_messages WHERE session_id = $1', [sessionId]),
      ]);
      return { items: items.rows.map(toMessage), total: Number(count.rows[0]?.total ?? 0) };
    },

    /** The latest `limit` messages of one role, newest first. */
    async recentMessages(sessionId: number, role: MessageRole, limit: number): Promise<ChatMessage[]> {
      const { rows } = await db.query<MessageRow>(
        `SELECT ${MESSAGE_COLUMNS} FROM chat_messages WHERE session_id = $1 AND role = $2
         ORDER BY created_at DESC, id DESC LIMIT $3`,
        [sessionId, role, limit],
      );
      return rows.map(toMessage);
    },
  };
}

export type ChatRepository = ReturnType<typeof createChatRepository>;
