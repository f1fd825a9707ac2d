import { exitOnConfigError } from '@learner/common/config';
import { closeServer, listen, onShutdown } from '@learner/common/http';
import { startPlatform } from '@learner/common/service';
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { createQuizDependencies } from './dependencies.js';

const config = exitOnConfigError(() => loadConfig(process.env));
const platform = await startPlatform({ service: 'quiz', database: 'quiz', config, fromDir: import.meta.dirname });
const quiz = createQuizDependencies({ config, internalTokens: platform.internalTokens, logger: platform.logger });
const app = createApp({
  ...platform,
  documents: quiz.documents,
  writer: quiz.writer,
  optionalChecks: quiz.optionalChecks,
  readyTimeoutMs: config.READY_TIMEOUT_MS,
});
// Handlers were registered by createApp.
await platform.events.start();
const server = await listen(app, config.PORT);
platform.logger.info({ port: config.PORT, document_service: config.DOCUMENT_SERVICE_URL, questions: quiz.questions }, 'quiz service listening');

onShutdown(platform.logger, async () => {
  await closeServer(server);
  await quiz.close();
  await platform.close();
});
