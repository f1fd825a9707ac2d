import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { renderEcsPlan } from './ecs-task-definitions.js';
import { loadValues } from './settings.js';

/**
 * Writes the ECS task definitions for the chart's values, one JSON file per family (the input of
 * `aws ecs register-task-definition --cli-input-json`), and plan.json (what to deploy, in order).
 *
 *   node deploy/dist/render-ecs.js -f deploy/helm/learner-platform/values-aws.yaml --image-tag <tag> --out <dir>
 */

export const CHART_DIR = resolve(import.meta.dirname, '..', 'helm', 'learner-platform');

/** The programs the chart's Jobs run (files/), shared with the ECS one-off tasks. */
export function chartScripts(chartDir = CHART_DIR): { migrateScript: string; kafkaTopicsScript: string } {
  return {
    migrateScript: readFileSync(join(chartDir, 'files', 'migrate.mjs'), 'utf8'),
    kafkaTopicsScript: readFileSync(join(chartDir, 'files', 'kafka-topics.mjs'), 'utf8'),
  };
}

export function chartAppVersion(chartDir = CHART_DIR): string {
  return String((parse(readFileSync(join(chartDir, 'Chart.yaml'), 'utf8')) as { appVersion: string }).appVersion);
}

function main(): void {
  const { values: args } = parseArgs({
    options: {
      values: { type: 'string', short: 'f', multiple: true, default: [] },
      'image-tag': { type: 'string' },
      out: { type: 'string', default: 'ecs' },
    },
  });
  const values = loadValues(CHART_DIR, args.values);
  const imageTag = args['image-tag'] ?? (values.image.tag || chartAppVersion());
  const plan = renderEcsPlan(values, { imageTag, ...chartScripts() });
  mkdirSync(args.out, { recursive: true });
  for (const definition of plan.taskDefinitions) {
    writeFileSync(join(args.out, `${definition.family}.json`), `${JSON.stringify(definition, null, 2)}\n`);
  }
  writeFileSync(join(args.out, 'plan.json'), `${JSON.stringify({ beforeServices: plan.beforeServices, services: plan.services }, null, 2)}\n`);
  process.stdout.write(`${plan.taskDefinitions.length} task definitions for image tag ${imageTag} in ${args.out}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) main();
