import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { jsonBody, parseInput, sendData } from '@learner/common/http';
import { requireAccessClaims } from '../gatekeeper.js';
import type { AuthService, Session } from './auth-service.js';

// Auth bodies are a few fields; anything bigger is a mistake or an attack.
const AUTH_BODY_LIMIT = 16 * 1024;

const email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email('must be a valid email address'))
  .transform((v) => v.toLowerCase());

export const registerSchema = z.strictObject({
  email,
  password: z.string().min(8, 'must be at least 8 characters').max(128, 'must be at most 128 characters'),
  name: z.string().trim().min(1).max(100).optional(),
});

export const loginSchema = z.strictObject({
  email,
  // Not the registration rules: a login with a too-short password is simply wrong, not malformed.
  password: z.string().min(1).max(128),
});

export const refreshSchema = z.strictObject({ refresh_token: z.string().min(1).max(200) });
export const emptySchema = z.strictObject({});

function sessionBody(session: Session) {
  return {
    user: session.user,
    token: session.token,
    refresh_token: session.refreshToken,
    expires_in: session.expiresIn,
  };
}

export function createAuthRouter(auth: AuthService): Router {
  const router = Router();
  router.use(jsonBody(AUTH_BODY_LIMIT));

  router.post('/register', async (req, res) => {
    const input = parseInput(registerSchema, req.body);
    sendData(res, sessionBody(await auth.register({ ...input, name: input.name ?? null })), 201);
  });

  router.post('/login', async (req, res) => {
    sendData(res, sessionBody(await auth.login(parseInput(loginSchema, req.body))));
  });

  router.post('/refresh', async (req, res) => {
    const input = parseInput(refreshSchema, req.body);
    sendData(res, sessionBody(await auth.refresh(input.refresh_token)));
  });

  router.post('/logout', async (req, res) => {
    const claims = requireAccessClaims(req);
    parseInput(emptySchema, req.body);
    await auth.logout(claims);
    sendData(res, { message: 'Logged out' });
  });

  const whoAmI = async (req: Request, res: Response): Promise<void> => {
    const claims = requireAccessClaims(req);
    sendData(res, { valid: true, user: await auth.currentUser(claims.user_id) });
  };
  router.get('/me', whoAmI);
  router.get('/verify', whoAmI);

  return router;
}
