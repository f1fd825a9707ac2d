import type { DeletedDocument } from '@learner/common/contracts';
import type { Queryable } from '@learner/common/db';
import type { CitedPassage as Citation } from '../tutor/compose-answer.js';

export type { CitedPassage as Citation } from '../tutor/compose-answer.js';

export type MessageRole = 'user' | 'assistant';

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

// The cited documents deleted since are read with the message, so an answer stored while its
// document was being deleted says so too.
const MESSAGE_COLUMNS = `id, session_id, role, content, citations, metadata, created_at,
  ARRAY(SELECT d.document_id FROM deleted_documents d WHERE d.user_id = chat_messages.user_id
    AND d.document_id IN (SELECT (c->>'document_id')::bigint FROM jsonb_array_elements(chat_messages.citations) c))
    AS deleted_document_ids`;

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

/** The messages of chat sessions and the documents their citations name that were deleted since. */
export function createMessagesRepository(db: Queryable) {
  return {
    /** Records that the user's document was deleted; recording it again changes nothing. */
    async markDocumentDeleted(deleted: DeletedDocument): Promise<void> {
      await db.query(
        `INSERT INTO deleted_documents (document_id, user_id, title, deleted_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id, document_id) DO NOTHING`,
        [deleted.documentId, deleted.userId, deleted.title, deleted.deletedAt],
      );
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

export type MessagesRepository = ReturnType<typeof createMessagesRepository>;
