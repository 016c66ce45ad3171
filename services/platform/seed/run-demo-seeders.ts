import type { PlatformService, ServiceContext } from '../../../shared/service/index.js';

const markerKey = (name: string) => `demo_seed:${name}`;

/**
 * Runs each service's demo seeders once per database. A seeder that has run is recorded in
 * platform_settings in the same transaction-free step after it succeeds; a seeder must be
 * safe to re-run if the process dies before the marker is written (use upserts).
 */
export async function runDemoSeeders(ctx: ServiceContext, services: readonly PlatformService[]): Promise<string[]> {
  const ran: string[] = [];
  for (const service of services) {
    for (const seeder of service.demoSeeders ?? []) {
      const key = markerKey(`${service.name}/${seeder.name}`);
      const done = await ctx.db.knex('platform_settings').where({ key }).first();
      if (done) continue;
      await seeder.seed(ctx);
      await ctx.db
        .knex('platform_settings')
        .insert({ key, value: JSON.stringify({ seededAt: ctx.now().toISOString() }) })
        .onConflict('key')
        .ignore();
      ran.push(`${service.name}/${seeder.name}`);
    }
  }
  return ran;
}
