import type { ContainerDefinition, RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';
import { imageOf, serviceEnvironment, serviceValues, type ChartValues } from './settings.js';

/**
 * ECS Fargate task definitions from the chart's values: one per service (the seed's example with
 * health checks, secrets from Secrets Manager and CloudWatch logs), one per service that migrates
 * its database before a deployment, and one for the embedding server.
 */

export interface EcsPlan {
  taskDefinitions: RegisterTaskDefinitionCommandInput[];
  /** Families of the tasks that run to completion before any service changes (Kafka topics). */
  beforeServices: string[];
  /** What the pipeline deploys, in order: each service's migration task, then its ECS service. */
  services: Array<{
    name: string;
    family: string;
    migrationFamily?: string;
    port: number;
    desiredCount: number;
    autoscaling?: { minCapacity: number; maxCapacity: number; cpuPercent: number; memoryPercent: number };
  }>;
}

/** Runs in the container: fetch is built into Node 24, curl is not in the image. */
function nodeHealthCheck(port: number): ContainerDefinition['healthCheck'] {
  const probe = `fetch('http://127.0.0.1:${port}/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`;
  // The seed's health check: every 30 s, 10 s to answer, 3 tries, 40 s to start.
  return { command: ['CMD', 'node', '-e', probe], interval: 30, timeout: 10, retries: 3, startPeriod: 40 };
}

export function renderEcsPlan(
  values: ChartValues,
  options: { imageTag: string; migrateScript: string; kafkaTopicsScript: string },
): EcsPlan {
  const ecs = values.ecs;
  const family = (component: string): string => `${ecs.familyPrefix}-${component}`;
  const urlOf = (service: string): string => `http://${service}.${ecs.serviceDiscoveryNamespace}:${values.services[service]?.port}`;
  const embeddingsUrl = values.embeddings.enabled
    ? `http://embeddings.${ecs.serviceDiscoveryNamespace}:${values.embeddings.port}/v1`
    : values.embeddings.externalUrl;
  const optionalPresent = new Set(values.secrets.optionalKeys ?? []);
  const secretRef = (key: string): string => `${ecs.secretArn}:${key}::`;
  const logs = (streamPrefix: string): ContainerDefinition['logConfiguration'] => ({
    logDriver: 'awslogs',
    options: {
      'awslogs-group': ecs.logGroup,
      'awslogs-region': ecs.region,
      'awslogs-stream-prefix': streamPrefix,
      'awslogs-create-group': 'true',
    },
  });
  const task = (component: string, size: { cpu: number; memory: number }, container: ContainerDefinition, volumes: string[]) => ({
    family: family(component),
    requiresCompatibilities: ['FARGATE' as const],
    networkMode: 'awsvpc' as const,
    cpu: String(size.cpu),
    memory: String(size.memory),
    executionRoleArn: ecs.executionRoleArn,
    taskRoleArn: ecs.taskRoleArn,
    runtimePlatform: { cpuArchitecture: ecs.cpuArchitecture, operatingSystemFamily: 'LINUX' as const },
    containerDefinitions: [container],
    // Fargate task storage: the root file system stays read-only, these folders are writable.
    volumes: volumes.map((name) => ({ name })),
    tags: [{ key: 'app', value: 'learner-platform' }, { key: 'component', value: component }],
  });

  const taskDefinitions: RegisterTaskDefinitionCommandInput[] = [];
  const services: EcsPlan['services'] = [];
  const beforeServices: string[] = [];
  if (values.kafka.topics.create) {
    taskDefinitions.push(
      task(
        'kafka-topics',
        { cpu: 256, memory: 512 },
        {
          name: 'kafka-topics',
          // Any service image holds packages/common with kafkajs.
          image: imageOf(values, 'document', options.imageTag),
          essential: true,
          workingDirectory: `${values.image.appDir}/packages/common`,
          command: ['node', '--input-type=module', '-e', options.kafkaTopicsScript],
          environment: [
            { name: 'KAFKA_BOOTSTRAP_SERVERS', value: values.kafka.bootstrapServers },
            { name: 'KAFKA_REPLICATION_FACTOR', value: String(values.kafka.topics.replicationFactor) },
          ],
          logConfiguration: logs('kafka-topics'),
          user: '1000:1000',
          readonlyRootFilesystem: true,
        },
        [],
      ),
    );
    beforeServices.push(family('kafka-topics'));
  }
  for (const name of Object.keys(values.services)) {
    const svc = serviceValues(values, name);
    const environment: Array<{ name: string; value: string }> = [];
    const secrets: Array<{ name: string; valueFrom: string }> = [];
    for (const [key, source] of serviceEnvironment(values, name, { urlOf, embeddingsUrl })) {
      if ('value' in source) environment.push({ name: key, value: source.value });
      else if (!source.optional || optionalPresent.has(source.secretKey)) secrets.push({ name: key, valueFrom: secretRef(source.secretKey) });
      // A secret that is not in the store would stop the task from starting: the key stays empty.
      else environment.push({ name: key, value: '' });
    }
    const localStorage = !values.objectStorage.bucket && (svc.uses ?? []).includes('objectStorage');
    if (localStorage && (svc.autoscaling.enabled || svc.replicas > 1)) {
      throw new Error(`${name} keeps files in its own folder without objectStorage.bucket: set a bucket, or run one task (replicas: 1, autoscaling off)`);
    }
    taskDefinitions.push(
      task(
        name,
        svc.ecs,
        {
          name,
          image: imageOf(values, name, options.imageTag),
          essential: true,
          portMappings: [{ name, containerPort: svc.port, protocol: 'tcp', appProtocol: 'http' }],
          environment,
          secrets,
          healthCheck: nodeHealthCheck(svc.port),
          logConfiguration: logs(name),
          user: '1000:1000',
          readonlyRootFilesystem: true,
          mountPoints: [
            { sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false },
            ...(localStorage ? [{ sourceVolume: 'storage', containerPath: values.objectStorage.localPath, readOnly: false }] : []),
          ],
          stopTimeout: Math.min(svc.terminationGracePeriodSeconds, 120),
        },
        localStorage ? ['tmp', 'storage'] : ['tmp'],
      ),
    );
    taskDefinitions.push(
      task(
        `${name}-migrate`,
        { cpu: 256, memory: 512 },
        {
          name: 'migrate',
          image: imageOf(values, name, options.imageTag),
          essential: true,
          workingDirectory: `${values.image.appDir}/services/${name}`,
          command: ['node', '--input-type=module', '-e', options.migrateScript, name],
          secrets: [{ name: 'DATABASE_URL', valueFrom: secretRef(`${name.toUpperCase()}_DATABASE_URL`) }],
          logConfiguration: logs(`${name}-migrate`),
          user: '1000:1000',
          readonlyRootFilesystem: true,
        },
        [],
      ),
    );
    services.push({
      name,
      family: family(name),
      migrationFamily: family(`${name}-migrate`),
      port: svc.port,
      desiredCount: svc.autoscaling.enabled ? svc.autoscaling.minReplicas : svc.replicas,
      ...(svc.autoscaling.enabled
        ? {
            autoscaling: {
              minCapacity: svc.autoscaling.minReplicas,
              maxCapacity: svc.autoscaling.maxReplicas,
              cpuPercent: svc.autoscaling.targetCPUUtilizationPercentage,
              memoryPercent: svc.autoscaling.targetMemoryUtilizationPercentage,
            },
          }
        : {}),
    });
  }

  if (values.embeddings.enabled) {
    const port = values.embeddings.port;
    taskDefinitions.push(
      task(
        'embeddings',
        values.embeddings.ecs,
        {
          name: 'embeddings',
          image: imageOf(values, 'embeddings', options.imageTag),
          essential: true,
          portMappings: [{ name: 'embeddings', containerPort: port, protocol: 'tcp', appProtocol: 'http' }],
          healthCheck: {
            command: ['CMD', 'python', '-c', `import urllib.request; urllib.request.urlopen('http://127.0.0.1:${port}/v1/models', timeout=4)`],
            interval: 10,
            timeout: 5,
            retries: 12,
            startPeriod: 30,
          },
          logConfiguration: logs('embeddings'),
          user: '10001',
          readonlyRootFilesystem: true,
          mountPoints: [{ sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false }],
        },
        ['tmp'],
      ),
    );
    // The document service uses it: it is deployed first.
    services.unshift({ name: 'embeddings', family: family('embeddings'), port, desiredCount: 1 });
  }
  return { taskDefinitions, beforeServices, services };
}
