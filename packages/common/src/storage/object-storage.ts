export interface SignedUrl {
  url: string;
  expires_at: string;
}

export interface PutOptions {
  contentType: string;
}

/** Where uploaded files and generated audio live: S3, or a local folder when embedded. */
export interface ObjectStorage {
  readonly kind: 's3' | 'local';
  put(key: string, body: Buffer, options: PutOptions): Promise<void>;
  get(key: string): Promise<Buffer>;
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  /** A link that downloads the exact stored bytes until it expires. */
  signedUrl(key: string, options?: { expiresInSeconds?: number; downloadName?: string }): Promise<SignedUrl>;
  /** A URI naming the object for events and logs (s3://bucket/key or file:key). */
  uri(key: string): string;
  check(): Promise<void>;
}

export class ObjectNotFoundError extends Error {
  constructor(key: string) {
    super(`No stored object ${key}`);
    this.name = 'ObjectNotFoundError';
  }
}

export const DEFAULT_URL_TTL_SECONDS = 3600;

/** Keys are built by the services from ids; reject anything that could escape a folder. */
export function assertSafeKey(key: string): void {
  if (!key || key.startsWith('/') || key.split('/').some((part) => part === '..' || part === '.' || part === '')) {
    throw new Error(`Unsafe storage key: ${key}`);
  }
}

export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
