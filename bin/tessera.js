#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx's loader, so `npx tessera` needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../services/platform/cli/main.ts');
