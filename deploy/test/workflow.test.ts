import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { root, run, SERVICES, tool } from './support.js';

const workflowFile = join(root, '.github', 'workflows', 'delivery.yml');
const workflow = parse(readFileSync(workflowFile, 'utf8')) as {
  on: Record<string, unknown>;
  jobs: Record<string, { needs?: string | string[]; if?: string; steps: Array<{ uses?: string; run?: string; with?: Record<string, unknown> }>; strategy?: { matrix: { component: string[] } } }>;
};
/** actionlint on every workflow of the repository, or on the files given. */
const actionlint = (files: string[] = []) => run(tool('actionlint'), ['-shellcheck', tool('shellcheck'), '-no-color', ...files], { cwd: root });

describe('the delivery workflow', () => {
  it('passes actionlint, with its shell steps checked by shellcheck', () => {
    const result = actionlint();
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('is checked for real: actionlint rejects a job that needs one that does not exist', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'workflow-')), 'delivery.yml');
    const broken = readFileSync(workflowFile, 'utf8').replace('needs: images\n    if: vars.DEPLOY_TARGET != ', 'needs: pictures\n    if: vars.DEPLOY_TARGET != ');
    writeFileSync(file, broken);
    const result = actionlint([file]);
    expect(result.status).not.toBe(0);
    expect(result.stdout).toMatch(/job "deploy-ecs" needs job "pictures" which does not exist/);
  });

  it('runs on the Node.js the project asks for', () => {
    const engines = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
    const major = /(\d+)/.exec(engines)![1];
    expect((workflow as unknown as { env: Record<string, string> }).env.NODE_VERSION).toBe(major);
  });

  it('lints, then runs the whole suite as CI does, then builds only after the tests pass', () => {
    expect(workflow.jobs.test?.needs).toBe('lint');
    expect(workflow.jobs.lint?.steps.map((s) => s.run ?? '').join('\n')).toMatch(/pnpm lint/);
    expect(workflow.jobs.test?.steps.map((s) => s.run ?? '').join('\n')).toContain('bash scripts/test.sh');
    expect(workflow.jobs.images?.needs).toBe('test');
    expect(workflow.on).toHaveProperty('pull_request');
  });

  it('builds every service from the one Dockerfile and the embedding server, pushing them to ECR on main only', () => {
    const images = workflow.jobs.images!;
    expect(images.if).toContain("github.ref == 'refs/heads/main'");
    expect(images.strategy?.matrix.component.sort()).toEqual([...SERVICES, 'embeddings'].sort());
    const build = images.steps.find((s) => s.uses?.startsWith('docker/build-push-action'))!;
    expect(build.with).toMatchObject({ context: '.', push: true, 'build-args': 'SERVICE=${{ matrix.component }}' });
    expect(String(build.with?.file)).toContain("'Dockerfile'");
    expect(String(build.with?.tags)).toContain('${{ vars.ECR_REGISTRY }}/learner-platform/${{ matrix.component }}:${{ github.sha }}');
    expect(images.steps.some((s) => s.uses?.startsWith('aws-actions/amazon-ecr-login'))).toBe(true);
  });

  it('deploys the built commit to ECS from the rendered task definitions, or with helm upgrade', () => {
    const ecs = workflow.jobs['deploy-ecs']!;
    expect(ecs.needs).toBe('images');
    const ecsScript = ecs.steps.map((s) => s.run ?? '').join('\n');
    expect(ecsScript).toContain('helm lint deploy/helm/learner-platform -f "$VALUES"');
    expect(ecsScript).toContain('node deploy/dist/render-ecs.js -f "$VALUES" --image-tag "$GITHUB_SHA"');
    expect(ecsScript).toContain('bash deploy/ecs/deploy.sh');
    const helm = workflow.jobs['deploy-helm']!;
    expect(helm.needs).toBe('images');
    expect(helm.steps.map((s) => s.run ?? '').join('\n')).toMatch(/helm upgrade --install learner deploy\/helm\/learner-platform -f "\$VALUES"[\s\S]*--set image.tag="\$GITHUB_SHA" --wait --atomic/);
  });

  it('deploys ECS with a script shellcheck finds nothing wrong with', () => {
    const result = run(tool('shellcheck'), [join(root, 'deploy', 'ecs', 'deploy.sh')]);
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });
});
