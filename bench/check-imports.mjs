// Checks that every module the benchmarks import resolves and exports the names they take from it.
// The benchmarks are not run by CI (they take minutes and print figures), so without this check a
// renamed export or a missing `exports` entry in a service would only show when someone runs them.
// Needs `pnpm build` (the benchmarks import services' built modules).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = import.meta.dirname;
const IMPORT = /^import\s+(?:(\w+)\s*,?\s*)?(?:\*\s+as\s+\w+\s*)?(?:\{([^}]*)\})?\s*from\s+'([^']+)';?/gm;

function benchFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return benchFiles(path);
    return entry.name.endsWith('.mjs') && !entry.name.endsWith('.scratch.mjs') ? [path] : [];
  });
}

const problems = [];
let checked = 0;
for (const file of benchFiles(root)) {
  const source = readFileSync(file, 'utf8');
  for (const [, defaultName, named, specifier] of source.matchAll(IMPORT)) {
    if (specifier.startsWith('node:')) continue;
    // Relative specifiers resolve against the importing file; bare ones through the bench's node_modules.
    const target = specifier.startsWith('.') ? pathToFileURL(join(file, '..', specifier)).href : specifier;
    const where = `${relative(root, file)}: '${specifier}'`;
    let module;
    try {
      module = await import(target);
    } catch (err) {
      problems.push(`${where} does not load: ${err.message.split('\n')[0]}`);
      continue;
    }
    const names = (named ?? '')
      .split(',')
      .map((part) => part.trim().split(/\s+as\s+/)[0])
      .filter(Boolean);
    if (defaultName) names.push('default');
    for (const name of names) if (!(name in module)) problems.push(`${where} has no export '${name}'`);
    checked++;
  }
}
if (problems.length) {
  console.error(`bench imports: ${problems.length} problem(s)\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(`bench imports: ${checked} imports resolve with the names the benchmarks use`);
process.exit(0);
