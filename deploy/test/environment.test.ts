import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderEcsPlan } from '../src/ecs-task-definitions.js';
import { chartScripts } from '../src/render-ecs.js';
import { loadValues, type ChartValues } from '../src/settings.js';
import { chartDir, find, renderChart, root, SERVICES, VALUE_SETS, type ServiceName, type ValueSet } from './support.js';

// Every key a service reads must be set by the chart and by the ECS task definitions, so that
// what runs in a cluster is what the values say, never a default nobody chose; and nothing else,
// so that a misspelt key cannot pass for a setting.

const fullname = 'learner-learner-platform';
const commonFiles = readdirSync(join(root, 'packages/common/src'), { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
  .map((file) => readFileSync(join(root, 'packages/common/src', file), 'utf8'));
const keysIn = (text: string): string[] => [
  ...[...text.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!),
  // storageEnvSchema.pick({ AWS_REGION: true, ... })
  ...[...text.matchAll(/\.pick\(\{([^}]*)\}/g)].flatMap((m) => [...m[1]!.matchAll(/([A-Z][A-Z0-9_]+):/g)].map((k) => k[1]!)),
];

/** The text of a shared schema in packages/common, from its definition to the next export. */
function commonSchema(name: string): string {
  for (const text of commonFiles) {
    const start = text.search(new RegExp(`export (?:const|function) ${name}\\b`));
    if (start < 0) continue;
    const end = text.indexOf('\nexport ', start + 1);
    return text.slice(start, end < 0 ? undefined : end);
  }
  throw new Error(`no ${name} in packages/common`);
}

/** The keys a service's config.ts reads: its own, and those of the shared schemas it extends or spreads. */
function keysRead(name: ServiceName): Set<string> {
  const config = readFileSync(join(root, 'services', name, 'src', 'config.ts'), 'utf8');
  const keys = new Set(keysIn(config));
  // serviceEnvSchema.extend(...), .extend(storageEnvSchema.shape), ...llmEnvSchema({...}).shape,
  // but not bedrockEnvSchema.shape.BEDROCK_ENDPOINT_URL (one key, already in the file).
  for (const match of config.matchAll(/\b(\w+EnvSchema)(?:\([^)]*\))?\s*\.(?:extend\b|shape\b(?!\.))/g)) {
    for (const key of keysIn(commonSchema(match[1]!))) keys.add(key);
  }
  return keys;
}

const sample = (key: string): string => {
  if (key.endsWith('_DATABASE_URL')) return `postgres://u:p@db.internal:5432/${key.split('_')[0]!.toLowerCase()}`;
  if (key === 'REDIS_URL') return 'redis://cache.internal:6379';
  return `${key.toLowerCase()}-0123456789abcdef0123456789`;
};
type Environment = Record<string, string | undefined>;

/** What a pod of the service sees: plain values, and the Secret's keys (optional ones absent). */
function chartEnvironment(set: ValueSet, name: ServiceName): Environment {
  const deployment = find<any>(renderChart(set).objects, 'Deployment', `${fullname}-${name}`);
  const env: Environment = {};
  for (const entry of deployment.spec.template.spec.containers[0].env as any[]) {
    env[entry.name] = entry.valueFrom ? (entry.valueFrom.secretKeyRef.optional ? undefined : sample(entry.valueFrom.secretKeyRef.key)) : entry.value;
  }
  return env;
}

const ecsValues = (set: ValueSet): ChartValues => loadValues(chartDir, [...VALUE_SETS[set]]);
/** What the service's ECS task sees: its environment, and the Secrets Manager keys. */
function ecsEnvironment(set: ValueSet, name: ServiceName): Environment {
  const plan = renderEcsPlan(ecsValues(set), { imageTag: 'test', ...chartScripts() });
  const container = plan.taskDefinitions.find((t) => t.family === `learner-platform-${name}`)!.containerDefinitions![0]!;
  const env: Environment = {};
  for (const e of container.environment ?? []) env[e.name!] = e.value;
  for (const s of container.secrets ?? []) env[s.name!] = sample(s.valueFrom!.split(':').at(-3)!);
  return env;
}

async function loadConfigOf(name: ServiceName): Promise<(env: Environment) => Record<string, unknown>> {
  const module = (await import(join(root, 'services', name, 'src', 'config.ts'))) as { loadConfig: (env: Environment) => Record<string, unknown> };
  return module.loadConfig;
}

const cases = SERVICES.flatMap((name) => [
  ...(['default', 'trial', 'aws'] as const).map((set) => ({ name, where: `the chart (${set})`, env: () => chartEnvironment(set, name) })),
  ...(['default', 'aws'] as const).map((set) => ({ name, where: `the ECS task definition (${set})`, env: () => ecsEnvironment(set, name) })),
]);

describe('the environment of each service', () => {
  it('reads the keys found in its config (the check below would pass vacuously otherwise)', () => {
    expect(keysRead('gateway')).toContain('JWT_SECRET');
    for (const key of ['DATABASE_URL', 'KAFKA_BOOTSTRAP_SERVERS', 'LLM_BASE_URL', 'BEDROCK_MODEL_ID', 'AWS_REGION', 'DOCUMENT_TIMEOUT_MS']) expect(keysRead('chat')).toContain(key);
    for (const key of ['S3_BUCKET', 'STORAGE_SIGNING_SECRET', 'EMBEDDINGS_BASE_URL', 'BEDROCK_ENDPOINT_URL']) expect(keysRead('document')).toContain(key);
    expect(keysRead('document')).not.toContain('BEDROCK_MODEL_ID');
  });

  it.each(cases)('$name: $where sets every key it reads, and no other', ({ name, env }) => {
    const set = Object.keys(env());
    const read = keysRead(name);
    // A new key in a config.ts goes into services.<name>.env of deploy/helm/learner-platform/values.yaml.
    expect([...read].filter((key) => !set.includes(key)), `read but not set (add them to services.${name}.env in values.yaml)`).toEqual([]);
    expect(set.filter((key) => !read.has(key)), 'set but never read').toEqual([]);
  });

  it.each(cases)('$name: $where gives a configuration the service accepts', async ({ name, env }) => {
    const environment = env();
    const config = (await loadConfigOf(name))(environment);
    // Every key of the parsed configuration (defaults included) is one found in config.ts.
    const read = keysRead(name);
    expect(Object.keys(config).filter((key) => !read.has(key))).toEqual([]);
    expect(config.PORT).toBe(Number(environment.PORT));
  });

  it.each(SERVICES)('%s: Kubernetes and ECS get the same settings, but for the addresses of the other services', (name) => {
    for (const set of ['default', 'aws'] as const) {
      const k8s = chartEnvironment(set, name);
      const ecs = ecsEnvironment(set, name);
      const addresses = /_SERVICE_URL$|^EMBEDDINGS_BASE_URL$/;
      for (const key of Object.keys(k8s)) {
        if (addresses.test(key)) expect(new URL(ecs[key]!).port).toBe(new URL(k8s[key]!).port);
        // An optional secret that is not in the store: absent in the pod, empty on ECS; unset both ways.
        else expect(ecs[key] || undefined, key).toBe(k8s[key] || undefined);
      }
    }
  });

  it('in a cluster the services call each other by their Service names, on ECS by their discovery names', () => {
    expect(chartEnvironment('aws', 'gateway').DOCUMENT_SERVICE_URL).toBe(`http://${fullname}-document:5004`);
    expect(ecsEnvironment('aws', 'gateway').DOCUMENT_SERVICE_URL).toBe('http://document.learner.internal:5004');
    expect(chartEnvironment('aws', 'document').EMBEDDINGS_BASE_URL).toBe(`http://${fullname}-embeddings:8089/v1`);
    expect(ecsEnvironment('aws', 'document').EMBEDDINGS_BASE_URL).toBe('http://embeddings.learner.internal:8089/v1');
  });

  it('stops the chart with a message when a service setting shadows a shared one', () => {
    expect(() => renderChart('default', ['services.quiz.env.KAFKA_BOOTSTRAP_SERVERS=other:9092'])).toThrow(
      /services\.quiz\.env\.KAFKA_BOOTSTRAP_SERVERS is set by the chart from shared settings/,
    );
  });
});
