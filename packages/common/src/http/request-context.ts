import { randomUUID } from 'node:crypto';
import type { Express, Request, RequestHandler } from 'express';
import type { Logger } from 'pino';

const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

interface LogSlot {
  root: Logger;
  child?: Logger;
}

const logSlot = Symbol('request logger');
type WithLogSlot = Request & { [logSlot]?: LogSlot };

/*
 * Most requests never log anything of their own, and a pino child costs an allocation and the
 * serialised bindings; it is made on the first use of req.log instead. The accessor lives on the
 * app's request prototype, defined once, so requests keep one shape and nothing is defined per request.
 */
function getLog(this: WithLogSlot): Logger | undefined {
  const slot = this[logSlot];
  if (!slot) return undefined;
  slot.child ??= slot.root.child({ request_id: this.requestId });
  return slot.child;
}

function setLog(this: WithLogSlot, value: Logger): void {
  const slot = this[logSlot];
  if (slot) slot.child = value;
  else this[logSlot] = { root: value, child: value };
}

/** Keeps the caller's X-Request-ID when it is sane, otherwise makes one; echoes it back. */
export function requestContext(app: Express, logger: Logger): RequestHandler {
  Object.defineProperty(app.request, 'log', { get: getLog, set: setLog, configurable: true, enumerable: true });
  return (req, res, next) => {
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && ACCEPTABLE_ID.test(incoming) ? incoming : `req_${randomUUID()}`;
    req.requestId = requestId;
    req.headers['x-request-id'] = requestId;
    res.setHeader('X-Request-ID', requestId);
    (req as WithLogSlot)[logSlot] = { root: logger };
    // The level is read per request so a logger whose level changes at run time is obeyed.
    if (!logger.isLevelEnabled('info')) {
      next();
      return;
    }
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const line = { method: req.method, url: req.originalUrl, status: res.statusCode, ms: Math.round(ms * 10) / 10 };
      // A request that logged nothing else has no child logger; making one for this line alone
      // would cost more than the line.
      const child = (req as WithLogSlot)[logSlot]?.child;
      if (child) child.info(line, 'request');
      else logger.info({ request_id: requestId, ...line }, 'request');
    });
    next();
  };
}
