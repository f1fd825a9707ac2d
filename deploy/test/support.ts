import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, parse, stringify } from 'yaml';
import { repoRoot } from '@learner/common/testing';

export const root = repoRoot(import.meta.dirname);
export const chartDir = join(root, 'deploy', 'helm', 'learner-platform');
export const SERVICES = ['gateway', 'document', 'chat', 'quiz', 'tts', 'stt'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** The three ways the chart is meant to be installed, as `-f` files. */
export const VALUE_SETS = {
  default: [],
  trial: [join(chartDir, 'values-trial.yaml')],
  aws: [join(chartDir, 'values-aws.yaml')],
} as const satisfies Record<string, string[]>;
export type ValueSet = keyof typeof VALUE_SETS;

/** A tool that scripts/infra/deploy-tools.sh (run by up.sh) installs under .infra/tools/bin. */
export function tool(name: 'helm' | 'actionlint' | 'kubernetes-validate' | 'shellcheck'): string {
  const path = join(root, '.infra', 'tools', 'bin', name);
  if (!existsSync(path)) throw new Error(`${path} is missing: run scripts/infra/up.sh (or scripts/infra/deploy-tools.sh) first`);
  return path;
}

export function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 120_000, ...options });
  if (result.error) throw result.error;
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

let offlineChart: string | undefined;
/**
 * The chart without its trial dependencies (Bitnami's charts are fetched by `helm dependency build`
 * at install time and cannot be fetched here): helm refuses to render a chart whose declared
 * dependencies are missing, even when they are disabled. Only the platform's own objects are
 * rendered and checked.
 */
export function chartWithoutDependencies(): string {
  if (offlineChart) return offlineChart;
  const dir = join(mkdtempSync(join(tmpdir(), 'learner-chart-')), 'learner-platform');
  cpSync(chartDir, dir, { recursive: true });
  const chart = parse(readFileSync(join(dir, 'Chart.yaml'), 'utf8')) as Record<string, unknown>;
  delete chart.dependencies;
  writeFileSync(join(dir, 'Chart.yaml'), stringify(chart));
  offlineChart = dir;
  return dir;
}

export const KUBE_VERSION = '1.30.0';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
  [key: string]: unknown;
}

/** `helm template` of the chart with a value set (and --set pairs): the text, and its objects. */
export function renderChart(valueSet: ValueSet, set: string[] = [], extraArgs: string[] = []): { text: string; objects: K8sObject[] } {
  const args = ['template', 'learner', chartWithoutDependencies(), '--namespace', 'learner', '--kube-version', KUBE_VERSION];
  for (const file of VALUE_SETS[valueSet]) args.push('-f', file);
  for (const pair of set) args.push('--set', pair);
  args.push(...extraArgs);
  const result = run(tool('helm'), args);
  if (result.status !== 0) throw new Error(`helm template failed: ${result.stderr}`);
  const objects = parseAllDocuments(result.stdout)
    .map((doc) => doc.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
  return { text: result.stdout, objects };
}

export function find<T extends K8sObject = K8sObject>(objects: K8sObject[], kind: string, name: string): T {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} among ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found as T;
}
