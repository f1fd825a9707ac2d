import type { Pool } from '@learner/common/db';
import { NotFoundError } from '@learner/common/errors';
import { pageOffset, type Page, type RequestUser } from '@learner/common/http';
import type { Logger } from '@learner/common/logger';
import { DocumentsUnreachableError, type DocumentLookup } from '../documents/document-client.js';
import { createSessionsRepository, type ChatSession } from './sessions-repository.js';

export function sessionNotFound(id: number): NotFoundError {
  return new NotFoundError(`Chat session ${id} was not found`, { session_id: id });
}

/** A user's chat sessions: only their owner finds them. */
export function createSessionsService(deps: { pool: Pool; documents: DocumentLookup; logger?: Logger }) {
  const repo = createSessionsRepository(deps.pool);

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

    listSessions(user: RequestUser, page: Page) {
      return repo.listSessions(user.id, { limit: page.limit, offset: pageOffset(page) });
    },

    /** The user's session; another user's, or none, answers 404. */
    async getSession(user: RequestUser, id: number): Promise<ChatSession> {
      const session = await repo.findSession(user.id, id);
      if (!session) throw sessionNotFound(id);
      return session;
    },

    async renameSession(user: RequestUser, id: number, title: string): Promise<ChatSession> {
      const session = await repo.renameSession(user.id, id, title);
      if (!session) throw sessionNotFound(id);
      return session;
    },

    async deleteSession(user: RequestUser, id: number): Promise<void> {
      if (!(await repo.deleteSession(user.id, id))) throw sessionNotFound(id);
    },
  };
}

export type SessionsService = ReturnType<typeof createSessionsService>;
