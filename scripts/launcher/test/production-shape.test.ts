import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { TOPIC_PARTITIONS } from '@learner/common/events';
import { loadLauncherConfig } from '../src/launcher-config.js';

// Docker cannot run here, so the compose file and the Dockerfiles are checked as text: the shape
// ARCHITECTURE.md asks for, and that every service gets a configuration it accepts.

const root = resolve(import.meta.dirname, '..', '..', '..');
const SERVICES = ['gateway', 'tts', 'stt', 'chat', 'document', 'quiz'] as const;
const PORTS = { gateway: 5000, tts: 5001, stt: 5002, chat: 5003, document: 5004, quiz: 5005 };

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile?: string; args?: Record<string, string> };
  ports?: string[];
  environment?: Record<string, string | number>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  command?: string[];
}
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const example = parseEnv(readFileSync(join(root, '.env.example'), 'utf8'));
const exampleText = readFileSync(join(root, '.env.example'), 'utf8');

/** Compose's interpolation of `${VAR}`, `${VAR:-default}` and `${VAR:?error}` from `vars`. */
function interpolate(value: string, vars: Record<string, string | undefined>): string {
  return value.replace(/\$\{([A-Z0-9_]+)(?::([-?])([^}]*))?\}/g, (_, name: string, op?: string, arg?: string) => {
    const given = vars[name];
    if (given) return given;
    if (op === '-') return arg ?? '';
    throw new Error(`compose would stop: ${arg ?? name}`);
  });
}

describe('docker-compose.yml', () => {
  it('builds each of the six services from the root Dockerfile, naming it as SERVICE, and only the gateway publishes a port', () => {
    for (const name of SERVICES) {
      expect(compose.services[name]?.build).toEqual({ context: '.', args: { SERVICE: name } });
      expect(compose.services[name]?.environment?.PORT).toBe(PORTS[name]);
      expect(compose.services[name]?.healthcheck?.test.join(' ')).toContain('/health');
    }
    const publishing = Object.entries(compose.services).filter(([, s]) => s.ports?.length).map(([name]) => name);
    expect(publishing).toEqual(['gateway']);
    expect(compose.services.gateway?.ports).toEqual(['${GATEWAY_PUBLISHED_PORT:-5000}:5000']);
  });

  it('runs the local embedding server for the document service, which starts without waiting for it to be healthy', () => {
    expect(compose.services.embeddings?.build).toEqual({ context: '.', dockerfile: 'scripts/infra/embeddings.Dockerfile' });
    const dockerfile = readFileSync(join(root, 'scripts/infra/embeddings.Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/pip install --no-cache-dir onnxruntime==\d/);
    expect(dockerfile).toMatch(/^ARG MODEL_SHA256=[0-9a-f]{64}$/m);
    expect(dockerfile).toMatch(/^USER embeddings$/m);
    expect(dockerfile).toContain('"/opt/embeddings-server.py", "--host", "0.0.0.0", "--port", "8089"');
    const env = compose.services.document?.environment ?? {};
    expect(interpolate(String(env.EMBEDDINGS_BASE_URL), {})).toBe('http://embeddings:8089/v1');
    expect(interpolate(String(env.EMBEDDINGS_INPUT_TYPE), {})).toBe('true');
    expect(compose.services.document?.depends_on?.embeddings).toEqual({ condition: 'service_started' });
  });

  it('runs the neural voice server for the tts service, which starts without waiting for it to be healthy', () => {
    expect(compose.services.hibari?.build).toEqual({ context: '.', dockerfile: 'scripts/infra/hibari.Dockerfile' });
    const dockerfile = readFileSync(join(root, 'scripts/infra/hibari.Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/pip install --no-cache-dir hibari-tts==\d/);
    expect(dockerfile).toMatch(/^USER hibari$/m);
    expect(dockerfile).toContain('COPY scripts/infra/hibari-server.py');
    expect(interpolate(String(compose.services.tts?.environment?.HIBARI_URL), {})).toBe('http://hibari:8090');
    expect(compose.services.tts?.depends_on?.hibari).toEqual({ condition: 'service_started' });
  });

  it('gives each service its own PostgreSQL 15 database and waits until it is healthy', () => {
    for (const name of SERVICES) {
      const db = compose.services[`${name}-db`];
      expect(db?.image).toBe('postgres:15-alpine');
      expect(db?.environment?.POSTGRES_DB).toBe(name);
      expect(String(compose.services[name]?.environment?.DATABASE_URL)).toMatch(new RegExp(`@${name}-db:5432/${name}$`));
      expect(compose.services[name]?.depends_on?.[`${name}-db`]).toEqual({ condition: 'service_healthy' });
    }
  });

  it('runs Redis 7 and Kafka with ZooKeeper from Confluent 7.5.0, and the services use them', () => {
    expect(compose.services.redis?.image).toBe('redis:7-alpine');
    expect(compose.services.zookeeper?.image).toBe('confluentinc/cp-zookeeper:7.5.0');
    expect(compose.services.kafka?.image).toBe('confluentinc/cp-kafka:7.5.0');
    expect(compose.services.gateway?.environment?.REDIS_URL).toBe('redis://redis:6379');
    for (const name of SERVICES.filter((s) => s !== 'gateway')) {
      expect(compose.services[name]?.environment?.KAFKA_BOOTSTRAP_SERVERS).toBe('kafka:9092');
      expect(compose.services[name]?.depends_on?.['kafka-init']).toEqual({ condition: 'service_completed_successfully' });
    }
  });

  it('creates every topic the services publish to, with its partition count, before they start', () => {
    const script = compose.services['kafka-init']?.command?.join(' ') ?? '';
    for (const [topic, partitions] of Object.entries(TOPIC_PARTITIONS)) {
      expect(script).toContain(`--topic ${topic} --partitions ${partitions} `);
    }
  });

  it.each(SERVICES)('gives %s, with the secrets of .env.example filled in, a configuration it accepts', async (name) => {
    const vars = { ...example, JWT_SECRET: 'j'.repeat(32), INTERNAL_TOKEN_SECRET: 'i'.repeat(32), STORAGE_SIGNING_SECRET: 's'.repeat(32), POSTGRES_PASSWORD: 'pw' };
    const environment = Object.fromEntries(
      Object.entries(compose.services[name]?.environment ?? {}).map(([key, value]) => [key, interpolate(String(value), vars)]),
    );
    const { loadConfig } = (await import(join(root, 'services', name, 'src', 'config.ts'))) as {
      loadConfig: (env: Record<string, string | undefined>) => Record<string, unknown>;
    };
    const config = loadConfig({ ...example, ...environment });
    expect(config.PORT).toBe(PORTS[name]);
  });

  it('stops with a message when a required secret is missing from .env', () => {
    expect(() => interpolate(String(compose.services.gateway?.environment?.JWT_SECRET), {})).toThrow(/JWT_SECRET/);
  });
});

describe('the Dockerfile', () => {
  const text = readFileSync(join(root, 'Dockerfile'), 'utf8');
  /** The instructions of one stage, from its FROM line to the next. */
  const stage = (name: string): string => {
    const match = new RegExp(`^FROM \\S+ AS ${name}\\n([\\s\\S]*?)(?=^FROM |(?![\\s\\S]))`, 'm').exec(text);
    if (!match) throw new Error(`no stage ${name} in the Dockerfile`);
    return match[1]!;
  };

  it('is the only one: no service keeps its own', () => {
    for (const name of SERVICES) expect(existsSync(join(root, 'services', name, 'Dockerfile'))).toBe(false);
  });

  it('builds the service named by SERVICE on node:24-slim, and installs only its production dependencies', () => {
    expect(text).toMatch(/^ARG SERVICE$/m);
    expect([...text.matchAll(/^FROM (node:\S+)/gm)].map((m) => m[1])).toEqual(['node:24-slim', 'node:24-slim']);
    expect(stage('build')).toContain('pnpm --filter "@learner/$SERVICE" run build');
    expect(stage('app')).toContain('pnpm install --frozen-lockfile --prod --filter-prod "@learner/$SERVICE..."');
    expect(stage('app')).toContain('bash scripts/docker/assemble-service.sh "$SERVICE" /app');
    expect(text).toMatch(/^FROM service-\$\{SERVICE\}$/m);
  });

  it.each(SERVICES)('%s: has a stage with its port, runs its dist/main.js as the unprivileged node user, and its migrations exist', (name) => {
    expect(stage(`service-${name}`)).toMatch(new RegExp(`^ENV PORT=${PORTS[name]}\\b`, 'm'));
    expect(stage(`service-${name}`)).toContain(`EXPOSE ${PORTS[name]}`);
    // Node flags may come before the entry point (the gateway sizes its young generation).
    expect(text).toMatch(/^CMD \["node", (?:"--[^"]+", )*"dist\/main\.js"\]$/m);
    expect(text).toMatch(/^USER 1000:1000$/m);
    expect(text).toMatch(/^WORKDIR \/app\/services\/\$\{SERVICE\}$/m);
    expect(readdirSync(join(root, 'db', name)).some((f) => f.endsWith('.sql'))).toBe(true);
  });

  it('installs the local engines where a service shells out to them, and a storage folder only where it keeps files', () => {
    expect(stage('service-tts')).toMatch(/apt-get install .*espeak-ng flite ffmpeg/);
    expect(stage('service-stt')).toMatch(/apt-get install .*ffmpeg pocketsphinx pocketsphinx-en-us/);
    expect(stage('service-document')).toMatch(/apt-get install .*tesseract-ocr tesseract-ocr-eng poppler-utils/);
    for (const name of ['gateway', 'chat', 'quiz']) {
      expect(stage(`service-${name}`)).not.toContain('apt-get');
      expect(stage(`service-${name}`)).not.toContain('/data/storage');
    }
    for (const name of ['tts', 'stt', 'document']) {
      expect(stage(`service-${name}`)).toContain('mkdir -p /data/storage && chown 1000:1000 /data/storage');
    }
  });
});

describe('.env.example', () => {
  const keysIn = (file: string, pattern: RegExp): string[] =>
    [...readFileSync(join(root, file), 'utf8').matchAll(pattern)].map((m) => m[1]!);
  // Each service's config.ts, the launcher's, and the shared schemas in packages/common that
  // services extend (service, storage, language model keys).
  const commonFiles = readdirSync(join(root, 'packages/common/src'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .map((file) => `packages/common/src/${file}`);
  const configFiles = ['scripts/launcher/src/launcher-config.ts', ...SERVICES.map((name) => `services/${name}/src/config.ts`)].filter(
    (file) => existsSync(join(root, file)),
  );

  it('mentions every key that a service or the launcher reads', () => {
    const keys = new Set([
      ...configFiles.flatMap((file) => keysIn(file, /^\s+([A-Z][A-Z0-9_]+):/gm)),
      ...commonFiles.flatMap((file) => keysIn(file, /^\s+([A-Z][A-Z0-9_]+):\s*(?:z|envFields)\b/gm)),
    ]);
    expect(keys.has('LLM_BASE_URL')).toBe(true);
    const missing = [...keys].filter((key) => !new RegExp(`\\b${key}\\b`).test(exampleText));
    expect(missing).toEqual([]);
  });

  it('holds values the launcher accepts', () => {
    expect(loadLauncherConfig(example, root).portBase).toBe(5000);
  });

  it('keeps the AWS credentials commented out, so a copied file never points at AWS by accident', () => {
    expect(example.AWS_ACCESS_KEY_ID).toBeUndefined();
    expect(example.AWS_SECRET_ACCESS_KEY).toBeUndefined();
    expect(example.S3_BUCKET).toBeUndefined();
    expect(exampleText).toMatch(/^# AWS_ACCESS_KEY_ID=/m);
  });
});
