import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The compiled build (npm run build, dist/) of a platform entry point, which is what production
 * runs (Dockerfile): the benchmarks measure it rather than the sources under tsx, whose
 * on-the-fly transform adds work to every closure made per request (about a tenth of a tap's CPU).
 * `sourcePath` is relative to the project root, e.g. 'services/platform/cli/main.ts'.
 */
export function compiledEntry(sourcePath: string): string {
  const file = fileURLToPath(new URL(`../../dist/${sourcePath.replace(/\.ts$/, '.js')}`, import.meta.url));
  if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build first (the bench scripts do)`);
  return file;
}
