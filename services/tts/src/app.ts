import type { Express } from 'express';
import type { EventConsumer } from '@learner/common/events';
import { createServiceApp, type ServiceAppDeps } from '@learner/common/service';
import type { LocalStorage, ObjectStorage } from '@learner/common/storage';
import type { AudioService } from './audio/audio-service.js';
import { createAudioRouter } from './audio/audio-routes.js';
import { registerUserErasure } from './erasure/user-erasure.js';

export interface TtsAppDeps extends ServiceAppDeps {
  /** Which engine and voices speak, shown on /ready. */
  details?: () => Record<string, unknown>;
  speech: AudioService;
  /** Set when audio is kept in a local folder: its signed links are served at /files. */
  localFiles?: { storage: LocalStorage; signingSecret: string };
  /** The service's event consumer and where audio is stored: an erased account's audio is removed. */
  erasure?: { events: Pick<EventConsumer, 'on'>; storage: Pick<ObjectStorage, 'delete'> };
}

export function createApp(deps: TtsAppDeps): Express {
  if (deps.erasure) registerUserErasure(deps.erasure.events, deps.erasure.storage);
  return createServiceApp({
    ...deps,
    service: 'tts',
    routes(app, identity) {
      app.use('/api/v1', identity);
      app.use('/api/v1/tts', createAudioRouter(deps.speech));
    },
  });
}
