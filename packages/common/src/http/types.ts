import type { Logger } from 'pino';

export interface RequestUser {
  id: string;
  email: string;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by the request-id middleware on every request. */
      requestId: string;
      /** A child logger carrying request_id. */
      log: Logger;
      /** Set once identity is established (JWT at the gateway, internal token in services). */
      user?: RequestUser;
    }
  }
}
