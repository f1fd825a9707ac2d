export {
  ObjectNotFoundError,
  DEFAULT_URL_TTL_SECONDS,
  type ObjectStorage,
  type SignedUrl,
  type PutOptions,
} from './object-storage.js';
export { createS3Storage, createS3Client, type S3StorageOptions } from './s3-storage.js';
export { createLocalStorage, createLocalFileRouter, type LocalStorage, type LocalStorageOptions } from './local-storage.js';
export { storageEnvSchema, createStorageFromEnv, awsCredentials, type StorageEnv, type ConfiguredStorage } from './config.js';
export { awsConfigured, awsClientConfig } from './aws-config.js';
