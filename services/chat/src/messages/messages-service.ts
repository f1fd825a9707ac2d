import { withTransaction, type Pool } from '@learner/common/db';
import { createEvent, enqueueEvent, TOPICS } from '@learner/common/events';
import { pageOffset, type Page, type RequestUser } from '@learner/common/http';
import { createSessionsRepository } from '../sessions/sessions-repository.js';
import { sessionNotFound, type SessionsService } from '../sessions/sessions-service.js';
import { priorQuestion } from '../tutor/search-plan.js';
import type { Tutor } from '../tutor/tutor.js';
import { createMessagesRepository, type ChatMessage } from './messages-repository.js';

/** How many earlier questions a follow-up may take its subject from. */
const HISTORY_QUESTIONS = 3;
const TITLE_CHARS = 60;

/** A title for an untitled session: the start of its first question, cut at a word. */
export function titleFrom(message: string): string {
  const flat = message.replace(/\s+/g, ' ').trim();
  if (flat.length <= TITLE_CHARS) return flat;
  const cut = flat.slice(0, TITLE_CHARS - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > TITLE_CHARS / 2 ? cut.slice(0, space) : cut}…`;
}

/** The messages of a user's sessions: the questions and the tutor's answers. */
export function createMessagesService(deps: { pool: Pool; tutor: Tutor; sessions: SessionsService }) {
  const repo = createMessagesRepository(deps.pool);

  return {
    async listMessages(user: RequestUser, sessionId: number, page: Page) {
      await deps.sessions.getSession(user, sessionId);
      return repo.listMessages(sessionId, { limit: page.limit, offset: pageOffset(page) });
    },

    /**
     * Stores the question and the tutor's answer together, with the chat.message.sent event. The
     * tutor runs before the transaction, so no database connection waits on the document service.
     */
    async postMessage(
      user: RequestUser,
      sessionId: number,
      message: string,
      requestId?: string,
    ): Promise<{ userMessage: ChatMessage; reply: ChatMessage }> {
      const session = await deps.sessions.getSession(user, sessionId);
      const earlier = await repo.recentMessages(sessionId, 'user', HISTORY_QUESTIONS);
      const answer = await deps.tutor.answer({
        user,
        ...(requestId ? { requestId } : {}),
        question: message,
        history: earlier.map((m) => priorQuestion(m.content, m.metadata.search_words)),
        documentIds: session.documentIds,
      });

      return withTransaction(deps.pool, async (client) => {
        const sessions = createSessionsRepository(client);
        const messages = createMessagesRepository(client);
        // Locked so a session deleted meanwhile answers 404 rather than failing on the foreign key.
        if (!(await sessions.findSession(user.id, sessionId, { lock: true }))) throw sessionNotFound(sessionId);
        const userMessage = await messages.insertMessage({
          sessionId,
          userId: user.id,
          role: 'user',
          content: message,
          metadata: { search_words: answer.searchWords },
        });
        const reply = await messages.insertMessage({
          sessionId,
          userId: user.id,
          role: 'assistant',
          content: answer.content,
          citations: answer.citations,
          metadata: answer.metadata,
        });
        await sessions.touchSession(sessionId, titleFrom(message));
        await enqueueEvent(
          client,
          TOPICS.chatMessageSent,
          createEvent({
            type: TOPICS.chatMessageSent,
            userId: user.id,
            service: 'chat',
            payload: {
              session_id: sessionId,
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

export type MessagesService = ReturnType<typeof createMessagesService>;
