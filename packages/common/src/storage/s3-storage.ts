import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { ServiceUnavailableError } from '../errors/index.js';
import {
  assertSafeKey,
  contentDisposition,
  DEFAULT_URL_TTL_SECONDS,
  ObjectNotFoundError,
  type ObjectStorage,
} from './object-storage.js';

export interface S3StorageOptions {
  bucket: string;
  region: string;
  /** A custom endpoint (a local emulator); unset for real AWS. */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Create the bucket when it is missing (local emulators, first start). */
  createBucket?: boolean;
  /**
   * Longest one request may take, answer included; default 10 s. Two attempts stay under the
   * gateway's 30 s, so a stalled endpoint answers 503 rather than the gateway's 504.
   */
  requestTimeoutMs?: number;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
const CONNECTION_TIMEOUT_MS = 3_000;

export function createS3Client(options: Omit<S3StorageOptions, 'bucket' | 'createBucket'>): S3Client {
  return new S3Client({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    maxAttempts: 2,
    requestHandler: {
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    },
  });
}

const UNREACHABLE = new Set(['TimeoutError', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH']);

/** A storage endpoint that does not answer is the platform's outage, said as a 503, not a 500. */
function unavailable(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (!UNREACHABLE.has(err.name) && !(code && UNREACHABLE.has(code))) return err;
  return Object.assign(
    new ServiceUnavailableError('Object storage is not answering; try again later', { dependency: 'storage' }, 5),
    { cause: err },
  );
}

function isNotFound(err: unknown): boolean {
  return (
    err instanceof S3ServiceException &&
    (err.name === 'NoSuchKey' || err.name === 'NotFound' || err.$metadata.httpStatusCode === 404)
  );
}

export function createS3Storage(options: S3StorageOptions): ObjectStorage {
  const client = createS3Client(options);
  const send: S3Client['send'] = (command: Parameters<S3Client['send']>[0]) =>
    client.send(command).catch((err: unknown) => {
      throw unavailable(err);
    });
  const { bucket } = options;
  let bucketReady: Promise<void> | undefined;

  const ensureBucket = (): Promise<void> => {
    if (!options.createBucket) return Promise.resolve();
    bucketReady ??= (async () => {
      try {
        await send(new HeadBucketCommand({ Bucket: bucket }));
      } catch (err) {
        if (!isNotFound(err)) throw err;
        await send(new CreateBucketCommand({ Bucket: bucket }));
      }
    })().catch((err: unknown) => {
      bucketReady = undefined;
      throw err;
    });
    return bucketReady;
  };

  return {
    kind: 's3',
    async put(key, body, { contentType }) {
      assertSafeKey(key);
      await ensureBucket();
      await send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
    },
    async get(key) {
      try {
        const out = await send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        if (!out.Body) throw new ObjectNotFoundError(key);
        return Buffer.from(await out.Body.transformToByteArray());
      } catch (err) {
        if (isNotFound(err)) throw new ObjectNotFoundError(key);
        throw err;
      }
    },
    async delete(key) {
      await send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
    async exists(key) {
      try {
        await send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return true;
      } catch (err) {
        if (isNotFound(err)) return false;
        throw err;
      }
    },
    async signedUrl(key, opts = {}) {
      const expiresIn = opts.expiresInSeconds ?? DEFAULT_URL_TTL_SECONDS;
      const url = await getSignedUrl(
        client,
        new GetObjectCommand({
          Bucket: bucket,
          Key: key,
          ...(opts.downloadName ? { ResponseContentDisposition: contentDisposition(opts.downloadName) } : {}),
        }),
        { expiresIn },
      );
      return { url, expires_at: new Date(Date.now() + expiresIn * 1000).toISOString() };
    },
    uri(key) {
      return `s3://${bucket}/${key}`;
    },
    async check() {
      await ensureBucket();
      await send(new HeadBucketCommand({ Bucket: bucket }));
    },
  };
}
