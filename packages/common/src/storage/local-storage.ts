import { createHmac, timingSafeEqual } from 'node:crypto';
import { access, mkdir, readFile, rm, rmdir, writeFile, rename } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Router, type Request } from 'express';
import { NotFoundError, ForbiddenError } from '../errors/index.js';
import {
  assertSafeKey,
  contentDisposition,
  DEFAULT_URL_TTL_SECONDS,
  ObjectNotFoundError,
  type ObjectStorage,
} from './object-storage.js';

export interface LocalStorageOptions {
  /** The folder files are kept in. */
  root: string;
  /** Where the download route is reachable from a client, e.g. http://localhost:5000/files/document */
  publicBaseUrl: string;
  /** HMAC secret of the download links. */
  signingSecret: string;
}

interface Meta {
  contentType: string;
}

export interface LocalStorage extends ObjectStorage {
  readMeta(key: string): Promise<Meta>;
}

function sign(secret: string, key: string, expires: number, downloadName: string): string {
  return createHmac('sha256', secret).update(`${key}\n${expires}\n${downloadName}`).digest('base64url');
}

/** Files in a folder, with expiring HMAC-signed download links: the embedded stand-in for S3. */
export function createLocalStorage(options: LocalStorageOptions): LocalStorage {
  const root = resolve(options.root);
  const pathOf = (key: string): string => {
    assertSafeKey(key);
    return join(root, key);
  };
  const base = options.publicBaseUrl.replace(/\/+$/, '');

  return {
    kind: 'local',
    async put(key, body, { contentType }) {
      const path = pathOf(key);
      const writeTemporary = async (): Promise<void> => {
        await mkdir(dirname(path), { recursive: true });
        await writeFile(`${path}.tmp`, body);
      };
      // Write then rename, so a reader never sees half a file. A delete may remove the folder while it
      // is still empty (between the two calls): then it is made again.
      await writeTemporary().catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err;
        return writeTemporary();
      });
      await rename(`${path}.tmp`, path);
      await writeFile(`${path}.meta.json`, JSON.stringify({ contentType } satisfies Meta));
    },
    async get(key) {
      try {
        return await readFile(pathOf(key));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new ObjectNotFoundError(key);
        throw err;
      }
    },
    async delete(key) {
      const path = pathOf(key);
      await rm(path, { force: true });
      await rm(`${path}.meta.json`, { force: true });
      // Folders left empty go too: their names are ids (a user's, say) that should not outlive the files.
      for (let dir = dirname(path); dir.startsWith(`${root}/`); dir = dirname(dir)) {
        try {
          await rmdir(dir);
        } catch {
          break;
        }
      }
    },
    async exists(key) {
      try {
        await access(pathOf(key));
        return true;
      } catch {
        return false;
      }
    },
    async signedUrl(key, opts = {}) {
      assertSafeKey(key);
      const ttl = opts.expiresInSeconds ?? DEFAULT_URL_TTL_SECONDS;
      const expires = Math.floor(Date.now() / 1000) + ttl;
      const name = opts.downloadName ?? '';
      const params = new URLSearchParams({ expires: String(expires), sig: sign(options.signingSecret, key, expires, name) });
      if (name) params.set('name', name);
      const path = key.split('/').map(encodeURIComponent).join('/');
      return { url: `${base}/${path}?${params}`, expires_at: new Date(expires * 1000).toISOString() };
    },
    uri(key) {
      return `file:${key}`;
    },
    async check() {
      await mkdir(root, { recursive: true });
      await access(root);
    },
    async readMeta(key) {
      try {
        return JSON.parse(await readFile(`${pathOf(key)}.meta.json`, 'utf8')) as Meta;
      } catch {
        return { contentType: 'application/octet-stream' };
      }
    },
  };
}

function checkSignature(secret: string, key: string, req: Request): void {
  const expires = Number(req.query.expires);
  const given = String(req.query.sig ?? '');
  const name = typeof req.query.name === 'string' ? req.query.name : '';
  if (!Number.isInteger(expires) || !given) throw new ForbiddenError('This download link is not valid');
  const expected = Buffer.from(sign(secret, key, expires, name));
  const actual = Buffer.from(given);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    throw new ForbiddenError('This download link is not valid');
  }
  if (expires < Math.floor(Date.now() / 1000)) throw new ForbiddenError('This download link has expired');
}

/**
 * Serves signed local links: `GET /<key>?expires=&sig=`. Mounted without user authentication,
 * since the signature is the permission.
 */
export function createLocalFileRouter(storage: LocalStorage, signingSecret: string): Router {
  const router = Router();
  router.get(/.*/, async (req, res) => {
    let key: string;
    try {
      key = decodeURIComponent(req.path.replace(/^\/+/, ''));
      assertSafeKey(key);
    } catch {
      throw new NotFoundError('No such file');
    }
    checkSignature(signingSecret, key, req);
    let body: Buffer;
    try {
      body = await storage.get(key);
    } catch (err) {
      if (err instanceof ObjectNotFoundError) throw new NotFoundError('No such file');
      throw err;
    }
    const meta = await storage.readMeta(key);
    res.setHeader('Content-Type', meta.contentType);
    res.setHeader('Cache-Control', 'private, no-store');
    if (typeof req.query.name === 'string' && req.query.name) {
      res.setHeader('Content-Disposition', contentDisposition(req.query.name));
    }
    res.status(200).end(body);
  });
  return router;
}
