import { withTransaction, type Pool } from '@learner/common/db';
import { NotFoundError } from '@learner/common/errors';
import { createEvent, enqueueEvent, TOPICS } from '@learner/common/events';
import type { RequestUser } from '@learner/common/http';
import type { Logger } from '@learner/common/logger';
import { createChatRepository, type ChatMessage, type ChatSession } from './chat-repository.js';
import { DocumentsUnreachableError, type DocumentLookup } from './documents/document-client.js';
import { priorQuestion } from './tutor/search-plan.js';
import type { Tutor } from './tutor/tutor.js';

export interface PageRequest {
  page: number;
  limit: number;
}

/** How many earlier questions a follow-up may take its subject from. */
const HISTORY_QUESTIONS = 3;
const TITLE_CHARS = 60;

function sessionNotFound(id: number): NotFoundError {
  return new NotFoundError(`Chat session ${id} was not found`, { session_id: id });
}

function offset(page: PageRequest) {
  return { limit: page.limit, offset: (page.page - 1) * page.limit };
}

/** A title for an untitled session: the start of its first question, cut at a word. */
export function titleFrom(message: string): string {
  const flat = message.replace(/\s+/g, ' ').trim();
  if (flat.length <= TITLE_CHARS) return flat;
  const cut = flat.slice(0, TITLE_CHARS - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > TITLE_CHARS / 2 ? cut.slice(0, space) : cut}…`;
}

/** Sessions, messages and the tutor's answers for one user at a time. */
export function createChatService(deps: { pool: Pool; tutor: Tutor; documents: DocumentLookup; logger?: Logger }) {
  const repo = createChatRepository(deps.pool);

  const ownSession = async (user: RequestUser, id: number): Promise<ChatSession> => {
    const session = await repo.findSession(user.id, id);
    if (!session) throw sessionNotFound(id);
    return session;
  };

  return {
    /**
     * A session may focus on documents of the user only. When the document service cannot be
     * asked, the session is created anyway: its searches are limited to the user's documents
     * regardless, so an unchecked id can only make answers come up empty.
     */
    async createSession(
      user: RequestUser,
      input: { title: string | null; documentIds: number[] },
      requestId?: string,
    ): Promise<ChatSession> {
      const documentIds = [...new Set(input.documentIds)];
      if (documentIds.length) {
        try {
          const missing = await deps.documents.missing({ user, ids: documentIds, ...(requestId ? { requestId } : {}) });
          if (missing.length) {
            throw new NotFoundError(`Document ${missing.join(', ')} was not found`, { document_ids: missing });
          }
        } catch (err) {
          if (!(err instanceof DocumentsUnreachableError)) throw err;
          deps.logger?.warn({ err, reason: err.reason }, 'could not check the session documents; creating it unchecked');
        }
      }
      return repo.createSession({ userId: user.id, title: input.title, documentIds });
    },

    listSessions(user: RequestUser, page: PageRequest) {
      return repo.listSessions(user.id, offset(page));
    },

    getSession: ownSession,

    async renameSession(user: RequestUser, id: number, title: string): Promise<ChatSession> {
      const session = await repo.renameSession(user.id, id, title);
      if (!session) throw sessionNotFound(id);
      return session;
    },

    async deleteSession(user: RequestUser, id: number): Promise<void> {
      if (!(await repo.deleteSession(user.id, id))) throw sessionNotFound(id);
    },

    async listMessages(user: RequestUser, id: number, page: PageRequest) {
      await ownSession(user, id);
      return repo.listMessages(id, offset(page));
    },

    /**
     * Stores the question and the tutor's answer together, with the chat.message.sent event. The
     * tutor runs before the transaction, so no database connection waits on the document service.
     */
    async postMessage(
      user: RequestUser,
      id: number,
      message: string,
      requestId?: string,
    ): Promise<{ userMessage: ChatMessage; reply: ChatMessage }> {
      const session = await ownSession(user, id);
      const earlier = await repo.recentMessages(id, 'user', HISTORY_QUESTIONS);
      const answer = await deps.tutor.answer({
        user,
        ...(requestId ? { requestId } : {}),
        question: message,
        history: earlier.map((m) => priorQuestion(m.content, m.metadata.search_words)),
        documentIds: session.documentIds,
      });

      return withTransaction(deps.pool, async (client) => {
        const tx = createChatRepository(client);
        // Locked so a session deleted meanwhile answers 404 rather than failing on the foreign key.
        if (!(await tx.findSession(user.id, id, { lock: true }))) throw sessionNotFound(id);
        const userMessage = await tx.insertMessage({
          sessionId: id,
          userId: user.id,
          role: 'user',
          content: message,
          metadata: { search_words: answer.searchWords },
        });
        const reply = await tx.insertMessage({
          sessionId: id,
          userId: user.id,
          role: 'assistant',
          content: answer.content,
          citations: answer.citations,
          metadata: answer.metadata,
        });
        await tx.touchSession(id, titleFrom(message));
        await enqueueEvent(
          client,
          TOPICS.chatMessageSent,
          createEvent({
            type: TOPICS.chatMessageSent,
            userId: user.id,
            service: 'chat',
            payload: {
              session_id: id,
              message_id: userMessage.id,
              response_id: reply.id,
              message_length: message.length,
              answer_source: answer.source,
              citations: answer.citations.map((c) => ({ document_id: c.documentId, page: c.page })),
              document_ids: session.documentIds,
            },
          }),
        );
        return { userMessage, reply };
      });
    },
  };
}

export type ChatService = ReturnType<typeof createChatService>;
