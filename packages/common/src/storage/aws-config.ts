import { awsCredentials, type StorageEnv } from './config.js';

type AwsEnv = Pick<StorageEnv, 'AWS_REGION' | 'AWS_ENDPOINT_URL' | 'AWS_ACCESS_KEY_ID' | 'AWS_SECRET_ACCESS_KEY' | 'AWS_SESSION_TOKEN'>;

/** AWS services are used when credentials are set, or an endpoint names a local emulator. */
export function awsConfigured(env: AwsEnv): boolean {
  return Boolean((env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) || env.AWS_ENDPOINT_URL);
}

/** Region, endpoint and credentials for any AWS SDK v3 client, from the storage keys. */
export function awsClientConfig(env: AwsEnv): {
  region: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
} {
  const credentials = awsCredentials(env as StorageEnv);
  return {
    region: env.AWS_REGION,
    ...(env.AWS_ENDPOINT_URL ? { endpoint: env.AWS_ENDPOINT_URL } : {}),
    ...(credentials ? { credentials } : {}),
  };
}
