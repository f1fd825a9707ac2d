import type { Request, RequestHandler, Response } from 'express';
import { bearerToken, type AccessClaims, type AccessTokenService } from '@learner/common/auth';
import { RateLimitedError, UnauthenticatedError, type AppError } from '@learner/common/errors';
import type { RateLimitResult } from './rate-limit/rate-limiter.js';
import type { TrafficControls } from './traffic/traffic-controls.js';

interface GateState {
  claims?: AccessClaims;
  authError?: AppError;
}

// A symbol-keyed slot on the request: a WeakMap entry per request would cost the garbage
// collector more than the whole lookup saves.
const gateState = Symbol('gate state');
type WithGateState = Request & { [gateState]?: GateState };

function ipKey(req: Request): string {
  return `rl:ip:${req.ip ?? 'unknown'}`;
}

function setRateLimitHeaders(res: Response, result: RateLimitResult): void {
  res.setHeader('X-RateLimit-Limit', String(result.limit));
  res.setHeader('X-RateLimit-Remaining', String(result.remaining));
  res.setHeader('X-RateLimit-Reset', String(Math.ceil(result.resetAtMs / 1000)));
}

/**
 * Establishes who is calling and counts the request against their limit: per user when a valid,
 * unrevoked access token is present, per client IP otherwise (or always, with `perIp`). It does not
 * reject a missing or bad token itself, so public routes stay reachable; `requireAccessClaims` does that.
 * The token is checked before the limit so a valid user is counted under their own key.
 */
export function createGatekeeper(deps: {
  accessTokens: AccessTokenService;
  traffic: TrafficControls;
}): (options?: { perIp?: boolean }) => RequestHandler {
  return (options = {}) =>
    async (req, res, next) => {
      const state: GateState = {};
      const token = options.perIp ? undefined : bearerToken(req.get('authorization'));
      if (token) {
        try {
          state.claims = deps.accessTokens.verify(token);
        } catch (err) {
          state.authError = err as AppError;
        }
      }
      const claims = state.claims;
      // req.ip weighs X-Forwarded-For against the trusted proxies: only worked out when the address counts.
      const admission = await deps.traffic.admit(claims ? `rl:user:${claims.user_id}` : ipKey(req), claims?.jti);
      const { revoked } = admission;
      // A revoked token's request was not counted for its user: it counts against the address.
      const limit = claims && revoked ? (await deps.traffic.admit(ipKey(req))).limit : admission.limit;
      setRateLimitHeaders(res, limit);
      if (!limit.allowed) throw new RateLimitedError(limit.retryAfterSeconds, { limit: limit.limit });
      if (claims && revoked) {
        delete state.claims;
        state.authError = new UnauthenticatedError('The token has been revoked');
      }
      if (state.claims) req.user = { id: state.claims.user_id, email: state.claims.email };
      (req as WithGateState)[gateState] = state;
      next();
    };
}

/** The claims of the request's valid access token; 401 (with the reason) when there is none. */
export function requireAccessClaims(req: Request): AccessClaims {
  const state = (req as WithGateState)[gateState];
  if (state?.claims) return state.claims;
  throw state?.authError ?? new UnauthenticatedError('A Bearer token is required');
}
