import { Router } from 'express';
import { z } from 'zod';
import { jsonBody, parseInput, sendData } from '@learner/common/http';
import { requireAccessClaims } from '../gatekeeper.js';
import type { ErasureService } from './erasure-service.js';

export const eraseAccountSchema = z.strictObject({ password: z.string().min(1).max(128) });
export const erasureIdSchema = z.strictObject({ erasure_id: z.uuid('must be an erasure id') });

/** Where an erasure's progress is read; it needs no token, the account being gone. */
export const erasureStatusPath = (erasureId: string): string => `/api/v1/auth/erasures/${erasureId}`;

/** DELETE /me (the account, with its password) and the public receipt of an erasure. */
export function createErasureRouter(erasure: ErasureService): Router {
  const router = Router();

  router.delete('/me', jsonBody(16 * 1024), async (req, res) => {
    const claims = requireAccessClaims(req);
    const { password } = parseInput(eraseAccountSchema, req.body);
    const status = await erasure.erase(claims, password);
    sendData(res, { ...status, status_url: erasureStatusPath(status.erasure_id) }, 202);
  });

  router.get('/erasures/:erasure_id', async (req, res) => {
    const { erasure_id: id } = parseInput(erasureIdSchema, req.params, 'erasure id');
    sendData(res, { ...(await erasure.status(id)), status_url: erasureStatusPath(id) });
  });

  return router;
}
