import { existsSync, readFileSync } from 'node:fs';

// Two folders up from the sources, three from the compiled build (dist/services/platform).
const candidates = ['../../package.json', '../../../package.json'].map((relative) => new URL(relative, import.meta.url));
const packageFile = candidates.find((url) => existsSync(url));
if (!packageFile) throw new Error('package.json not found beside the platform sources or their build');
const packageJson = JSON.parse(readFileSync(packageFile, 'utf8')) as { version: string };

export const PLATFORM_VERSION: string = packageJson.version;
