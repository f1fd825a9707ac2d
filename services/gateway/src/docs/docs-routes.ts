import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Router } from 'express';
import helmet from 'helmet';

const swaggerUiDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

// Swagger UI is served from this origin and styles its elements inline; nothing else is allowed.
// No upgrade-insecure-requests: a gateway reached over plain HTTP (local runs) must still load its assets.
const docsCsp = helmet.contentSecurityPolicy({
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'self'"],
  },
});

// Only what the page loads; the package's own index.html and initializer point at another API.
const ASSETS = new Set(['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png', 'favicon-16x16.png']);

const PAGE = `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <title>Learner Platform API</title>
    <link rel="stylesheet" type="text/css" href="/docs/swagger-ui.css">
    <link rel="icon" type="image/png" href="/docs/favicon-32x32.png" sizes="32x32">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/docs/swagger-ui-bundle.js" charset="UTF-8"></script>
    <script src="/docs/docs-init.js" charset="UTF-8"></script>
  </body>
</html>
`;

// A file rather than an inline script, so the page needs no 'unsafe-inline' for scripts.
const INIT = `window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    persistAuthorization: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
  });
};
`;

/** `/openapi.json` (the document) and `/docs` (Swagger UI over it, its assets from swagger-ui-dist). */
export function createDocsRouter(document: object): Router {
  const router = Router();
  const body = JSON.stringify(document);
  router.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(body);
  });
  router.use('/docs', docsCsp);
  router.get(['/docs', '/docs/'], (_req, res) => {
    res.type('html').send(PAGE);
  });
  router.get('/docs/docs-init.js', (_req, res) => {
    res.type('application/javascript').send(INIT);
  });
  router.get('/docs/:asset', (req, res, next) => {
    const asset = req.params.asset;
    if (!ASSETS.has(asset)) {
      next();
      return;
    }
    // With root, only the asset's own name is checked for dot segments, not the pnpm store path.
    res.sendFile(asset, { root: swaggerUiDir, maxAge: '1d' });
  });
  return router;
}
