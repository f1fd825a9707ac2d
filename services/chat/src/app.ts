import type { Express } from 'express';
import { onDocumentDeleted } from '@learner/common/contracts';
import type { Pool } from '@learner/common/db';
import type { EventConsumer } from '@learner/common/events';
import { createServiceApp, type ServiceAppDeps } from '@learner/common/service';
import type { DocumentLookup } from './documents/document-client.js';
import { registerUserErasure } from './erasure/user-erasure.js';
import { createMessagesRepository } from './messages/messages-repository.js';
import { createMessagesRouter } from './messages/messages-routes.js';
import { createMessagesService } from './messages/messages-service.js';
import { createSessionsRouter } from './sessions/sessions-routes.js';
import { createSessionsService } from './sessions/sessions-service.js';
import type { Tutor } from './tutor/tutor.js';

export interface ChatAppDeps extends ServiceAppDeps {
  pool: Pool;
  tutor: Tutor;
  /** Checks the documents a new session focuses on. */
  documents: DocumentLookup;
  /** The service's event consumer; its handlers are registered here, the caller starts it. */
  events?: Pick<EventConsumer, 'on'>;
}

export function createApp(deps: ChatAppDeps): Express {
  const sessions = createSessionsService({ pool: deps.pool, documents: deps.documents, logger: deps.logger });
  const messages = createMessagesService({ pool: deps.pool, tutor: deps.tutor, sessions });
  // Answers citing a deleted document keep the citation and say the document was deleted.
  if (deps.events) onDocumentDeleted(deps.events, (deleted, db) => createMessagesRepository(db).markDocumentDeleted(deleted));
  // An erased account leaves nothing here: its sessions, messages and marks go.
  if (deps.events) registerUserErasure(deps.events);
  return createServiceApp({
    ...deps,
    service: 'chat',
    routes(app, identity) {
      app.use('/api/v1', identity);
      app.use('/api/v1/chat', createSessionsRouter(sessions), createMessagesRouter(messages));
    },
  });
}
