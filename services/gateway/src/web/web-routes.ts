import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router } from 'express';
import helmet from 'helmet';
import { ServiceUnavailableError } from '@learner/common/errors';

export interface WebAppOptions {
  /** The web app's build (packages/web/dist): index.html and assets/. */
  dir: string;
  /**
   * Origins besides the gateway's own that audio may come from: the links the services sign
   * (PUBLIC_BASE_URL) or an S3 bucket's.
   */
  mediaOrigins?: string[];
}

/**
 * The app's policy: its own scripts and styles only (no inline code, no eval), API calls to this
 * origin only, no frames, no plugins. Media may also come from where the services' download links
 * point.
 */
export function webAppCsp(mediaOrigins: string[] = []) {
  return helmet.contentSecurityPolicy({
    useDefaults: false,
    directives: {
      defaultSrc: ["'none'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:', 'blob:'],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      mediaSrc: ["'self'", 'blob:', ...mediaOrigins],
      manifestSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  });
}

/** `/` (the web app's page) and `/assets/*` (its hashed scripts and styles, cached for a year). */
export function createWebRouter(options: WebAppOptions): Router {
  const router = Router();
  const csp = webAppCsp(options.mediaOrigins);
  const index = join(options.dir, 'index.html');
  router.get(['/', '/index.html'], csp, (_req, res, next) => {
    if (!existsSync(index)) {
      next(new ServiceUnavailableError('The web app is not built: run `pnpm build`', { web_app: options.dir }));
      return;
    }
    // The page names its assets by content hash: it must be fetched again, they need not.
    res.sendFile('index.html', { root: options.dir, headers: { 'Cache-Control': 'no-cache' } });
  });
  router.use(
    '/assets',
    csp,
    express.static(join(options.dir, 'assets'), { immutable: true, maxAge: '365d', index: false, fallthrough: true, redirect: false }),
  );
  return router;
}
