import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * The chart's values (deploy/helm/learner-platform/values*.yaml) as the ECS renderer reads them:
 * Kubernetes and ECS are deployed from the same settings.
 */

/** Shared settings a service reads besides its own `env` (see the comment in values.yaml). */
export type Use = 'userTokens' | 'services' | 'documentService' | 'studyPackServices' | 'publicBaseUrl' | 'events' | 'objectStorage' | 'aws' | 'llm' | 'embeddings';

export interface ServiceValues {
  port: number;
  uses?: Use[];
  allowFrom?: string[];
  env?: Record<string, string | number | boolean | null>;
  replicas: number;
  autoscaling: {
    enabled: boolean;
    minReplicas: number;
    maxReplicas: number;
    targetCPUUtilizationPercentage: number;
    targetMemoryUtilizationPercentage: number;
  };
  ecs: { cpu: number; memory: number };
  terminationGracePeriodSeconds: number;
}

export interface ChartValues {
  image: { registry: string; repository: string; tag: string; appDir: string };
  publicBaseUrl: string;
  kafka: { bootstrapServers: string; topics: { create: boolean; replicationFactor: number } };
  objectStorage: { bucket: string; region: string; endpointUrl: string; localPath: string };
  secrets: { optionalKeys: string[] };
  embeddings: { enabled: boolean; externalUrl: string; port: number; ecs: { cpu: number; memory: number } };
  serviceDefaults: Omit<ServiceValues, 'port'>;
  services: Record<string, Partial<ServiceValues> & { port: number }>;
  ecs: {
    familyPrefix: string;
    executionRoleArn: string;
    taskRoleArn: string;
    secretArn: string;
    logGroup: string;
    region: string;
    serviceDiscoveryNamespace: string;
    cpuArchitecture: 'X86_64' | 'ARM64';
  };
}

type Tree = Record<string, unknown>;
const isTree = (value: unknown): value is Tree => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Helm's way of layering values files: maps merge key by key, anything else replaces, null removes. */
export function mergeValues(base: Tree, overlay: Tree): Tree {
  const merged: Tree = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    if (value === null) delete merged[key];
    else if (isTree(value) && isTree(merged[key])) merged[key] = mergeValues(merged[key], value);
    else merged[key] = value;
  }
  return merged;
}

/** values.yaml of the chart, then each overlay file in order, as `helm -f a -f b` does. */
export function loadValues(chartDir: string, overlays: string[] = []): ChartValues {
  const read = (file: string): Tree => (parse(readFileSync(file, 'utf8')) as Tree | null) ?? {};
  return overlays.reduce((values, file) => mergeValues(values, read(file)), read(join(chartDir, 'values.yaml'))) as unknown as ChartValues;
}

/** One service's settings: serviceDefaults overlaid with its own entry (the chart's learner.service). */
export function serviceValues(values: ChartValues, name: string): ServiceValues {
  const own = values.services[name];
  if (!own) throw new Error(`no service ${name} in the values`);
  return mergeValues(values.serviceDefaults as unknown as Tree, own as unknown as Tree) as unknown as ServiceValues;
}

/** Where one environment key's value comes from. */
export type EnvSource = { value: string } | { secretKey: string; optional: boolean };

/**
 * The environment of one service, with the rules of the chart's `learner.env`: what its `uses`
 * entries ask for, then its own `env`. `urlOf` gives another service's base URL on the platform's
 * network; `embeddingsUrl` the embedding server's.
 */
export function serviceEnvironment(
  values: ChartValues,
  name: string,
  addresses: { urlOf: (service: string) => string; embeddingsUrl: string },
): Map<string, EnvSource> {
  const svc = serviceValues(values, name);
  const uses = new Set(svc.uses ?? []);
  const env = new Map<string, EnvSource>();
  const value = (key: string, v: string): void => void env.set(key, { value: v });
  const secret = (key: string, secretKey = key, optional = false): void => void env.set(key, { secretKey, optional });

  value('PORT', String(svc.port));
  secret('DATABASE_URL', `${name.toUpperCase()}_DATABASE_URL`);
  secret('INTERNAL_TOKEN_SECRET');
  secret('REDIS_URL');
  if (uses.has('userTokens')) secret('JWT_SECRET');
  if (uses.has('services')) {
    for (const other of Object.keys(values.services)) if (other !== name) value(`${other.toUpperCase()}_SERVICE_URL`, addresses.urlOf(other));
  }
  if (uses.has('documentService')) value('DOCUMENT_SERVICE_URL', addresses.urlOf('document'));
  if (uses.has('studyPackServices')) {
    value('QUIZ_SERVICE_URL', addresses.urlOf('quiz'));
    value('TTS_SERVICE_URL', addresses.urlOf('tts'));
  }
  if (uses.has('publicBaseUrl') || uses.has('objectStorage')) value('PUBLIC_BASE_URL', values.publicBaseUrl);
  if (uses.has('events')) value('KAFKA_BOOTSTRAP_SERVERS', values.kafka.bootstrapServers);
  if (uses.has('objectStorage')) {
    value('S3_BUCKET', values.objectStorage.bucket);
    value('AWS_ENDPOINT_URL', values.objectStorage.endpointUrl);
    value('STORAGE_DIR', values.objectStorage.localPath);
    secret('STORAGE_SIGNING_SECRET');
  }
  if (uses.has('objectStorage') || uses.has('aws')) {
    value('AWS_REGION', values.objectStorage.region);
    for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) secret(key, key, true);
  }
  if (uses.has('llm')) secret('LLM_API_KEY', 'LLM_API_KEY', true);
  if (uses.has('embeddings')) {
    value('EMBEDDINGS_BASE_URL', addresses.embeddingsUrl);
    secret('EMBEDDINGS_API_KEY', 'EMBEDDINGS_API_KEY', true);
  }
  for (const [key, v] of Object.entries(svc.env ?? {})) {
    if (env.has(key)) throw new Error(`services.${name}.env.${key} is set from shared settings; remove it from env`);
    value(key, v === null ? '' : String(v));
  }
  return env;
}

/** The image of one component, as the chart's learner.image names it. */
export function imageOf(values: ChartValues, component: string, tag = values.image.tag): string {
  const repository = [values.image.registry, values.image.repository, component].filter(Boolean).join('/');
  if (!tag) throw new Error('no image tag: set image.tag or pass one');
  return `${repository}:${tag}`;
}
