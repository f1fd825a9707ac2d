import { randomBytes } from 'node:crypto';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { describe, expect, it } from 'vitest';
import { requireInfra } from '@learner/common/testing';
import { renderEcsPlan } from '../src/ecs-task-definitions.js';
import { chartScripts } from '../src/render-ecs.js';
import { loadValues, mergeValues, type ChartValues } from '../src/settings.js';
import { chartDir, SERVICES, VALUE_SETS } from './support.js';

// The task definitions rendered from the AWS values, registered with ECS as the moto server
// emulates it, over real HTTP by the AWS SDK; then a cluster runs them as services and an upgrade
// moves them to the next revision, as deploy/ecs/deploy.sh does.

const ecs = new ECSClient({
  region: 'eu-west-1',
  endpoint: requireInfra('MOTO_ENDPOINT'),
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  requestHandler: new NodeHttpHandler(),
});
const run = randomBytes(4).toString('hex');
const values = mergeValues(loadValues(chartDir, [...VALUE_SETS.aws]) as never, { ecs: { familyPrefix: `lp-${run}` } }) as unknown as ChartValues;
const render = (imageTag: string) => renderEcsPlan(values, { imageTag, ...chartScripts() });

describe('ECS task definitions registered with ECS', () => {
  it('registers one per service, one migration task per service, the embedding server and the topic task, all for Fargate', async () => {
    const plan = render('v1');
    expect(plan.taskDefinitions.map((t) => t.family).sort()).toEqual(
      [...SERVICES.flatMap((s) => [`lp-${run}-${s}`, `lp-${run}-${s}-migrate`]), `lp-${run}-embeddings`, `lp-${run}-kafka-topics`].sort(),
    );
    expect(plan.beforeServices).toEqual([`lp-${run}-kafka-topics`]);
    for (const definition of plan.taskDefinitions) {
      const { taskDefinition } = await ecs.send(new RegisterTaskDefinitionCommand(definition));
      expect(taskDefinition?.status).toBe('ACTIVE');
      expect(taskDefinition?.revision).toBe(1);
      expect(taskDefinition?.requiresCompatibilities).toEqual(['FARGATE']);
    }
  });

  it('keeps what a Fargate task needs: size, health check, secrets from Secrets Manager, CloudWatch logs', async () => {
    const { taskDefinition } = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: `lp-${run}-gateway` }));
    expect(taskDefinition).toMatchObject({ networkMode: 'awsvpc', cpu: '512', memory: '1024' });
    expect(taskDefinition?.executionRoleArn).toBe('arn:aws:iam::123456789012:role/learner-platform-task-execution');
    const container = taskDefinition!.containerDefinitions![0]!;
    expect(container.image).toBe('123456789012.dkr.ecr.eu-west-1.amazonaws.com/learner-platform/gateway:v1');
    expect(container.portMappings?.[0]).toMatchObject({ containerPort: 5000, protocol: 'tcp' });
    expect(container.healthCheck).toMatchObject({ interval: 30, timeout: 10, retries: 3, startPeriod: 40 });
    expect(container.healthCheck?.command?.join(' ')).toContain("fetch('http://127.0.0.1:5000/health')");
    expect(container.secrets).toContainEqual({
      name: 'JWT_SECRET',
      valueFrom: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:learner-platform-AbCdEf:JWT_SECRET::',
    });
    expect(container.secrets).toContainEqual({
      name: 'DATABASE_URL',
      valueFrom: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:learner-platform-AbCdEf:GATEWAY_DATABASE_URL::',
    });
    expect(container.logConfiguration).toEqual({
      logDriver: 'awslogs',
      options: { 'awslogs-group': '/ecs/learner-platform', 'awslogs-region': 'eu-west-1', 'awslogs-stream-prefix': 'gateway', 'awslogs-create-group': 'true' },
    });
    expect(container.readonlyRootFilesystem).toBe(true);
    expect(container.user).toBe('1000:1000');
    const migrate = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: `lp-${run}-document-migrate` }))).taskDefinition!.containerDefinitions![0]!;
    expect(migrate.workingDirectory).toBe('/app/services/document');
    expect(migrate.command?.at(-1)).toBe('document');
    expect(migrate.secrets).toEqual([{ name: 'DATABASE_URL', valueFrom: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:learner-platform-AbCdEf:DOCUMENT_DATABASE_URL::' }]);
  });

  it('refuses to run more than one task of a service that would keep files in its own folder', () => {
    const noBucket = mergeValues(values as never, { objectStorage: { bucket: '' } }) as unknown as ChartValues;
    expect(() => renderEcsPlan(noBucket, { imageTag: 'v1', ...chartScripts() })).toThrow(/without objectStorage.bucket: set a bucket, or run one task/);
  });

  it('runs them as services, and an upgrade moves every service to the next revision', async () => {
    const cluster = `lp-${run}`;
    await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
    const first = render('v1');
    for (const service of first.services) {
      await ecs.send(
        new CreateServiceCommand({ cluster, serviceName: service.name, taskDefinition: `${service.family}:1`, desiredCount: service.desiredCount, launchType: 'FARGATE' }),
      );
    }
    const upgrade = render('v2');
    for (const definition of upgrade.taskDefinitions) {
      const { taskDefinition } = await ecs.send(new RegisterTaskDefinitionCommand(definition));
      expect(taskDefinition?.revision).toBe(2);
    }
    for (const service of upgrade.services) {
      await ecs.send(new UpdateServiceCommand({ cluster, service: service.name, taskDefinition: `${service.family}:2` }));
    }
    const { services } = await ecs.send(new DescribeServicesCommand({ cluster, services: upgrade.services.map((s) => s.name) }));
    expect(services?.map((s) => s.serviceName).sort()).toEqual(['embeddings', ...SERVICES].sort());
    for (const service of services ?? []) {
      expect(service.taskDefinition).toMatch(new RegExp(`(?:^|/)lp-${run}-${service.serviceName}:2$`));
      expect(service.desiredCount).toBe(service.serviceName === 'embeddings' ? 1 : 2);
    }
    const { taskDefinition } = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: `lp-${run}-quiz` }));
    expect(taskDefinition?.containerDefinitions?.[0]?.image).toMatch(/\/learner-platform\/quiz:v2$/);
  });
});
