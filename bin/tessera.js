#!/usr/bin/env node
// Runs the TypeScript sources through tsx's loader, so `npx tessera` needs no build step. Where
// only the compiled build is present (the Docker image ships dist/ without the sources), runs that.
import { existsSync } from 'node:fs';

const sources = new URL('../services/platform/cli/main.ts', import.meta.url);
if (existsSync(sources)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(sources.href);
} else {
  await import(new URL('../dist/services/platform/cli/main.js', import.meta.url).href);
}
