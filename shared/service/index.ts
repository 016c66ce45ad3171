export type { ServiceContext, PlatformService, DemoSeeder } from './service-context.js';
