import { z } from 'zod';
import { ERASURE_SERVICES } from '@learner/common/contracts';
import { defineRoutes, isoTimestamp, linksToId, type RouteDoc } from '@learner/common/openapi';
import { emptySchema, loginSchema, refreshSchema, registerSchema } from './auth/auth-routes.js';
import { eraseAccountSchema, erasureIdSchema } from './erasure/erasure-routes.js';

const AUTH = 'auth';
const PROBES = 'probes';

// The address as registered (checked then, stored in lower case); re-checking it against zod's
// email pattern here would reject addresses registration accepted.
const user = z.object({
  id: z.string(),
  email: z.string().describe('The email address of the account, in lower case'),
  name: z.string().nullable(),
});
const session = z.object({
  user,
  token: z.string().describe('The access token (JWT, HS256): send it as `Authorization: Bearer <token>`'),
  refresh_token: z.string().describe('Trade it once at /api/v1/auth/refresh for a new pair'),
  expires_in: z.int().describe('Seconds until the access token expires'),
});
const whoAmI = z.object({ valid: z.literal(true), user });
const erasureStatus = z.object({
  erasure_id: z.uuid(),
  status: z.enum(['pending', 'completed']),
  requested_at: isoTimestamp,
  completed_at: isoTimestamp.nullable(),
  services: z.array(
    z.object({
      service: z.enum(ERASURE_SERVICES),
      status: z.enum(['pending', 'confirmed']),
      confirmed_at: isoTimestamp.nullable(),
    }),
  ),
  status_url: z.string().describe('Where to follow the erasure (public, GET)'),
});

const me = (path: string, summary: string): RouteDoc => ({
  method: 'get',
  path,
  summary,
  tags: [AUTH],
  responses: { 200: { description: 'The token is valid; whose it is', schema: whoAmI } },
  security: 'bearer',
});

/** The public routes that start a session: no token needed. */
const signIn = (path: string, summary: string, body: z.ZodType, responses: RouteDoc['responses']): RouteDoc => ({
  method: 'post',
  path,
  summary,
  tags: [AUTH],
  body,
  responses,
  security: 'none',
});

const checkResult = z.object({ status: z.enum(['up', 'down']), latency_ms: z.number(), error: z.string().optional() });

/** The gateway's own routes: sign-up and sessions, and the probes. */
export const routes: RouteDoc[] = defineRoutes([
  signIn('/api/v1/auth/register', 'Create an account and sign in', registerSchema, {
    201: { description: 'The account and its first session', schema: session },
    409: { description: 'An account with this email already exists' },
  }),
  signIn('/api/v1/auth/login', 'Sign in with email and password', loginSchema, {
    200: { description: 'A new session', schema: session },
    401: { description: 'The email or password is not correct' },
  }),
  signIn(
    '/api/v1/auth/refresh',
    'Trade a refresh token for a new token pair; the old one stops working, and using it again ends the session',
    refreshSchema,
    {
      200: { description: 'A new token pair', schema: session },
      401: { description: 'The refresh token is not valid, expired or already used' },
    },
  ),
  {
    method: 'post',
    path: '/api/v1/auth/logout',
    summary: 'End the session of this token',
    description: 'The token and its refresh token are refused from now on.',
    tags: [AUTH],
    body: emptySchema,
    responses: { 200: { description: 'Logged out', schema: z.object({ message: z.string() }) } },
    security: 'bearer',
  },
  me('/api/v1/auth/me', 'Who the token belongs to'),
  {
    method: 'delete',
    path: '/api/v1/auth/me',
    summary: 'Erase the account and everything of it in every service',
    description:
      'Needs the account\'s password. The account is gone at once: its tokens and refresh tokens are refused, ' +
      'signing in fails and the email can make a new, empty account. Every service then erases what it keeps ' +
      '(documents, notes, chats, quizzes and results, audio, recordings, their files and cached entries) and ' +
      'confirms; `status_url` shows the progress without a token.',
    tags: [AUTH],
    body: eraseAccountSchema,
    responses: {
      202: {
        description: 'The account is erased; the services are erasing their part',
        schema: erasureStatus,
        links: linksToId(['getApiV1AuthErasuresByErasureId'], '/data/erasure_id', 'erasure_id'),
      },
      401: { description: 'No valid token, or the password is not correct' },
    },
    security: 'bearer',
  },
  {
    method: 'get',
    path: '/api/v1/auth/erasures/{erasure_id}',
    summary: 'How far an account erasure is',
    description: 'Public: the erasure id is the receipt DELETE /api/v1/auth/me answered with; it names nobody.',
    tags: [AUTH],
    params: erasureIdSchema,
    responses: {
      200: { description: 'Pending, or completed when every service confirmed', schema: erasureStatus },
      404: { description: 'No erasure with this id' },
    },
    security: 'none',
  },
  me('/api/v1/auth/verify', 'Whether a token is valid (same as /me)'),
  {
    method: 'get',
    path: '/health',
    summary: 'The gateway process answers',
    tags: [PROBES],
    responses: {
      200: {
        description: 'Healthy',
        schema: z.object({ status: z.literal('healthy'), service: z.string(), timestamp: isoTimestamp }),
        envelope: 'raw',
      },
    },
    security: 'none',
  },
  {
    method: 'get',
    path: '/ready',
    summary: 'Every service and dependency answers',
    tags: [PROBES],
    responses: {
      200: {
        description: 'Ready; one entry per service and dependency',
        schema: z.object({ status: z.literal('ready'), service: z.string(), checks: z.record(z.string(), checkResult), timestamp: isoTimestamp }),
        envelope: 'raw',
      },
      503: { description: 'Not ready; `details.down` names what does not answer' },
    },
    security: 'none',
  },
  {
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics of the gateway',
    tags: [PROBES],
    responses: { 200: { description: 'Metrics in the Prometheus text format', schema: z.string(), envelope: 'raw', contentType: 'text/plain' } },
    security: 'none',
  },
  {
    method: 'get',
    path: '/openapi.json',
    summary: 'This document',
    tags: [PROBES],
    responses: { 200: { description: 'The OpenAPI 3.1 document of every public route' } },
    security: 'none',
  },
  {
    method: 'get',
    path: '/docs',
    summary: 'This document as a browsable page (Swagger UI)',
    tags: [PROBES],
    responses: { 200: { description: 'An HTML page', schema: z.string(), envelope: 'raw', contentType: 'text/html' } },
    security: 'none',
  },
]);
