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
}

export function createS3Client(options: Omit<S3StorageOptions, 'bucket' | 'createBucket'>): S3Client {
  return new S3Client({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    maxAttempts: 2,
  });
}

function isNotFound(err: unknown): boolean {
  return (
    err instanceof S3ServiceException &&
    (err.name === 'NoSuchKey' || err.name === 'NotFound' || err.$metadata.httpStatusCode === 404)
  );
}

export function createS3Storage(options: S3StorageOptions): ObjectStorage {
  const client = createS3Client(options);
  const { bucket } = options;
  let bucketReady: Promise<void> | undefined;

  const ensureBucket = (): Promise<void> => {
    if (!options.createBucket) return Promise.resolve();
    bucketReady ??= (async () => {
      try {
        await client.send(new HeadBucketCommand({ Bucket: bucket }));
      } catch (err) {
        if (!isNotFound(err)) throw err;
        await client.send(new CreateBucketCommand({ Bucket: bucket }));
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
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
    },
    async get(key) {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        if (!out.Body) throw new ObjectNotFoundError(key);
        return Buffer.from(await out.Body.transformToByteArray());
      } catch (err) {
        if (isNotFound(err)) throw new ObjectNotFoundError(key);
        throw err;
      }
    },
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
    async exists(key) {
      try {
        await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
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
      await client.send(new HeadBucketCommand({ Bucket: bucket }));
    },
  };
}
