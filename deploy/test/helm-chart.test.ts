import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { migrationDirs, readMigrations } from '@learner/common/db';
import { TOPIC_PARTITIONS } from '@learner/common/events';
import { requireInfra } from '@learner/common/testing';
import { chartDir, find, renderChart, root, run, SERVICES, tool, VALUE_SETS, type K8sObject, type ValueSet } from './support.js';

const PORTS = { gateway: 5000, tts: 5001, stt: 5002, chat: 5003, document: 5004, quiz: 5005 };
const fullname = 'learner-learner-platform';
const rendered = {
  default: renderChart('default').objects,
  trial: renderChart('trial').objects,
  aws: renderChart('aws').objects,
};
const ofKind = (objects: K8sObject[], kind: string): K8sObject[] => objects.filter((o) => o.kind === kind);
const container = (deployment: any): any => deployment.spec.template.spec.containers[0];

describe('helm lint', () => {
  it.each(Object.keys(VALUE_SETS) as ValueSet[])('finds nothing wrong with the %s values', (set) => {
    const args = ['lint', chartDir, '--kube-version', '1.30.0', ...VALUE_SETS[set].flatMap((f) => ['-f', f])];
    const result = run(tool('helm'), args);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
    expect(result.stdout).not.toMatch(/\[ERROR\]/);
  });
});

describe('the values', () => {
  it('are checked against the chart\'s schema: a misspelt setting or an unknown shared setting stops the install', () => {
    expect(() => renderChart('default', ['services.quiz.replcias=2'])).toThrow(/at '\/services\/quiz': additional properties 'replcias' not allowed/);
    expect(() => renderChart('default', ['services.quiz.uses={events,queues}'])).toThrow(/at '\/services\/quiz\/uses\/1': value must be one of/);
    expect(() => renderChart('default', ['services.gateway.env.jwt_secret=x'])).toThrow(/'jwt_secret' does not match pattern/);
  });
});

describe('the rendered objects against the Kubernetes schemas (strict: an unknown field is an error)', () => {
  const validate = (text: string, version: string): { status: number; output: string } => {
    const file = join(mkdtempSync(join(tmpdir(), 'learner-render-')), 'rendered.yaml');
    writeFileSync(file, text);
    const result = run(tool('kubernetes-validate'), ['--strict', '--kubernetes-version', version, '--quiet', file]);
    return { status: result.status, output: result.stdout + result.stderr };
  };

  it.each([
    ['default', '1.25.0'],
    ['default', '1.37.0'],
    ['trial', '1.25.0'],
    ['trial', '1.37.0'],
    ['aws', '1.25.0'],
    ['aws', '1.37.0'],
  ] as Array<[ValueSet, string]>)('%s values are valid on Kubernetes %s', (set, version) => {
    const { status, output } = validate(renderChart(set).text, version);
    expect(output).not.toMatch(/ERROR/);
    expect(status, output).toBe(0);
    // The one object without a built-in schema is the External Secrets operator's.
    const unknown = output.split('\n').filter((line) => line.startsWith('WARN'));
    expect(unknown.every((line) => line.includes('kind ExternalSecret'))).toBe(true);
  });

  it('rejects what a cluster would reject: a probe period that is not a number', () => {
    const { status, output } = validate(renderChart('default', ['services.quiz.probes.readiness.periodSeconds=soon']).text, '1.30.0');
    expect(status).not.toBe(0);
    expect(output).toMatch(/deployment\/learner-learner-platform-quiz.*readinessProbe\.periodSeconds: 'soon' is not of type 'integer'/);
  });
});

describe('the six services', () => {
  it.each(SERVICES)('%s: a Deployment and a Service on its port, ready on /ready, alive on /health', (name) => {
    for (const objects of Object.values(rendered)) {
      const deployment = find<any>(objects, 'Deployment', `${fullname}-${name}`);
      const c = container(deployment);
      expect(c.ports).toEqual([{ name: 'http', containerPort: PORTS[name], protocol: 'TCP' }]);
      expect(c.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'http' });
      expect(c.livenessProbe.httpGet).toEqual({ path: '/health', port: 'http' });
      expect(c.livenessProbe).toMatchObject({ periodSeconds: 30, timeoutSeconds: 10, failureThreshold: 3 });
      expect(c.resources.requests.cpu).toBeDefined();
      expect(c.resources.limits.memory).toBeDefined();
      const service = find<any>(objects, 'Service', `${fullname}-${name}`);
      expect(service.spec.type).toBe('ClusterIP');
      expect(service.spec.ports).toEqual([{ name: 'http', port: PORTS[name], targetPort: 'http', protocol: 'TCP' }]);
      expect(service.spec.selector).toEqual(
        Object.fromEntries(Object.entries(deployment.spec.template.metadata.labels as Record<string, string>).filter(([k]) => k !== 'app.kubernetes.io/part-of')),
      );
    }
  });

  it('runs every pod as a non-root user on a read-only file system, with /tmp as its one scratch folder', () => {
    for (const objects of Object.values(rendered)) {
      const pods = [...ofKind(objects, 'Deployment'), ...ofKind(objects, 'Job')].map((o: any) => o.spec.template.spec);
      expect(pods.length).toBeGreaterThanOrEqual(13);
      for (const pod of pods) {
        expect(pod.securityContext.runAsNonRoot).toBe(true);
        expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
        expect(pod.automountServiceAccountToken).toBe(false);
        for (const c of pod.containers) {
          expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
        }
      }
    }
  });

  it('scales each service on CPU above 70 % and memory above 80 %, between its minimum and maximum', () => {
    for (const set of ['default', 'aws'] as const) {
      const hpas = ofKind(rendered[set], 'HorizontalPodAutoscaler') as any[];
      expect(hpas.map((h) => h.spec.scaleTargetRef.name).sort()).toEqual(SERVICES.map((s) => `${fullname}-${s}`).sort());
      for (const hpa of hpas) {
        expect(hpa.spec.metrics).toEqual([
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
          { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } },
        ]);
        expect(hpa.spec.minReplicas).toBe(2);
        // The autoscaler owns the replica count: an upgrade must not reset it.
        expect(find<any>(rendered[set], 'Deployment', hpa.spec.scaleTargetRef.name).spec.replicas).toBeUndefined();
      }
      expect(hpas[0].spec.maxReplicas).toBe(set === 'aws' ? 12 : 10);
    }
  });

  it('adds a latency metric from a custom-metrics adapter when one is configured', () => {
    const metric = { type: 'Pods', pods: { metric: { name: 'http_request_duration_seconds_p95' }, target: { type: 'AverageValue', averageValue: '2' } } };
    const { objects } = renderChart('default', [], ['--set-json', `serviceDefaults.autoscaling.customMetrics=${JSON.stringify([metric])}`]);
    const hpa = find<any>(objects, 'HorizontalPodAutoscaler', `${fullname}-chat`);
    expect(hpa.spec.metrics).toHaveLength(3);
    expect(hpa.spec.metrics[2]).toEqual(metric);
  });

  it('lets at most one pod of a service be evicted at a time', () => {
    const pdbs = ofKind(rendered.default, 'PodDisruptionBudget') as any[];
    expect(pdbs).toHaveLength(6);
    for (const pdb of pdbs) {
      expect(pdb.spec.maxUnavailable).toBe(1);
      const deployment = find<any>(rendered.default, 'Deployment', pdb.metadata.name);
      expect(deployment.spec.template.metadata.labels).toMatchObject(pdb.spec.selector.matchLabels);
    }
  });

  it('rolls out without downtime: a new pod is ready before an old one stops, and a stopping pod drains first', () => {
    for (const name of SERVICES) {
      const deployment = find<any>(rendered.aws, 'Deployment', `${fullname}-${name}`);
      expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } });
      expect(container(deployment).lifecycle.preStop.exec.command).toEqual(['sleep', '5']);
    }
  });

  it('names each image <registry>/learner-platform/<service>:<tag>', () => {
    const images = (objects: K8sObject[]): string[] => ofKind(objects, 'Deployment').map((d) => container(d).image);
    expect(images(rendered.aws)).toContain('123456789012.dkr.ecr.eu-west-1.amazonaws.com/learner-platform/gateway:0.1.0');
    const tagged = images(renderChart('aws', ['image.tag=4f2c1e9']).objects);
    expect(tagged).toHaveLength(7);
    for (const image of tagged) expect(image).toMatch(/^123456789012\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/learner-platform\/(gateway|document|chat|quiz|tts|stt|embeddings):4f2c1e9$/);
    expect(images(rendered.default)).toContain('learner-platform/document:0.1.0');
  });

  it('refuses more than one replica of a service that keeps files in its own folder (no bucket)', () => {
    expect(() => renderChart('default', ['objectStorage.bucket='])).toThrow(
      /document keeps files in its own folder without objectStorage.bucket: set a bucket, or run one replica/,
    );
    expect(() => renderChart('default', ['objectStorage.bucket=', 'serviceDefaults.autoscaling.enabled=false', 'serviceDefaults.replicas=1'])).not.toThrow();
  });

  it('in the trial: one replica each, no autoscaler, files on a volume per service', () => {
    expect(ofKind(rendered.trial, 'HorizontalPodAutoscaler')).toEqual([]);
    expect(ofKind(rendered.trial, 'PodDisruptionBudget')).toEqual([]);
    for (const name of SERVICES) expect(find<any>(rendered.trial, 'Deployment', `${fullname}-${name}`).spec.replicas).toBe(1);
    const claims = ofKind(rendered.trial, 'PersistentVolumeClaim').map((c) => c.metadata.name).sort();
    expect(claims).toEqual(['document', 'stt', 'tts'].map((s) => `${fullname}-${s}-storage`));
    const tts = find<any>(rendered.trial, 'Deployment', `${fullname}-tts`);
    expect(tts.spec.strategy).toEqual({ type: 'Recreate' });
    expect(tts.spec.template.spec.volumes).toContainEqual({ name: 'storage', persistentVolumeClaim: { claimName: `${fullname}-tts-storage` } });
    expect(container(tts).volumeMounts).toContainEqual({ name: 'storage', mountPath: '/data/storage' });
  });
});

describe('who can reach whom', () => {
  type Selector = { matchLabels?: Record<string, string> };
  const matches = (selector: Selector, labels: Record<string, string>): boolean =>
    Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const podLabels = (objects: K8sObject[], component: string): Record<string, string> =>
    (find<any>(objects, 'Deployment', `${fullname}-${component}`).spec.template.metadata.labels as Record<string, string>);
  /** NetworkPolicy semantics for ingress within one namespace: allowed if any policy selecting the pod allows it. */
  const canReach = (objects: K8sObject[], from: Record<string, string>, to: Record<string, string>): boolean => {
    const policies = (ofKind(objects, 'NetworkPolicy') as any[]).filter((p) => matches(p.spec.podSelector, to) && p.spec.policyTypes.includes('Ingress'));
    if (policies.length === 0) return true;
    return policies.some((p) =>
      (p.spec.ingress ?? []).some((rule: { from?: Array<{ podSelector?: Selector; namespaceSelector?: Selector }> }) =>
        rule.from === undefined || rule.from.some((peer) => peer.podSelector !== undefined && peer.namespaceSelector === undefined && matches(peer.podSelector, from)),
      ),
    );
  };
  const outsider = { app: 'somebody-else' };

  it('exposes only the gateway: the Ingress leads to it alone, every Service stays inside the cluster', () => {
    for (const set of ['default', 'aws'] as const) {
      const ingress = find<any>(rendered[set], 'Ingress', fullname);
      const backends = (ingress.spec.rules as any[]).flatMap((r) => r.http.paths.map((p: any) => p.backend.service.name));
      expect(backends).toEqual([`${fullname}-gateway`]);
      expect(ofKind(rendered[set], 'Service').every((s: any) => s.spec.type === 'ClusterIP')).toBe(true);
    }
    const alb = find<any>(rendered.aws, 'Ingress', fullname);
    expect(alb.spec.ingressClassName).toBe('alb');
    expect(alb.metadata.annotations).toMatchObject({ 'alb.ingress.kubernetes.io/target-type': 'ip', 'alb.ingress.kubernetes.io/healthcheck-path': '/health' });
  });

  it('lets anyone reach the gateway, and only the gateway reach the services', () => {
    const objects = rendered.default;
    const gateway = podLabels(objects, 'gateway');
    expect(canReach(objects, outsider, gateway)).toBe(true);
    for (const name of SERVICES.filter((s) => s !== 'gateway')) {
      expect(canReach(objects, outsider, podLabels(objects, name)), `outsider -> ${name}`).toBe(false);
      expect(canReach(objects, gateway, podLabels(objects, name)), `gateway -> ${name}`).toBe(true);
    }
  });

  it('lets chat, quiz and stt call the document service, the document service call quiz and tts, and no service call another one otherwise', () => {
    const objects = rendered.default;
    const callers: Record<string, string[]> = { document: ['chat', 'quiz', 'stt'], quiz: ['document'], tts: ['document'] };
    for (const to of SERVICES.filter((s) => s !== 'gateway')) {
      for (const from of SERVICES.filter((s) => s !== 'gateway' && s !== to)) {
        const allowed = (callers[to] ?? []).includes(from);
        expect(canReach(objects, podLabels(objects, from), podLabels(objects, to)), `${from} -> ${to}`).toBe(allowed);
      }
    }
    const embeddings = podLabels(objects, 'embeddings');
    expect(canReach(objects, podLabels(objects, 'document'), embeddings)).toBe(true);
    for (const from of ['gateway', 'chat', 'quiz']) expect(canReach(objects, podLabels(objects, from), embeddings)).toBe(false);
    expect(canReach(objects, outsider, embeddings)).toBe(false);
  });
});

describe('secrets', () => {
  const secretRefs = (objects: K8sObject[]): Array<{ name: string; key: string; optional?: boolean }> =>
    ofKind(objects, 'Deployment').flatMap((d: any) =>
      (container(d).env ?? []).filter((e: any) => e.valueFrom).map((e: any) => e.valueFrom.secretKeyRef),
    );

  it('by default reads them from a Secret that exists already, and writes none', () => {
    expect(ofKind(rendered.default, 'Secret')).toEqual([]);
    const refs = secretRefs(rendered.default);
    expect(new Set(refs.map((r) => r.name))).toEqual(new Set([fullname]));
    expect(refs.filter((r) => !r.optional).map((r) => r.key)).toContain('JWT_SECRET');
  });

  it('on AWS has the External Secrets operator copy every key of one Secrets Manager secret into it', () => {
    const external = find<any>(rendered.aws, 'ExternalSecret', fullname);
    expect(external.apiVersion).toBe('external-secrets.io/v1');
    expect(external.spec.target.name).toBe(fullname);
    expect(external.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'aws-secrets-manager' });
    expect(external.spec.dataFrom).toEqual([{ extract: { key: 'learner-platform' } }]);
  });

  it('in the trial writes the Secret, holding every key a pod needs', () => {
    const secret = find<any>(rendered.trial, 'Secret', fullname);
    const needed = secretRefs(rendered.trial).filter((r) => !r.optional).map((r) => r.key);
    expect(Object.keys(secret.stringData).sort()).toEqual([...new Set(needed)].sort());
  });

  it('refuses to write a Secret with a key missing, naming it', () => {
    expect(() => renderChart('default', ['secrets.create=true'])).toThrow(/secrets\.values\.JWT_SECRET is required/);
  });
});

describe('Kafka topics', () => {
  it('are created by a Job after the first install and before each upgrade, from the brokers in the values', () => {
    const job = find<any>(rendered.aws, 'Job', `${fullname}-kafka-topics`);
    expect(job.metadata.annotations['helm.sh/hook']).toBe('post-install,pre-upgrade');
    const c = job.spec.template.spec.containers[0];
    expect(c.workingDir).toBe('/app/packages/common');
    expect(c.env).toEqual([
      { name: 'KAFKA_BOOTSTRAP_SERVERS', value: find<any>(rendered.aws, 'Deployment', `${fullname}-chat`).spec.template.spec.containers[0].env.find((e: any) => e.name === 'KAFKA_BOOTSTRAP_SERVERS').value },
      { name: 'KAFKA_REPLICATION_FACTOR', value: '3' },
    ]);
  });

  it("the Job's command, run from packages/common against the local broker, finds or creates every topic", () => {
    const c = find<any>(rendered.default, 'Job', `${fullname}-kafka-topics`).spec.template.spec.containers[0];
    const env = { ...process.env, KAFKA_BOOTSTRAP_SERVERS: requireInfra('KAFKA_BOOTSTRAP_SERVERS'), KAFKA_REPLICATION_FACTOR: '1' };
    const result = run(c.command[0], c.command.slice(1), { cwd: join(root, 'packages', 'common'), env });
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { created: string[]; present: number };
    expect(report.created.length + report.present).toBe(Object.keys(TOPIC_PARTITIONS).length);
  });

  it("the Job's command stops with a message when no broker is configured", () => {
    const c = find<any>(rendered.default, 'Job', `${fullname}-kafka-topics`).spec.template.spec.containers[0];
    const result = run(c.command[0], c.command.slice(1), { cwd: join(root, 'packages', 'common'), env: { ...process.env, KAFKA_BOOTSTRAP_SERVERS: '' } });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('KAFKA_BOOTSTRAP_SERVERS is not set');
  });
});

describe('database migrations', () => {
  it('run as a Job per service before an upgrade starts new pods, with the new image and the service database', () => {
    const jobs = (ofKind(rendered.aws, 'Job') as any[]).filter((j) => j.metadata.name.includes('-migrate-'));
    expect(jobs.map((j) => j.metadata.name).sort()).toEqual(SERVICES.map((s) => `${fullname}-migrate-${s}`).sort());
    for (const name of SERVICES) {
      const job = find<any>(rendered.aws, 'Job', `${fullname}-migrate-${name}`);
      expect(job.metadata.annotations['helm.sh/hook']).toBe('pre-upgrade');
      const c = job.spec.template.spec.containers[0];
      expect(c.image).toBe(container(find(rendered.aws, 'Deployment', `${fullname}-${name}`)).image);
      expect(c.workingDir).toBe(`/app/services/${name}`);
      expect(c.env).toEqual([{ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: fullname, key: `${name.toUpperCase()}_DATABASE_URL` } } }]);
      expect(job.spec.template.spec.restartPolicy).toBe('Never');
    }
  });

  // The Job's own command, run from the service's folder of this checkout (laid out as in the
  // image) against a new PostgreSQL database.
  it.each(SERVICES)("%s: the Job's command applies every migration once, and a second run changes nothing", async (name) => {
    const job = find<any>(rendered.default, 'Job', `${fullname}-migrate-${name}`);
    const command = job.spec.template.spec.containers[0].command as string[];
    expect(command.slice(0, 3)).toEqual(['node', '--input-type=module', '-e']);
    const admin = requireInfra('PG_ADMIN_URL');
    const database = `deploy_migrate_${name}_${randomBytes(4).toString('hex')}`;
    const adminClient = new pg.Client({ connectionString: admin });
    await adminClient.connect();
    await adminClient.query(`CREATE DATABASE ${database}`);
    try {
      const url = new URL(admin);
      url.pathname = `/${database}`;
      const runJob = () => run(command[0]!, command.slice(1), { cwd: join(root, 'services', name), env: { ...process.env, DATABASE_URL: url.toString() } });
      const first = runJob();
      expect(first.status, first.stderr).toBe(0);
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      const { rows } = await client.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version');
      await client.end();
      const expected = (await readMigrations(migrationDirs(name, join(root, 'services', name)))).map((m) => m.version).sort();
      expect(rows.map((r) => r.version)).toEqual(expected);
      const second = runJob();
      expect(second.status, second.stderr).toBe(0);
      expect(second.stdout).toContain('database up to date');
    } finally {
      await adminClient.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await adminClient.end();
    }
  });
});
