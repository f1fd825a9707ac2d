import { readdirSync, existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const workspaces = ['packages', 'services']
  .flatMap((group) => readdirSync(group).map((name) => `${group}/${name}`))
  .concat(['tests', 'scripts/launcher', 'deploy'])
  .filter((dir) => existsSync(`${dir}/package.json`));

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
    projects: workspaces.map((dir) => ({
      extends: true,
      test: { name: dir.split('/')[1] ?? dir, root: dir, include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts', 'e2e/**/*.test.ts'] },
    })),
  },
});
