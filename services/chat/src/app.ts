import type { Express } from 'express';
import type { Pool } from '@learner/common/db';
import { createServiceApp, type ServiceAppDeps } from '@learner/common/service';
import { createChatRouter } from './chat-router.js';
import { createChatService } from './chat-service.js';
import type { DocumentLookup } from './documents/document-client.js';
import type { Tutor } from './tutor/tutor.js';

export interface ChatAppDeps extends ServiceAppDeps {
  pool: Pool;
  tutor: Tutor;
  /** Checks the documents a new session focuses on. */
  documents: DocumentLookup;
}

export function createApp(deps: ChatAppDeps): Express {
  const chat = createChatService({ pool: deps.pool, tutor: deps.tutor, documents: deps.documents, logger: deps.logger });
  return createServiceApp({
    ...deps,
    service: 'chat',
    routes(app, identity) {
      app.use('/api/v1', identity);
      app.use('/api/v1/chat', createChatRouter(chat));
    },
  });
}
