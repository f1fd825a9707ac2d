import './types.js';

export type { RequestUser } from './types.js';
export { createBaseApp, finishApp, jsonBody, type BaseAppOptions, type TrustProxy } from './app.js';
export { errorHandler, notFoundHandler } from './error-handler.js';
export { requestContext } from './request-context.js';
export { parseInput, issuesToDetails } from './validation.js';
export { plainText } from './plain-text.js';
export { sendData, sendList, paginationSchema, pageOffset, type Page } from './responses.js';
export { createServer, listen, closeServer, onShutdown } from './server.js';
